import { expect } from 'vitest';
import type { RestHarness } from './harness.js';

/** Bad input: the right code and status, never a 500, never a partial write. */
export function errorTests({ test }: RestHarness): void {
  test(
    'errors.invalid-json',
    'a body that is not JSON answers 400 with an error message and writes nothing',
    async ({ api, createClass }) => {
      const name = await createClass('GameScore');
      const answer = await api.request('POST', `/classes/${name}`, {
        rawBody: '{"score": ',
        headers: { 'Content-Type': 'application/json' },
      });
      expect(answer.status).toBe(400);
      expect(answer.body).toMatchObject({ error: expect.any(String) });
      expect((await api.get(`/classes/${name}`)).body.results).toEqual([]);
    },
  );

  test(
    'errors.invalid-json-code',
    'a body that is not JSON answers 107 InvalidJSON',
    async ({ api, createClass }) => {
      const name = await createClass('GameScore');
      const answer = await api.request('POST', `/classes/${name}`, {
        rawBody: '{"score": ',
        headers: { 'Content-Type': 'application/json' },
      });
      expect(answer.status).toBe(400);
      expect(answer.body).toEqual({ code: 107, error: expect.any(String) });
    },
  );

  test('errors.invalid-class-name', 'an invalid class name answers 103', async ({ api }) => {
    const answer = await api.post('/classes/Bad-Name', { a: 1 }, { as: 'master' });
    expect(answer.status).toBe(400);
    expect(answer.body.code).toBe(103);
  });

  test('errors.invalid-field-name', 'an invalid field name answers 105', async ({ api, createClass }) => {
    const name = await createClass('GameScore');
    for (const field of ['_secret', '$dollar', 'has-dash', '1digit', 'has space']) {
      const answer = await api.post(`/classes/${name}`, { [field]: 1 }, { as: 'master' });
      expect(answer.status, field).toBe(400);
      expect(answer.body).toEqual({ code: 105, error: `Invalid field name: ${field}.` });
    }
    expect((await api.get(`/classes/${name}`, { as: 'master' })).body.results).toEqual([]);
  });

  test('errors.nested-key', "nested keys with '$' or '.' answer 121", async ({ api, createClass }) => {
    const name = await createClass('GameScore');
    for (const meta of [{ 'a.b': 1 }, { $a: 1 }]) {
      const answer = await api.post(`/classes/${name}`, { meta });
      expect(answer.status).toBe(400);
      expect(answer.body).toEqual({
        code: 121,
        error: "Nested keys should not contain the '$' or '.' characters",
      });
    }
  });

  test('errors.object-id-on-create', 'an objectId in a create answers 105', async ({ api, createClass }) => {
    const name = await createClass('GameScore');
    const answer = await api.post(`/classes/${name}`, { objectId: 'abcdefghij', a: 1 });
    expect(answer.status).toBe(400);
    expect(answer.body).toEqual({ code: 105, error: 'objectId is an invalid field name.' });
  });

  test('errors.unknown-operator', 'an unknown query operator answers 102', async ({ api, createClass }) => {
    const name = await createClass('GameScore', { score: { type: 'Number' } });
    const answer = await api.get(`/classes/${name}`, { query: { where: { score: { $bogus: 1 } } } });
    expect(answer.status).toBe(400);
    expect(answer.body.code).toBe(102);
  });

  test('errors.invalid-query-key', 'an invalid key in where answers 105', async ({ api, createClass }) => {
    const name = await createClass('GameScore');
    const answer = await api.get(`/classes/${name}`, { query: { where: { 'bad-key': 1 } } });
    expect(answer.status).toBe(400);
    expect(answer.body).toEqual({ code: 105, error: 'Invalid key name: bad-key' });
  });

  test('errors.bad-parameter', 'an unknown query parameter answers 102', async ({ api, createClass }) => {
    const name = await createClass('GameScore');
    const answer = await api.get(`/classes/${name}`, { query: { bogus: '1' } });
    expect(answer.status).toBe(400);
    expect(answer.body).toEqual({ code: 102, error: 'Invalid parameter for query: bogus' });
  });

  test(
    'errors.bad-limit',
    'a negative or non-numeric limit or skip is refused with 400, never a 500',
    async ({ api, createClass }) => {
      const name = await createClass('GameScore');
      for (const [query, code] of [
        [{ limit: '-1' }, 117],
        [{ limit: 'ten' }, 117],
        [{ skip: '-5' }, 118],
        [{ skip: 'x' }, 118],
      ] as const) {
        const answer = await api.get(`/classes/${name}`, { query });
        expect(answer.status, JSON.stringify(query)).toBe(400);
        expect(answer.body.code, JSON.stringify(query)).toBe(code);
      }
    },
  );

  test('errors.bad-where-json', 'a where that is not JSON answers 400', async ({ api, createClass }) => {
    const name = await createClass('GameScore');
    const answer = await api.get(`/classes/${name}`, { query: { where: '{not json' } });
    expect(answer.status).toBe(400);
    expect(answer.body).toEqual({ code: 107, error: 'where parameter is not valid JSON' });
  });

  test(
    'errors.malformed-pointer',
    'a pointer without objectId answers 400 and writes nothing',
    async ({ api, createClass }) => {
      const name = await createClass('GameScore');
      const answer = await api.post(`/classes/${name}`, {
        player: { __type: 'Pointer', className: 'Player' },
      });
      expect(answer.status).toBe(400);
      expect(answer.body.code).toBe(106);
      expect((await api.get(`/classes/${name}`)).body.results).toEqual([]);
    },
  );

  test(
    'errors.malformed-date',
    'a date that is not ISO 8601 answers 400 and writes nothing',
    async ({ api, createClass }) => {
      const name = await createClass('GameScore');
      const answer = await api.post(`/classes/${name}`, { when: { __type: 'Date', iso: 'yesterday' } });
      expect(answer.status).toBe(400);
      expect(answer.body.code).toBe(111);
      expect((await api.get(`/classes/${name}`)).body.results).toEqual([]);
    },
  );

  test('errors.unknown-type', 'an unknown __type answers 111', async ({ api, createClass }) => {
    const name = await createClass('GameScore');
    const answer = await api.post(`/classes/${name}`, { x: { __type: 'Banana' } });
    expect(answer.status).toBe(400);
    expect(answer.body).toEqual({ code: 111, error: 'This is not a valid Banana' });
  });

  test(
    'errors.where-not-object',
    'a where that is JSON but not an object answers 102',
    async ({ api, createClass }) => {
      const name = await createClass('GameScore');
      for (const where of ['5', '"text"', 'true']) {
        const answer = await api.get(`/classes/${name}`, { query: { where } });
        expect(answer.status, where).toBe(400);
        expect(answer.body.code, where).toBe(102);
      }
    },
  );

  test(
    'errors.bad-operator-value',
    '$in with a non-array answers 107; $or with a non-array answers 102',
    async ({ api, createClass }) => {
      const name = await createClass('GameScore', { score: { type: 'Number' } });
      const badIn = await api.get(`/classes/${name}`, { query: { where: { score: { $in: 5 } } } });
      expect(badIn.status).toBe(400);
      expect(badIn.body).toEqual({ code: 107, error: 'bad $in value' });
      const badOr = await api.get(`/classes/${name}`, { query: { where: { $or: 5 } } });
      expect(badOr.status).toBe(400);
      expect(badOr.body.code).toBe(102);
    },
  );

  test('errors.invalid-order-key', 'an invalid key in order answers 105', async ({ api, createClass }) => {
    const name = await createClass('GameScore');
    const answer = await api.get(`/classes/${name}`, { query: { order: '-bad-key' } });
    expect(answer.status).toBe(400);
    expect(answer.body).toEqual({ code: 105, error: 'Invalid field name: bad-key.' });
  });

  test(
    'errors.unknown-op',
    'an unknown or malformed __op answers 107 and changes nothing',
    async ({ api, createClass }) => {
      const name = await createClass('GameScore', { score: { type: 'Number' }, skills: { type: 'Array' } });
      const { body } = await api.post(`/classes/${name}`, { score: 1, skills: ['a'] });
      const path = `/classes/${name}/${body.objectId}`;
      for (const update of [
        { score: { __op: 'Banana' } },
        { score: { __op: 'Decrement', amount: 1 } },
        { skills: { __op: 'Add', objects: 'b' } },
      ]) {
        const answer = await api.put(path, update);
        expect(answer.status, JSON.stringify(update)).toBe(400);
        expect(answer.body.code, JSON.stringify(update)).toBe(107);
      }
      expect((await api.get(path)).body).toMatchObject({ score: 1, skills: ['a'] });
    },
  );

  test(
    'errors.object-id-on-update',
    'an update cannot change the objectId (105)',
    async ({ api, createClass }) => {
      const name = await createClass('GameScore');
      const { body } = await api.post(`/classes/${name}`, { score: 1 });
      const answer = await api.put(`/classes/${name}/${body.objectId}`, { objectId: 'zzzzzzzzzz' });
      expect(answer.status).toBe(400);
      expect(answer.body).toEqual({ code: 105, error: 'objectId is an invalid field name.' });
      expect((await api.get(`/classes/${name}/${body.objectId}`)).status).toBe(200);
    },
  );

  test(
    'errors.invalid-geopoint',
    'a GeoPoint with a non-number or out-of-range coordinate answers 111',
    async ({ api, createClass }) => {
      const name = await createClass('Place');
      for (const location of [
        { __type: 'GeoPoint', latitude: 100, longitude: 0 },
        { __type: 'GeoPoint', latitude: 0, longitude: 200 },
        { __type: 'GeoPoint', latitude: 'north', longitude: 0 },
      ]) {
        const answer = await api.post(`/classes/${name}`, { location });
        expect(answer.status, JSON.stringify(location)).toBe(400);
        expect(answer.body.code, JSON.stringify(location)).toBe(111);
      }
      expect((await api.get(`/classes/${name}`, { as: 'master' })).body.results).toEqual([]);
    },
  );

  test(
    'errors.invalid-polygon',
    'a Polygon with fewer than 3 points answers 107',
    async ({ api, createClass }) => {
      const name = await createClass('Place');
      const answer = await api.post(`/classes/${name}`, {
        area: {
          __type: 'Polygon',
          coordinates: [
            [0, 0],
            [1, 1],
          ],
        },
      });
      expect(answer.status).toBe(400);
      expect(answer.body).toEqual({ code: 107, error: 'Polygon must have at least 3 values' });
    },
  );

  test(
    'errors.invalid-bytes-file',
    'Bytes without base64 and a File without name answer 111',
    async ({ api, createClass }) => {
      const name = await createClass('Blob');
      const bytes = await api.post(`/classes/${name}`, { data: { __type: 'Bytes' } });
      expect(bytes.status).toBe(400);
      expect(bytes.body).toEqual({ code: 111, error: 'This is not a valid Bytes' });
      const file = await api.post(`/classes/${name}`, { file: { __type: 'File' } });
      expect(file.status).toBe(400);
      expect(file.body).toEqual({ code: 111, error: 'This is not a valid File' });
    },
  );

  test(
    'errors.pointer-class-mismatch',
    "a pointer to another class than the field's target answers 111",
    async ({ api, createClass }) => {
      const target = await createClass('Player');
      const name = await createClass('Score', { player: { type: 'Pointer', targetClass: target } });
      const answer = await api.post(`/classes/${name}`, {
        player: { __type: 'Pointer', className: 'Other', objectId: 'abcdefghij' },
      });
      expect(answer.status).toBe(400);
      expect(answer.body).toEqual({
        code: 111,
        error: `schema mismatch for ${name}.player; expected Pointer<${target}> but got Pointer<Other>`,
      });
    },
  );
}
