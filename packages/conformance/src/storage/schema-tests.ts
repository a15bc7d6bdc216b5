import { ParseErrorCode, type SchemaChange } from '@openparse/core';
import { expect } from 'vitest';
import { createClass, GAME_SCORE_FIELDS, object } from './fixtures.js';
import type { StorageHarness } from './harness.js';

/** Class lifecycle, fields, CLP, indexes and notifications. */
export function schemaTests({ test }: StorageHarness): void {
  test(
    'schema.create-class',
    'a created class is read back with its fields, CLP and the ACL field',
    async (adapter) => {
      await createClass(adapter, 'GameScore', GAME_SCORE_FIELDS);
      const schema = await adapter.getClass('GameScore');
      expect(schema?.fields).toMatchObject({
        ...GAME_SCORE_FIELDS,
        objectId: { type: 'String' },
        ACL: { type: 'ACL' },
      });
      expect(schema?.classLevelPermissions.find).toEqual({ '*': true });
      expect(await adapter.getClass('Nope')).toBeUndefined();
    },
  );

  test(
    'schema.create-class-twice',
    'creating an existing class rejects with INVALID_CLASS_NAME',
    async (adapter) => {
      await createClass(adapter, 'GameScore');
      await expect(createClass(adapter, 'GameScore')).rejects.toMatchObject({
        code: ParseErrorCode.INVALID_CLASS_NAME,
      });
    },
  );

  test('schema.get-all', 'getAllClasses lists every class', async (adapter) => {
    await createClass(adapter, 'A');
    await createClass(adapter, 'B');
    const names = (await adapter.getAllClasses()).map((schema) => schema.className);
    expect(names).toEqual(expect.arrayContaining(['A', 'B']));
  });

  test('schema.add-field', 'an added field is stored and writable', async (adapter) => {
    await createClass(adapter, 'GameScore');
    await adapter.addField({ className: 'GameScore', fieldName: 'level', field: { type: 'Number' } });
    expect((await adapter.getClass('GameScore'))?.fields.level).toEqual({ type: 'Number' });
    await adapter.createObject('GameScore', object({ objectId: 'a', level: 3 }));
    const [found] = await adapter.find({ className: 'GameScore', where: { kind: 'and', conditions: [] } });
    expect(found?.level).toBe(3);
  });

  test(
    'schema.add-field-idempotent',
    'adding a field twice (a race) keeps the first type and does not fail',
    async (adapter) => {
      await createClass(adapter, 'GameScore');
      await Promise.all([
        adapter.addField({ className: 'GameScore', fieldName: 'level', field: { type: 'Number' } }),
        adapter.addField({ className: 'GameScore', fieldName: 'level', field: { type: 'Number' } }),
      ]);
      await adapter.addField({
        className: 'GameScore',
        fieldName: 'rel',
        field: { type: 'Relation', targetClass: '_User' },
      });
      await adapter.addField({
        className: 'GameScore',
        fieldName: 'rel',
        field: { type: 'Relation', targetClass: '_User' },
      });
      const schema = await adapter.getClass('GameScore');
      expect(schema?.fields.level).toEqual({ type: 'Number' });
      expect(schema?.fields.rel).toEqual({ type: 'Relation', targetClass: '_User' });
    },
  );

  test('schema.delete-fields', 'deleted fields disappear with their data', async (adapter) => {
    await createClass(adapter, 'GameScore', GAME_SCORE_FIELDS);
    await adapter.createObject('GameScore', object({ objectId: 'a', score: 1, playerName: 'x' }));
    await adapter.deleteFields('GameScore', ['score']);
    expect((await adapter.getClass('GameScore'))?.fields.score).toBeUndefined();
    const [found] = await adapter.find({ className: 'GameScore', where: { kind: 'and', conditions: [] } });
    expect(found?.score).toBeUndefined();
    expect(found?.playerName).toBe('x');
  });

  test(
    'schema.delete-class',
    'a deleted class is gone and reads as empty; deleting twice is fine',
    async (adapter) => {
      await createClass(adapter, 'GameScore', { fans: { type: 'Relation', targetClass: '_User' } });
      await adapter.createObject('GameScore', object({ objectId: 'a' }));
      await adapter.deleteClass('GameScore');
      await adapter.deleteClass('GameScore');
      expect(await adapter.getClass('GameScore')).toBeUndefined();
      expect(await adapter.find({ className: 'GameScore', where: { kind: 'and', conditions: [] } })).toEqual(
        [],
      );
    },
  );

  test(
    'schema.class-level-permissions',
    'class-level permissions are replaced and read back',
    async (adapter) => {
      await createClass(adapter, 'GameScore');
      const permissions = { find: { 'role:Admin': true }, get: {}, protectedFields: { '*': ['secret'] } };
      await adapter.setClassLevelPermissions('GameScore', permissions);
      expect((await adapter.getClass('GameScore'))?.classLevelPermissions).toEqual(permissions);
    },
  );

  test('schema.indexes', 'indexes are created, listed in the schema, and dropped', async (adapter) => {
    await createClass(adapter, 'GameScore', GAME_SCORE_FIELDS);
    await adapter.updateIndexes({ className: 'GameScore', create: { score_idx: { score: -1 } } });
    expect((await adapter.getClass('GameScore'))?.indexes?.score_idx).toEqual({ score: -1 });
    await adapter.updateIndexes({ className: 'GameScore', drop: ['score_idx'] });
    expect((await adapter.getClass('GameScore'))?.indexes?.score_idx).toBeUndefined();
  });

  test(
    'schema.change-notification',
    'schema changes are reported to onSchemaChange listeners',
    async (adapter) => {
      const changes: SchemaChange[] = [];
      const unsubscribe = adapter.onSchemaChange((change) => changes.push(change));
      await createClass(adapter, 'GameScore');
      await adapter.addField({ className: 'GameScore', fieldName: 'level', field: { type: 'Number' } });
      expect(changes.length).toBeGreaterThanOrEqual(2);
      expect(
        changes.some((change) => change.className === 'GameScore' || change.className === undefined),
      ).toBe(true);
      unsubscribe();
      const seen = changes.length;
      await adapter.addField({ className: 'GameScore', fieldName: 'other', field: { type: 'Number' } });
      expect(changes.length).toBe(seen);
    },
  );
}
