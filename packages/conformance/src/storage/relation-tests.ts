import { MATCH_ALL, ParseErrorCode } from '@openparse/core';
import { expect } from 'vitest';
import { createClass, ids, object, ref } from './fixtures.js';
import type { StorageHarness } from './harness.js';

/** Relations, uniqueness and transactions. */
export function relationTests({ test }: StorageHarness): void {
  test('relations.add-remove', 'related objects are added idempotently and removed', async (adapter) => {
    await createClass(adapter, 'Team', { members: { type: 'Relation', targetClass: 'Player' } });
    await createClass(adapter, 'Player');
    for (const id of ['p1', 'p2', 'p3']) await adapter.createObject('Player', object({ objectId: id }));
    await adapter.createObject('Team', object({ objectId: 't1' }));
    const change = { className: 'Team', field: 'members', targetClass: 'Player', owningId: 't1' };
    await adapter.addRelations({ ...change, relatedIds: ['p1', 'p2'] });
    await adapter.addRelations({ ...change, relatedIds: ['p2', 'p3'] });
    await adapter.removeRelations({ ...change, relatedIds: ['p3', 'nope'] });
    const members = await adapter.find({
      className: 'Player',
      where: {
        kind: 'relatedTo',
        owner: { __type: 'Pointer', className: 'Team', objectId: 't1' },
        key: 'members',
      },
    });
    expect(ids(members)).toEqual(['p1', 'p2']);
  });

  test('relations.related-to', 'relatedTo combines with other conditions', async (adapter) => {
    await createClass(adapter, 'Team', { members: { type: 'Relation', targetClass: 'Player' } });
    await createClass(adapter, 'Player', { level: { type: 'Number' } });
    await adapter.createObject('Player', object({ objectId: 'p1', level: 1 }));
    await adapter.createObject('Player', object({ objectId: 'p2', level: 5 }));
    await adapter.addRelations({
      className: 'Team',
      field: 'members',
      targetClass: 'Player',
      owningId: 't1',
      relatedIds: ['p1', 'p2'],
    });
    const strong = await adapter.find({
      className: 'Player',
      where: {
        kind: 'and',
        conditions: [
          {
            kind: 'relatedTo',
            owner: { __type: 'Pointer', className: 'Team', objectId: 't1' },
            key: 'members',
          },
          { kind: 'compare', field: ref('level', 'Number'), op: 'gt', value: 2 },
        ],
      },
    });
    expect(ids(strong)).toEqual(['p2']);
  });

  test(
    'uniqueness.duplicate-value',
    'a unique field refuses a second equal value with DUPLICATE_VALUE',
    async (adapter) => {
      await createClass(adapter, 'Account', { email: { type: 'String' } });
      await adapter.ensureUniqueness('Account', ['email']);
      await adapter.ensureUniqueness('Account', ['email']);
      await adapter.createObject('Account', object({ objectId: 'a', email: 'x@example.com' }));
      await expect(
        adapter.createObject('Account', object({ objectId: 'b', email: 'x@example.com' })),
      ).rejects.toMatchObject({
        code: ParseErrorCode.DUPLICATE_VALUE,
      });
      await adapter.createObject('Account', object({ objectId: 'c', email: 'y@example.com' }));
      await expect(
        adapter.updateObjects({
          className: 'Account',
          where: MATCH_ALL,
          update: { email: { op: 'set', value: 'z@example.com' } },
        }),
      ).rejects.toMatchObject({ code: ParseErrorCode.DUPLICATE_VALUE });
    },
  );

  test(
    'uniqueness.existing-violations',
    'making a field unique fails with DUPLICATE_VALUE when data already repeats',
    async (adapter) => {
      await createClass(adapter, 'Account', { email: { type: 'String' } });
      await adapter.createObject('Account', object({ objectId: 'a', email: 'same' }));
      await adapter.createObject('Account', object({ objectId: 'b', email: 'same' }));
      await expect(adapter.ensureUniqueness('Account', ['email'])).rejects.toMatchObject({
        code: ParseErrorCode.DUPLICATE_VALUE,
      });
    },
  );

  test('transactions.commit', 'writes in a transaction are visible after it commits', async (adapter) => {
    await createClass(adapter, 'Ledger', { amount: { type: 'Number' } });
    const result = await adapter.transaction(async (tx) => {
      await tx.createObject('Ledger', object({ objectId: 'a', amount: 1 }));
      await tx.updateObjects({
        className: 'Ledger',
        where: MATCH_ALL,
        update: { amount: { op: 'increment', amount: 4 } },
      });
      return tx.count({ className: 'Ledger', where: MATCH_ALL });
    });
    expect(result).toBe(1);
    expect(await adapter.find({ className: 'Ledger', where: MATCH_ALL })).toMatchObject([{ amount: 5 }]);
  });

  test('transactions.rollback', 'a failing transaction leaves nothing written', async (adapter) => {
    await createClass(adapter, 'Ledger', { amount: { type: 'Number' } });
    await adapter.createObject('Ledger', object({ objectId: 'keep', amount: 1 }));
    await expect(
      adapter.transaction(async (tx) => {
        await tx.createObject('Ledger', object({ objectId: 'new', amount: 2 }));
        await tx.updateObjects({
          className: 'Ledger',
          where: MATCH_ALL,
          update: { amount: { op: 'set', value: 9 } },
        });
        await tx.createObject('Ledger', object({ objectId: 'keep', amount: 3 }));
      }),
    ).rejects.toMatchObject({ code: ParseErrorCode.DUPLICATE_VALUE });
    expect(await adapter.find({ className: 'Ledger', where: MATCH_ALL })).toMatchObject([
      { objectId: 'keep', amount: 1 },
    ]);
  });
}
