import { expect } from 'vitest';
import { createClass, ids, object, ref } from './fixtures.js';
import type { StorageHarness } from './harness.js';

/** Relations (join tables), read back through relatedTo. */
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
    'relations.missing-owner',
    'relatedTo on an owner or key that does not exist matches nothing',
    async (adapter) => {
      await createClass(adapter, 'Team', { members: { type: 'Relation', targetClass: 'Player' } });
      await createClass(adapter, 'Player');
      await adapter.createObject('Player', object({ objectId: 'p1' }));
      const related = (className: string, key: string) =>
        adapter.find({
          className: 'Player',
          where: { kind: 'relatedTo', owner: { __type: 'Pointer', className, objectId: 't1' }, key },
        });
      expect(await related('Team', 'members')).toEqual([]);
      expect(await related('Team', 'nope')).toEqual([]);
      expect(await related('Nowhere', 'members')).toEqual([]);
    },
  );

  test('relations.delete-field', 'deleting a Relation field forgets its objects', async (adapter) => {
    await createClass(adapter, 'Team', { members: { type: 'Relation', targetClass: 'Player' } });
    await createClass(adapter, 'Player');
    await adapter.createObject('Player', object({ objectId: 'p1' }));
    const change = {
      className: 'Team',
      field: 'members',
      targetClass: 'Player',
      owningId: 't1',
      relatedIds: ['p1'],
    };
    await adapter.addRelations(change);
    await adapter.deleteFields('Team', ['members']);
    await adapter.addField({
      className: 'Team',
      fieldName: 'members',
      field: { type: 'Relation', targetClass: 'Player' },
    });
    const members = await adapter.find({
      className: 'Player',
      where: {
        kind: 'relatedTo',
        owner: { __type: 'Pointer', className: 'Team', objectId: 't1' },
        key: 'members',
      },
    });
    expect(members).toEqual([]);
  });

  test(
    'relations.role-names',
    'roleNamesOf answers direct and inherited roles, and ends on cycles',
    async (adapter) => {
      await createClass(adapter, '_Role', {
        name: { type: 'String' },
        users: { type: 'Relation', targetClass: '_User' },
        roles: { type: 'Relation', targetClass: '_Role' },
      });
      expect(await adapter.roleNamesOf('u1')).toEqual([]);
      for (const [objectId, name] of [
        ['r1', 'Moderators'],
        ['r2', 'Administrators'],
        ['r3', 'Owners'],
        ['r4', 'Unrelated'],
      ]) {
        await adapter.createObject('_Role', object({ objectId, name }));
      }
      const edit = (field: string, owningId: string, relatedIds: string[]) =>
        adapter.addRelations({
          className: '_Role',
          field,
          targetClass: field === 'users' ? '_User' : '_Role',
          owningId,
          relatedIds,
        });
      await edit('users', 'r1', ['u1']);
      // Administrators holds Moderators, Owners holds Administrators: u1 inherits both.
      await edit('roles', 'r2', ['r1']);
      await edit('roles', 'r3', ['r2']);
      // A cycle back to Moderators must not loop.
      await edit('roles', 'r1', ['r3']);
      expect((await adapter.roleNamesOf('u1')).sort()).toEqual(['Administrators', 'Moderators', 'Owners']);
      expect(await adapter.roleNamesOf('u2')).toEqual([]);
    },
  );
}
