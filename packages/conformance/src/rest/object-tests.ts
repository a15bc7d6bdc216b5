import { expect } from 'vitest';
import type { RestHarness } from './harness.js';

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** The REST guide's Objects section. */
export function objectTests({ test }: RestHarness): void {
  test(
    'objects.create',
    'POST /classes answers 201 with objectId, createdAt and a Location header',
    async ({ api, createClass }) => {
      const name = await createClass('GameScore');
      const created = await api.post(`/classes/${name}`, {
        score: 1337,
        playerName: 'Sean Plott',
        cheatMode: false,
      });
      expect(created.status).toBe(201);
      expect(created.body).toEqual({
        objectId: expect.stringMatching(/^[A-Za-z0-9]{10}$/),
        createdAt: expect.stringMatching(ISO),
      });
      expect(created.headers.get('location')).toBe(
        `${api.serverURL}/classes/${name}/${created.body.objectId}`,
      );
    },
  );

  test(
    'objects.retrieve',
    'GET /classes/:className/:objectId answers the object with its timestamps',
    async ({ api, createClass }) => {
      const name = await createClass('GameScore');
      const created = await api.post(`/classes/${name}`, {
        score: 1337,
        playerName: 'Sean Plott',
        skills: ['pwnage', 'flying'],
      });
      const fetched = await api.get(`/classes/${name}/${created.body.objectId}`);
      expect(fetched.status).toBe(200);
      expect(fetched.body).toEqual({
        objectId: created.body.objectId,
        score: 1337,
        playerName: 'Sean Plott',
        skills: ['pwnage', 'flying'],
        createdAt: created.body.createdAt,
        updatedAt: created.body.createdAt,
      });
    },
  );

  test(
    'objects.update',
    'PUT answers updatedAt only and changes only the given fields',
    async ({ api, createClass }) => {
      const name = await createClass('GameScore');
      const { body } = await api.post(`/classes/${name}`, { score: 1, playerName: 'A' });
      const updated = await api.put(`/classes/${name}/${body.objectId}`, { score: 73453 });
      expect(updated.status).toBe(200);
      expect(updated.body).toEqual({ updatedAt: expect.stringMatching(ISO) });
      const fetched = await api.get(`/classes/${name}/${body.objectId}`);
      expect(fetched.body).toMatchObject({
        score: 73453,
        playerName: 'A',
        updatedAt: updated.body.updatedAt,
      });
    },
  );

  test(
    'objects.increment',
    'Increment adds atomically and the answer carries the new value',
    async ({ api, createClass }) => {
      const name = await createClass('GameScore');
      const { body } = await api.post(`/classes/${name}`, { score: 10 });
      const up = await api.put(`/classes/${name}/${body.objectId}`, {
        score: { __op: 'Increment', amount: 1 },
      });
      expect(up.body).toEqual({ score: 11, updatedAt: expect.stringMatching(ISO) });
      const down = await api.put(`/classes/${name}/${body.objectId}`, {
        score: { __op: 'Increment', amount: -3 },
      });
      expect(down.body).toEqual({ score: 8, updatedAt: expect.stringMatching(ISO) });
      expect((await api.get(`/classes/${name}/${body.objectId}`)).body.score).toBe(8);
    },
  );

  test(
    'objects.increment-missing-field',
    'Increment on a field the object lacks starts from zero',
    async ({ api, createClass }) => {
      const name = await createClass('GameScore', { score: { type: 'Number' } });
      const { body } = await api.post(`/classes/${name}`, { playerName: 'A' });
      const path = `/classes/${name}/${body.objectId}`;
      const up = await api.put(path, { score: { __op: 'Increment', amount: 5 } });
      expect(up.body).toEqual({ score: 5, updatedAt: expect.stringMatching(ISO) });
      const fresh = await api.put(path, { bonus: { __op: 'Increment', amount: 2 } });
      expect(fresh.body).toEqual({ bonus: 2, updatedAt: expect.stringMatching(ISO) });
      expect((await api.get(`/schemas/${name}`, { as: 'master' })).body.fields.bonus).toEqual({
        type: 'Number',
      });
    },
  );

  test(
    'objects.array-ops',
    'Add, AddUnique and Remove edit arrays and answer the new array',
    async ({ api, createClass }) => {
      const name = await createClass('GameScore');
      const { body } = await api.post(`/classes/${name}`, { skills: ['flying'] });
      const path = `/classes/${name}/${body.objectId}`;
      const added = await api.put(path, { skills: { __op: 'Add', objects: ['kungfu'] } });
      expect(added.body).toEqual({ skills: ['flying', 'kungfu'], updatedAt: expect.stringMatching(ISO) });
      // The guide: "The position of the insert is not guaranteed."
      const unique = await api.put(path, {
        skills: { __op: 'AddUnique', objects: ['flying', 'swimming', 'kungfu', 'climbing'] },
      });
      expect([...unique.body.skills].sort()).toEqual(['climbing', 'flying', 'kungfu', 'swimming']);
      expect([...(await api.get(path)).body.skills].sort()).toEqual([
        'climbing',
        'flying',
        'kungfu',
        'swimming',
      ]);
      const removed = await api.put(path, { skills: { __op: 'Remove', objects: ['flying', 'kungfu'] } });
      expect([...removed.body.skills].sort()).toEqual(['climbing', 'swimming']);
      expect([...(await api.get(path)).body.skills].sort()).toEqual(['climbing', 'swimming']);
    },
  );

  test(
    'objects.nested-keys',
    'dotted keys set and increment inside an Object field',
    async ({ api, createClass }) => {
      const name = await createClass('Profile', { settings: { type: 'Object' } });
      const { body } = await api.post(`/classes/${name}`, {
        settings: { theme: 'dark', limits: { daily: 1 } },
      });
      const path = `/classes/${name}/${body.objectId}`;
      const updated = await api.put(path, {
        'settings.limits.daily': 5,
        'settings.visits': { __op: 'Increment', amount: 2 },
      });
      expect(updated.status).toBe(200);
      // parse-server answers the results of operations, nested as in the object.
      expect(updated.body).toEqual({ settings: { visits: 2 }, updatedAt: expect.stringMatching(ISO) });
      expect((await api.get(path)).body.settings).toEqual({ theme: 'dark', limits: { daily: 5 }, visits: 2 });
    },
  );

  test('objects.empty-body', 'an empty create or update is accepted', async ({ api, createClass }) => {
    const name = await createClass('GameScore');
    const created = await api.post(`/classes/${name}`, {});
    expect(created.status).toBe(201);
    const bare = await api.request('POST', `/classes/${name}`);
    expect(bare.status).toBe(201);
    const updated = await api.put(`/classes/${name}/${created.body.objectId}`, {});
    expect(updated.status).toBe(200);
    expect(updated.body).toEqual({ updatedAt: expect.stringMatching(ISO) });
  });

  test('objects.delete-field', 'the Delete op removes a field', async ({ api, createClass }) => {
    const name = await createClass('GameScore');
    const { body } = await api.post(`/classes/${name}`, { score: 1, opponents: ['x'] });
    const path = `/classes/${name}/${body.objectId}`;
    expect((await api.put(path, { opponents: { __op: 'Delete' } })).status).toBe(200);
    expect((await api.get(path)).body.opponents).toBeUndefined();
  });

  test(
    'objects.delete',
    'DELETE removes the object; it then answers 101 with 404',
    async ({ api, createClass }) => {
      const name = await createClass('GameScore');
      const { body } = await api.post(`/classes/${name}`, { score: 1 });
      const deleted = await api.delete(`/classes/${name}/${body.objectId}`);
      expect(deleted.status).toBe(200);
      expect(deleted.body).toEqual({});
      const missing = await api.get(`/classes/${name}/${body.objectId}`);
      expect(missing.status).toBe(404);
      expect(missing.body).toEqual({ code: 101, error: 'Object not found.' });
      expect((await api.delete(`/classes/${name}/${body.objectId}`)).body.code).toBe(101);
      expect((await api.put(`/classes/${name}/${body.objectId}`, { score: 2 })).body.code).toBe(101);
    },
  );

  test(
    'objects.data-types',
    'every data type of the guide round-trips with its encoding',
    async ({ api, createClass }) => {
      const target = await createClass('Player');
      const name = await createClass('Types');
      const pointer = { __type: 'Pointer', className: target, objectId: 'abcdefghij' };
      const values = {
        number: 42.5,
        text: 'hello',
        flag: true,
        date: { __type: 'Date', iso: '2011-08-21T18:02:52.249Z' },
        bytes: { __type: 'Bytes', base64: 'VGhpcyBpcyBhIHN0cmluZw==' },
        pointer,
        location: { __type: 'GeoPoint', latitude: 40, longitude: -30 },
        area: {
          __type: 'Polygon',
          coordinates: [
            [0, 0],
            [0, 1],
            [1, 1],
            [1, 0],
            [0, 0],
          ],
        },
        object: {
          a: 1,
          nested: { b: [1, 'two', { c: null }] },
          when: { __type: 'Date', iso: '2020-02-02T00:00:00.000Z' },
        },
        list: [1, 'a', { __type: 'Date', iso: '2020-02-02T00:00:00.000Z' }, pointer],
      };
      const { body } = await api.post(`/classes/${name}`, values, { as: 'master' });
      const fetched = await api.get(`/classes/${name}/${body.objectId}`);
      expect(fetched.body).toEqual({
        ...values,
        objectId: body.objectId,
        createdAt: body.createdAt,
        updatedAt: body.createdAt,
      });
      const schema = await api.get(`/schemas/${name}`, { as: 'master' });
      expect(schema.body.fields).toMatchObject({
        number: { type: 'Number' },
        text: { type: 'String' },
        flag: { type: 'Boolean' },
        date: { type: 'Date' },
        bytes: { type: 'Bytes' },
        pointer: { type: 'Pointer', targetClass: target },
        location: { type: 'GeoPoint' },
        area: { type: 'Polygon' },
        object: { type: 'Object' },
        list: { type: 'Array' },
      });
    },
  );

  test(
    'objects.file-reference',
    'a File field answers its name and a URL under /files/:appId/',
    async ({ api, createClass }) => {
      const name = await createClass('Profile', { picture: { type: 'File' } });
      const { body } = await api.post(`/classes/${name}`, {
        picture: { __type: 'File', name: 'a1b2c3_picture.jpg' },
      });
      const fetched = await api.get(`/classes/${name}/${body.objectId}`);
      expect(fetched.body.picture).toEqual({
        __type: 'File',
        name: 'a1b2c3_picture.jpg',
        url: expect.stringMatching(
          new RegExp(`^https?://.+/files/${api.appId.replace(/[^A-Za-z0-9]/g, '.')}/a1b2c3_picture\\.jpg$`),
        ),
      });
    },
  );

  test(
    'objects.null',
    'null removes a field on update and is left out on create',
    async ({ api, createClass }) => {
      const name = await createClass('GameScore', { playerName: { type: 'String' } });
      const created = await api.post(`/classes/${name}`, { playerName: null, score: 1 });
      expect(created.status).toBe(201);
      const path = `/classes/${name}/${created.body.objectId}`;
      expect((await api.get(path)).body.playerName).toBeUndefined();
      await api.put(path, { playerName: 'A' });
      const cleared = await api.put(path, { playerName: null });
      expect(cleared.body).toEqual({ updatedAt: expect.stringMatching(ISO) });
      const fetched = await api.get(path);
      expect(fetched.body.playerName).toBeUndefined();
      expect(fetched.body.score).toBe(1);
    },
  );

  test(
    'objects.timestamps-read-only',
    'createdAt and updatedAt in an update are ignored when they are Dates, 111 when not',
    async ({ api, createClass }) => {
      const name = await createClass('GameScore');
      const { body } = await api.post(`/classes/${name}`, { score: 1 });
      const path = `/classes/${name}/${body.objectId}`;
      const old = { __type: 'Date', iso: '2000-01-01T00:00:00.000Z' };
      const ignored = await api.put(path, { createdAt: old, updatedAt: old, score: 2 });
      expect(ignored.status).toBe(200);
      expect(ignored.body.updatedAt).not.toBe(old.iso);
      const fetched = await api.get(path);
      expect(fetched.body).toMatchObject({ createdAt: body.createdAt, score: 2 });
      expect(fetched.body.updatedAt).not.toBe(old.iso);
      const text = await api.put(path, { createdAt: '2000-01-01T00:00:00.000Z' });
      expect(text.status).toBe(400);
      expect(text.body).toEqual({
        code: 111,
        error: `schema mismatch for ${name}.createdAt; expected Date but got String`,
      });
    },
  );

  test(
    'objects.relations',
    'AddRelation and RemoveRelation edit a relation; $relatedTo reads it',
    async ({ api, createClass }) => {
      const posts = await createClass('Post');
      const users = await createClass('Fan');
      const fans = await Promise.all(
        [1, 2, 3].map((i) => api.post(`/classes/${users}`, { n: i }, { as: 'master' })),
      );
      const { body } = await api.post(`/classes/${posts}`, { title: 'x' });
      const fan = (i: number) => ({ __type: 'Pointer', className: users, objectId: fans[i]?.body.objectId });
      await api.put(
        `/classes/${posts}/${body.objectId}`,
        { likes: { __op: 'AddRelation', objects: [fan(0), fan(1), fan(2)] } },
        { as: 'master' },
      );
      await api.put(`/classes/${posts}/${body.objectId}`, {
        likes: { __op: 'RemoveRelation', objects: [fan(1)] },
      });
      const fetched = await api.get(`/classes/${posts}/${body.objectId}`);
      expect(fetched.body.likes).toEqual({ __type: 'Relation', className: users });
      const schema = await api.get(`/schemas/${posts}`, { as: 'master' });
      expect(schema.body.fields.likes).toEqual({ type: 'Relation', targetClass: users });
    },
  );

  test('objects.keys', 'keys and excludeKeys choose the answered fields', async ({ api, createClass }) => {
    const name = await createClass('GameScore');
    const { body } = await api.post(`/classes/${name}`, { score: 1, playerName: 'A', cheatMode: true });
    const only = await api.get(`/classes/${name}/${body.objectId}`, { query: { keys: 'score' } });
    expect(only.body).toEqual({
      objectId: body.objectId,
      score: 1,
      createdAt: body.createdAt,
      updatedAt: body.createdAt,
    });
    const without = await api.get(`/classes/${name}`, { query: { excludeKeys: 'playerName,cheatMode' } });
    expect(without.body.results[0]).toEqual({
      objectId: body.objectId,
      score: 1,
      createdAt: body.createdAt,
      updatedAt: body.createdAt,
    });
  });

  test(
    'objects.master-creates-class',
    'with the master key, saving into a new class creates it',
    async ({ api, className }) => {
      const name = className('Fresh');
      const created = await api.post(`/classes/${name}`, { a: 1 }, { as: 'master' });
      expect(created.status).toBe(201);
      expect((await api.get(`/schemas/${name}`, { as: 'master' })).body.fields.a).toEqual({ type: 'Number' });
    },
  );

  test(
    'objects.client-class-creation',
    'a client cannot create a class (allowClientClassCreation is false)',
    async ({ api, className }) => {
      const name = className('Fresh');
      const refused = await api.post(`/classes/${name}`, { a: 1 });
      expect(refused.status).toBe(400);
      // parse-server 9 sanitizes permission errors (enableSanitizedErrorResponse).
      expect(refused.body).toEqual({ code: 119, error: 'Permission denied' });
    },
  );

  test(
    'objects.client-adds-field',
    'a client may add fields to an existing class',
    async ({ api, createClass }) => {
      const name = await createClass('GameScore');
      expect((await api.post(`/classes/${name}`, { brandNew: 'x' })).status).toBe(201);
      expect((await api.get(`/schemas/${name}`, { as: 'master' })).body.fields.brandNew).toEqual({
        type: 'String',
      });
    },
  );
}
