import {
  DEFAULT_FIELDS,
  MATCH_ALL,
  ParseErrorCode,
  SYSTEM_CLASS_FIELDS,
  type StorageValue,
} from '@openparse/core';
import { expect } from 'vitest';
import { byId, createClass, GAME_SCORE_FIELDS, object, readOne } from './fixtures.js';
import type { StorageHarness } from './harness.js';

/** Creates, reads, deletes. */
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

  test(
    'objects.create-many',
    'createObjects stores objects with different fields in one step, all or none',
    async (adapter) => {
      if (!adapter.createObjects) return;
      await createClass(adapter, 'GameScore', GAME_SCORE_FIELDS);
      await adapter.createObjects('GameScore', [
        object({ objectId: 'm1', score: 1 }),
        object({ objectId: 'm2', playerName: 'Ann', tags: ['x'] }),
        object({ objectId: 'm3', score: 3, cheatMode: true, _rperm: ['*'] }),
      ]);
      expect(await readOne(adapter, 'm1')).toMatchObject({ objectId: 'm1', score: 1 });
      const second = await readOne(adapter, 'm2');
      expect(second).toMatchObject({ playerName: 'Ann', tags: ['x'] });
      expect(second && 'score' in second).toBe(false);
      expect(await readOne(adapter, 'm3')).toMatchObject({ score: 3, cheatMode: true, _rperm: ['*'] });
      // One taken objectId rejects the whole call: nothing of it is stored.
      await expect(
        adapter.createObjects('GameScore', [object({ objectId: 'm4' }), object({ objectId: 'm1' })]),
      ).rejects.toMatchObject({ code: ParseErrorCode.DUPLICATE_VALUE });
      expect(await readOne(adapter, 'm4')).toBeUndefined();
      expect(await adapter.count({ className: 'GameScore', where: MATCH_ALL })).toBe(3);
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

  test('objects.null-omitted', 'null and missing values read back as absent fields', async (adapter) => {
    await createClass(adapter, 'GameScore', GAME_SCORE_FIELDS);
    await adapter.createObject('GameScore', object({ objectId: 'a', score: null, playerName: 'x' }));
    const found = await readOne(adapter, 'a');
    expect(found && 'score' in found).toBe(false);
    expect(found && 'tags' in found).toBe(false);
    expect(found?.playerName).toBe('x');
  });

  test(
    'objects.date-in-object',
    'dates inside Object and Array fields stay in Parse JSON form',
    async (adapter) => {
      await createClass(adapter, 'GameScore', GAME_SCORE_FIELDS);
      const date = { __type: 'Date', iso: '2022-02-02T02:02:02.002Z' };
      await adapter.createObject('GameScore', object({ objectId: 'a', meta: { at: date }, tags: [date] }));
      expect(await readOne(adapter, 'a')).toMatchObject({ meta: { at: date }, tags: [date] });
    },
  );

  test(
    'objects.user-internal-fields',
    "_User keeps parse-server's internal fields beside its declared ones",
    async (adapter) => {
      await adapter.createClass({
        className: '_User',
        fields: { ...DEFAULT_FIELDS, ...SYSTEM_CLASS_FIELDS._User },
        classLevelPermissions: {},
      });
      const expires = new Date('2030-01-01T00:00:00.000Z');
      await adapter.createObject(
        '_User',
        object({
          objectId: 'u1',
          username: 'ann',
          _hashed_password: '$2b$10$abc',
          _email_verify_token: 'tok',
          _email_verify_token_expires_at: expires,
          _failed_login_count: 1,
        }),
      );
      const found = await readOne(adapter, 'u1', '_User');
      expect(found).toMatchObject({
        username: 'ann',
        _hashed_password: '$2b$10$abc',
        _email_verify_token: 'tok',
      });
      expect(found?._email_verify_token_expires_at).toEqual(expires);
      const byToken = await adapter.find({
        className: '_User',
        where: {
          kind: 'compare',
          field: { name: '_email_verify_token', path: [], type: undefined },
          op: 'eq',
          value: 'tok',
        },
      });
      expect(byToken.map((user) => user.objectId)).toEqual(['u1']);
    },
  );

  test(
    'objects.delete-all',
    'deleteObjects with a match-all condition empties the class',
    async (adapter) => {
      await createClass(adapter, 'GameScore', GAME_SCORE_FIELDS);
      for (const id of ['a', 'b', 'c']) await adapter.createObject('GameScore', object({ objectId: id }));
      expect(await adapter.deleteObjects({ className: 'GameScore', where: MATCH_ALL })).toBe(3);
      expect(await adapter.find({ className: 'GameScore', where: byId('a') })).toEqual([]);
    },
  );
}
