import { MATCH_ALL, ParseErrorCode, type StorageAdapter, type StorageValue } from '@openparse/core';
import { expect } from 'vitest';
import { createClass, GAME_SCORE_FIELDS, object, ref } from './fixtures.js';
import type { StorageHarness } from './harness.js';

const byId = (objectId: string) =>
  ({ kind: 'compare', field: ref('objectId', 'String'), op: 'eq', value: objectId }) as const;

async function readOne(adapter: StorageAdapter, objectId: string) {
  const [found] = await adapter.find({ className: 'GameScore', where: byId(objectId) });
  return found;
}

/** Creates, updates, deletes. */
export function objectTests({ test }: StorageHarness): void {
  test(
    'objects.create-read',
    'a created object is read back with its fields and timestamps',
    async (adapter) => {
      await createClass(adapter, 'GameScore', GAME_SCORE_FIELDS);
      const created = object({ objectId: 'a1', score: 1337, playerName: 'Sean', cheatMode: false });
      await adapter.createObject('GameScore', created);
      const found = await readOne(adapter, 'a1');
      expect(found).toMatchObject({ objectId: 'a1', score: 1337, playerName: 'Sean', cheatMode: false });
      expect(found?.createdAt).toEqual(created.createdAt);
      expect(found?.updatedAt).toBeInstanceOf(Date);
    },
  );

  test('objects.types-roundtrip', 'every Parse type round-trips in storage form', async (adapter) => {
    await createClass(adapter, 'GameScore', {
      ...GAME_SCORE_FIELDS,
      picture: { type: 'File' },
      location: { type: 'GeoPoint' },
      area: { type: 'Polygon' },
      data: { type: 'Bytes' },
    });
    const values = {
      score: 1.5,
      when: new Date('2021-05-06T07:08:09.010Z'),
      player: { __type: 'Pointer', className: 'Player', objectId: 'p1' },
      picture: { __type: 'File', name: 'abc_pic.png' },
      location: { __type: 'GeoPoint', latitude: 40.5, longitude: -73.25 },
      area: {
        __type: 'Polygon',
        coordinates: [
          [0, 0],
          [0, 1],
          [1, 1],
          [0, 0],
        ],
      },
      data: { __type: 'Bytes', base64: 'aGVsbG8=' },
      tags: ['a', 1, { nested: { __type: 'Date', iso: '2020-01-01T00:00:00.000Z' } }],
      meta: { level: 2, list: [1, 2], deep: { ok: true } },
      _rperm: ['*', 'role:Admin'],
      _wperm: ['user1'],
    };
    await adapter.createObject(
      'GameScore',
      object({ objectId: 'types', ...(values as Record<string, StorageValue>) }),
    );
    expect(await readOne(adapter, 'types')).toMatchObject(values);
  });

  test(
    'objects.duplicate-object-id',
    'a second object with the same objectId rejects with DUPLICATE_VALUE',
    async (adapter) => {
      await createClass(adapter, 'GameScore', GAME_SCORE_FIELDS);
      await adapter.createObject('GameScore', object({ objectId: 'same' }));
      await expect(adapter.createObject('GameScore', object({ objectId: 'same' }))).rejects.toMatchObject({
        code: ParseErrorCode.DUPLICATE_VALUE,
      });
    },
  );

  test('objects.update-set-unset', 'set and unset change only the matched objects', async (adapter) => {
    await createClass(adapter, 'GameScore', GAME_SCORE_FIELDS);
    await adapter.createObject('GameScore', object({ objectId: 'a', score: 1, playerName: 'x' }));
    await adapter.createObject('GameScore', object({ objectId: 'b', score: 2, playerName: 'y' }));
    const count = await adapter.updateObjects({
      className: 'GameScore',
      where: byId('a'),
      update: { score: { op: 'set', value: 10 }, playerName: { op: 'unset' } },
    });
    expect(count).toBe(1);
    expect(await readOne(adapter, 'a')).toMatchObject({ score: 10 });
    expect((await readOne(adapter, 'a'))?.playerName).toBeUndefined();
    expect(await readOne(adapter, 'b')).toMatchObject({ score: 2, playerName: 'y' });
  });

  test(
    'objects.update-increment',
    'increment adds to the value, starting from 0 when missing',
    async (adapter) => {
      await createClass(adapter, 'GameScore', GAME_SCORE_FIELDS);
      await adapter.createObject('GameScore', object({ objectId: 'a', score: 5 }));
      await adapter.createObject('GameScore', object({ objectId: 'b' }));
      await adapter.updateObjects({
        className: 'GameScore',
        where: MATCH_ALL,
        update: { score: { op: 'increment', amount: -2 } },
      });
      expect((await readOne(adapter, 'a'))?.score).toBe(3);
      expect((await readOne(adapter, 'b'))?.score).toBe(-2);
    },
  );

  test(
    'objects.update-array-ops',
    'add, addUnique and remove edit arrays by JSON equality',
    async (adapter) => {
      await createClass(adapter, 'GameScore', GAME_SCORE_FIELDS);
      await adapter.createObject('GameScore', object({ objectId: 'a', tags: ['x', { k: 1 }] }));
      const update = (change: Parameters<StorageAdapter['updateObjects']>[0]['update']) =>
        adapter.updateObjects({ className: 'GameScore', where: byId('a'), update: change });
      await update({ tags: { op: 'add', items: ['x', 'y'] } });
      expect((await readOne(adapter, 'a'))?.tags).toEqual(['x', { k: 1 }, 'x', 'y']);
      await update({ tags: { op: 'addUnique', items: ['y', 'z', 'z', { k: 1 }] } });
      expect((await readOne(adapter, 'a'))?.tags).toEqual(['x', { k: 1 }, 'x', 'y', 'z']);
      await update({ tags: { op: 'remove', items: ['x', { k: 1 }, 'missing'] } });
      expect((await readOne(adapter, 'a'))?.tags).toEqual(['y', 'z']);
      await update({ meta: { op: 'add', items: [1] }, tags: { op: 'remove', items: ['y', 'z'] } });
      expect(await readOne(adapter, 'a')).toMatchObject({ tags: [], meta: [1] });
    },
  );

  test(
    'objects.update-nested',
    'dot-path set, unset and increment edit inside Object fields',
    async (adapter) => {
      await createClass(adapter, 'GameScore', GAME_SCORE_FIELDS);
      await adapter.createObject(
        'GameScore',
        object({ objectId: 'a', meta: { level: 1, keep: true, drop: 'x' } }),
      );
      await adapter.updateObjects({
        className: 'GameScore',
        where: byId('a'),
        update: {
          'meta.level': { op: 'increment', amount: 2 },
          'meta.name': { op: 'set', value: 'n' },
          'meta.drop': { op: 'unset' },
        },
      });
      expect((await readOne(adapter, 'a'))?.meta).toEqual({ level: 3, keep: true, name: 'n' });
    },
  );

  test(
    'objects.find-one-and-update',
    'findOneAndUpdate returns the object after the update, or undefined',
    async (adapter) => {
      await createClass(adapter, 'GameScore', GAME_SCORE_FIELDS);
      await adapter.createObject('GameScore', object({ objectId: 'a', score: 1 }));
      const after = await adapter.findOneAndUpdate({
        className: 'GameScore',
        where: byId('a'),
        update: { score: { op: 'increment', amount: 1 } },
      });
      expect(after).toMatchObject({ objectId: 'a', score: 2 });
      expect(
        await adapter.findOneAndUpdate({
          className: 'GameScore',
          where: byId('zz'),
          update: { score: { op: 'set', value: 0 } },
        }),
      ).toBeUndefined();
    },
  );

  test(
    'objects.upsert',
    'upsert updates a match or inserts from the conditions and set fields',
    async (adapter) => {
      await createClass(adapter, 'GameScore', GAME_SCORE_FIELDS);
      await adapter.upsertObject({
        className: 'GameScore',
        where: byId('u1'),
        update: { score: { op: 'set', value: 1 } },
      });
      await adapter.upsertObject({
        className: 'GameScore',
        where: byId('u1'),
        update: { score: { op: 'set', value: 2 } },
      });
      expect(await adapter.find({ className: 'GameScore', where: MATCH_ALL })).toMatchObject([
        { objectId: 'u1', score: 2 },
      ]);
    },
  );

  test('objects.delete', 'deleteObjects removes matched objects and counts them', async (adapter) => {
    await createClass(adapter, 'GameScore', GAME_SCORE_FIELDS);
    await adapter.createObject('GameScore', object({ objectId: 'a', score: 1 }));
    await adapter.createObject('GameScore', object({ objectId: 'b', score: 2 }));
    expect(await adapter.deleteObjects({ className: 'GameScore', where: byId('a') })).toBe(1);
    expect(await adapter.deleteObjects({ className: 'GameScore', where: byId('a') })).toBe(0);
    expect(await adapter.count({ className: 'GameScore', where: MATCH_ALL })).toBe(1);
  });

  test('objects.purge', 'purgeClass deletes every object and keeps the class', async (adapter) => {
    await createClass(adapter, 'GameScore', GAME_SCORE_FIELDS);
    await adapter.createObject('GameScore', object({ objectId: 'a' }));
    await adapter.purgeClass('GameScore');
    expect(await adapter.count({ className: 'GameScore', where: MATCH_ALL })).toBe(0);
    expect(await adapter.getClass('GameScore')).toBeDefined();
  });

  test(
    'objects.missing-class-reads-empty',
    'reads of a class that does not exist answer nothing, never an error',
    async (adapter) => {
      expect(await adapter.find({ className: 'Missing', where: MATCH_ALL })).toEqual([]);
      expect(await adapter.count({ className: 'Missing', where: MATCH_ALL })).toBe(0);
      expect(await adapter.deleteObjects({ className: 'Missing', where: MATCH_ALL })).toBe(0);
    },
  );
}
