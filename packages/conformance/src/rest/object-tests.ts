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
      expect(up.body).toMatchObject({ score: 11 });
      const down = await api.put(`/classes/${name}/${body.objectId}`, {
        score: { __op: 'Increment', amount: -3 },
      });
      expect(down.body).toMatchObject({ score: 8 });
      expect((await api.get(`/classes/${name}/${body.objectId}`)).body.score).toBe(8);
    },
  );

  test('objects.array-ops', 'Add, AddUnique and Remove edit arrays', async ({ api, createClass }) => {
    const name = await createClass('GameScore');
    const { body } = await api.post(`/classes/${name}`, { skills: ['flying'] });
    const path = `/classes/${name}/${body.objectId}`;
    await api.put(path, { skills: { __op: 'Add', objects: ['kungfu'] } });
    await api.put(path, { skills: { __op: 'AddUnique', objects: ['flying', 'swimming'] } });
    expect((await api.get(path)).body.skills).toEqual(['flying', 'kungfu', 'swimming']);
    await api.put(path, { skills: { __op: 'Remove', objects: ['flying', 'kungfu'] } });
    expect((await api.get(path)).body.skills).toEqual(['swimming']);
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
      expect(fetched.body).toMatchObject(values);
    },
  );

  test('objects.file-reference', 'a File field answers its name and a URL', async ({ api, createClass }) => {
    const name = await createClass('Profile', { picture: { type: 'File' } });
    const { body } = await api.post(`/classes/${name}`, {
      picture: { __type: 'File', name: 'a1b2c3_picture.jpg' },
    });
    const fetched = await api.get(`/classes/${name}/${body.objectId}`);
    expect(fetched.body.picture).toMatchObject({
      __type: 'File',
      name: 'a1b2c3_picture.jpg',
      url: expect.stringContaining('a1b2c3_picture.jpg'),
    });
  });

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
