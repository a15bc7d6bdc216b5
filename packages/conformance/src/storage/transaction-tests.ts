import { MATCH_ALL, ParseErrorCode } from '@openparse/core';
import { expect } from 'vitest';
import { byId, createClass, object } from './fixtures.js';
import type { StorageHarness } from './harness.js';

/** transaction(): commit, rollback, and the schema-first rule. */
export function transactionTests({ test }: StorageHarness): void {
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

  test('transactions.read-your-writes', 'reads inside a transaction see its own writes', async (adapter) => {
    await createClass(adapter, 'Ledger', { amount: { type: 'Number' } });
    const seen = await adapter.transaction(async (tx) => {
      await tx.createObject('Ledger', object({ objectId: 'a', amount: 1 }));
      const updated = await tx.findOneAndUpdate({
        className: 'Ledger',
        where: byId('a'),
        update: { amount: { op: 'increment', amount: 1 } },
      });
      const [found] = await tx.find({ className: 'Ledger', where: byId('a') });
      return [updated?.amount, found?.amount];
    });
    expect(seen).toEqual([2, 2]);
  });

  test(
    'transactions.after-add-field',
    'fields added before a transaction are writable inside it',
    async (adapter) => {
      await createClass(adapter, 'Ledger', { amount: { type: 'Number' } });
      await adapter.addField({ className: 'Ledger', fieldName: 'note', field: { type: 'String' } });
      await adapter.transaction(async (tx) => {
        await tx.createObject('Ledger', object({ objectId: 'a', note: 'hi' }));
        await tx.upsertObject({
          className: 'Ledger',
          where: byId('b'),
          update: { note: { op: 'set', value: 'new' } },
        });
      });
      expect(await adapter.count({ className: 'Ledger', where: MATCH_ALL })).toBe(2);
    },
  );

  test(
    'transactions.rollback-delete',
    'a failed transaction restores deleted and updated objects',
    async (adapter) => {
      await createClass(adapter, 'Ledger', { amount: { type: 'Number' } });
      await adapter.createObject('Ledger', object({ objectId: 'a', amount: 1 }));
      await adapter.createObject('Ledger', object({ objectId: 'b', amount: 2 }));
      await expect(
        adapter.transaction(async (tx) => {
          await tx.deleteObjects({ className: 'Ledger', where: byId('a') });
          await tx.updateObjects({
            className: 'Ledger',
            where: byId('b'),
            update: { amount: { op: 'unset' } },
          });
          await tx.createObject('Ledger', object({ objectId: 'b' }));
        }),
      ).rejects.toMatchObject({ code: ParseErrorCode.DUPLICATE_VALUE });
      const amounts = (await adapter.find({ className: 'Ledger', where: MATCH_ALL })).map((o) => o.amount);
      expect([...amounts].sort()).toEqual([1, 2]);
    },
  );
}
