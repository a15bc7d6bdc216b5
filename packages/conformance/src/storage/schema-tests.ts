import {
  DEFAULT_FIELDS,
  MATCH_ALL,
  ParseErrorCode,
  type SchemaChange,
  type StorageValue,
  SYSTEM_CLASS_FIELDS,
} from '@openparse/core';
import { expect } from 'vitest';
import { createClass, GAME_SCORE_FIELDS, object, readOne } from './fixtures.js';
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

  test(
    'schema.create-class-race',
    'concurrent creates of one class leave one class; none fails with anything but INVALID_CLASS_NAME',
    async (adapter) => {
      const results = await Promise.allSettled([
        createClass(adapter, 'Race', { a: { type: 'String' } }),
        createClass(adapter, 'Race', { a: { type: 'String' } }),
        createClass(adapter, 'Race', { a: { type: 'String' } }),
      ]);
      expect(results.some((result) => result.status === 'fulfilled')).toBe(true);
      for (const result of results) {
        if (result.status === 'rejected') {
          expect(result.reason).toMatchObject({ code: ParseErrorCode.INVALID_CLASS_NAME });
        }
      }
      const races = (await adapter.getAllClasses()).filter((schema) => schema.className === 'Race');
      expect(races).toHaveLength(1);
    },
  );

  test('schema.system-fields', 'the ACL is a field; its storage (_rperm, _wperm) is not', async (adapter) => {
    const created = await createClass(adapter, 'GameScore');
    for (const schema of [created, await adapter.getClass('GameScore')]) {
      expect(schema?.fields).toMatchObject(DEFAULT_FIELDS);
      expect(schema?.fields._rperm).toBeUndefined();
      expect(schema?.fields._wperm).toBeUndefined();
    }
  });

  test(
    'schema.user-class',
    "_User shows password and hides parse-server's internal fields",
    async (adapter) => {
      await adapter.createClass({
        className: '_User',
        fields: { ...DEFAULT_FIELDS, ...SYSTEM_CLASS_FIELDS._User },
        classLevelPermissions: {},
      });
      const fields = (await adapter.getClass('_User'))?.fields ?? {};
      expect(fields).toMatchObject({ username: { type: 'String' }, password: { type: 'String' } });
      expect(Object.keys(fields).filter((name) => name.startsWith('_'))).toEqual([]);
    },
  );

  test(
    'schema.add-field-types',
    'fields of every storable type can be added and written',
    async (adapter) => {
      await createClass(adapter, 'Bag');
      const values = {
        s: 'x',
        n: 1.25,
        b: true,
        d: new Date('2024-05-05T00:00:00.000Z'),
        o: { k: [1] },
        a: [1, 'two'],
        p: { __type: 'Pointer', className: 'Bag', objectId: 'x' },
        f: { __type: 'File', name: 'f.txt' },
        g: { __type: 'GeoPoint', latitude: 1, longitude: 2 },
        y: { __type: 'Bytes', base64: 'AA==' },
      } as const;
      const types = {
        s: 'String',
        n: 'Number',
        b: 'Boolean',
        d: 'Date',
        o: 'Object',
        a: 'Array',
        p: 'Pointer',
        f: 'File',
        g: 'GeoPoint',
        y: 'Bytes',
      } as const;
      for (const [fieldName, type] of Object.entries(types)) {
        await adapter.addField({
          className: 'Bag',
          fieldName,
          field: type === 'Pointer' ? { type, targetClass: 'Bag' } : { type },
        });
      }
      await adapter.createObject(
        'Bag',
        object({ objectId: 'one', ...(values as unknown as Record<string, StorageValue>) }),
      );
      expect(await readOne(adapter, 'one', 'Bag')).toMatchObject(values);
    },
  );

  test('schema.create-with-indexes', 'indexes given at creation are created and listed', async (adapter) => {
    await adapter.createClass({
      className: 'Indexed',
      fields: { ...DEFAULT_FIELDS, score: { type: 'Number' } },
      classLevelPermissions: {},
      indexes: { by_score: { score: 1 } },
    });
    expect((await adapter.getClass('Indexed'))?.indexes).toMatchObject({ by_score: { score: 1 } });
    expect(await adapter.count({ className: 'Indexed', where: MATCH_ALL })).toBe(0);
  });
}
