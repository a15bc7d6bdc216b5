import { MATCH_ALL, type StorageAdapter } from '@openparse/core';
import { expect } from 'vitest';
import { byId, createClass, GAME_SCORE_FIELDS, object, readOne, ref } from './fixtures.js';
import type { StorageHarness } from './harness.js';

/** Every FieldUpdate operation, findOneAndUpdate and upsert. */
export function updateTests({ test }: StorageHarness): void {
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

  test(
    'objects.update-typed-values',
    'set writes dates, pointers, files, points and bytes',
    async (adapter) => {
      await createClass(adapter, 'GameScore', {
        ...GAME_SCORE_FIELDS,
        photo: { type: 'File' },
        spot: { type: 'GeoPoint' },
        data: { type: 'Bytes' },
      });
      await adapter.createObject('GameScore', object({ objectId: 'a' }));
      const values = {
        when: new Date('2024-04-04T04:04:04.004Z'),
        player: { __type: 'Pointer', className: 'Player', objectId: 'p9' },
        photo: { __type: 'File', name: 'x_photo.jpg' },
        spot: { __type: 'GeoPoint', latitude: -10.5, longitude: 20.25 },
        data: { __type: 'Bytes', base64: 'AQID' },
      } as const;
      await adapter.updateObjects({
        className: 'GameScore',
        where: byId('a'),
        update: Object.fromEntries(
          Object.entries(values).map(([key, value]) => [key, { op: 'set' as const, value }]),
        ),
      });
      expect(await readOne(adapter, 'a')).toMatchObject(values);
    },
  );

  test(
    'objects.update-array-missing',
    'add creates a missing array; remove leaves an empty one',
    async (adapter) => {
      await createClass(adapter, 'GameScore', GAME_SCORE_FIELDS);
      await adapter.createObject('GameScore', object({ objectId: 'a' }));
      await adapter.createObject('GameScore', object({ objectId: 'b' }));
      await adapter.updateObjects({
        className: 'GameScore',
        where: byId('a'),
        update: { tags: { op: 'addUnique', items: ['x', 'x'] } },
      });
      await adapter.updateObjects({
        className: 'GameScore',
        where: byId('b'),
        update: { tags: { op: 'remove', items: ['x'] } },
      });
      expect((await readOne(adapter, 'a'))?.tags).toEqual(['x']);
      expect((await readOne(adapter, 'b'))?.tags).toEqual([]);
    },
  );

  test(
    'objects.update-acl',
    'the permission arrays are replaced and removed like fields',
    async (adapter) => {
      await createClass(adapter, 'GameScore', GAME_SCORE_FIELDS);
      await adapter.createObject('GameScore', object({ objectId: 'a', _rperm: ['*'], _wperm: ['u1'] }));
      await adapter.updateObjects({
        className: 'GameScore',
        where: byId('a'),
        update: { _rperm: { op: 'set', value: ['u1', 'role:Admin'] }, _wperm: { op: 'unset' } },
      });
      const found = await readOne(adapter, 'a');
      expect(found?._rperm).toEqual(['u1', 'role:Admin']);
      expect(found?._wperm).toBeUndefined();
    },
  );

  test('objects.update-count', 'updateObjects answers how many objects matched', async (adapter) => {
    await createClass(adapter, 'GameScore', GAME_SCORE_FIELDS);
    for (const [id, score] of [
      ['a', 1],
      ['b', 2],
      ['c', 3],
    ] as const) {
      await adapter.createObject('GameScore', object({ objectId: id, score }));
    }
    const count = await adapter.updateObjects({
      className: 'GameScore',
      where: { kind: 'compare', field: ref('score', 'Number'), op: 'gte', value: 2 },
      update: { playerName: { op: 'set', value: 'high' } },
    });
    expect(count).toBe(2);
    expect((await readOne(adapter, 'a'))?.playerName).toBeUndefined();
  });

  test(
    'objects.find-one-and-update-first-only',
    'findOneAndUpdate changes one object even when several match',
    async (adapter) => {
      await createClass(adapter, 'GameScore', GAME_SCORE_FIELDS);
      await adapter.createObject('GameScore', object({ objectId: 'a', score: 1 }));
      await adapter.createObject('GameScore', object({ objectId: 'b', score: 1 }));
      await adapter.findOneAndUpdate({
        className: 'GameScore',
        where: MATCH_ALL,
        update: { score: { op: 'increment', amount: 1 } },
      });
      const scores = (await adapter.find({ className: 'GameScore', where: MATCH_ALL })).map((o) => o.score);
      expect([...scores].sort()).toEqual([1, 2]);
    },
  );

  test(
    'objects.upsert-insert-fields',
    'an inserting upsert takes eq conditions, sets, increments and adds',
    async (adapter) => {
      await createClass(adapter, 'GameScore', GAME_SCORE_FIELDS);
      await adapter.upsertObject({
        className: 'GameScore',
        where: {
          kind: 'and',
          conditions: [
            byId('u1'),
            { kind: 'compare', field: ref('playerName', 'String'), op: 'eq', value: 'Ann' },
          ],
        },
        update: {
          score: { op: 'increment', amount: 5 },
          tags: { op: 'add', items: ['a'] },
          'meta.level': { op: 'set', value: 2 },
          createdAt: { op: 'set', value: new Date('2024-01-01T00:00:00.000Z') },
        },
      });
      expect(await readOne(adapter, 'u1')).toMatchObject({
        playerName: 'Ann',
        score: 5,
        tags: ['a'],
        meta: { level: 2 },
      });
    },
  );

  test(
    'objects.update-missing-class',
    'updates and deletes on a class that does not exist change nothing',
    async (adapter: StorageAdapter) => {
      expect(
        await adapter.updateObjects({
          className: 'Missing',
          where: MATCH_ALL,
          update: { a: { op: 'set', value: 1 } },
        }),
      ).toBe(0);
      expect(
        await adapter.findOneAndUpdate({
          className: 'Missing',
          where: MATCH_ALL,
          update: { a: { op: 'set', value: 1 } },
        }),
      ).toBeUndefined();
    },
  );
}
