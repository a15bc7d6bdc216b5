import { expect } from 'vitest';
import type { RestHarness } from './harness.js';

/** Bad input: the right code and status, never a 500, never a partial write. */
export function errorTests({ test }: RestHarness): void {
  test(
    'errors.invalid-json',
    'a body that is not JSON answers 400 without a 500',
    async ({ api, createClass }) => {
      const name = await createClass('GameScore');
      const answer = await api.request('POST', `/classes/${name}`, {
        rawBody: '{"score": ',
        headers: { 'Content-Type': 'application/json' },
      });
      expect(answer.status).toBe(400);
      expect((await api.get(`/classes/${name}`)).body.results).toEqual([]);
    },
  );

  test('errors.invalid-class-name', 'an invalid class name answers 103', async ({ api }) => {
    const answer = await api.post('/classes/Bad-Name', { a: 1 }, { as: 'master' });
    expect(answer.status).toBe(400);
    expect(answer.body.code).toBe(103);
  });

  test('errors.invalid-field-name', 'an invalid field name answers 105', async ({ api, createClass }) => {
    const name = await createClass('GameScore');
    for (const field of ['_secret', 'has-dash', '1digit']) {
      const answer = await api.post(`/classes/${name}`, { [field]: 1 }, { as: 'master' });
      expect(answer.status, field).toBe(400);
      expect(answer.body.code, field).toBe(105);
    }
  });

  test('errors.nested-key', "nested keys with '$' or '.' answer 121", async ({ api, createClass }) => {
    const name = await createClass('GameScore');
    const answer = await api.post(`/classes/${name}`, { meta: { 'a.b': 1 } });
    expect(answer.status).toBe(400);
    expect(answer.body.code).toBe(121);
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
    expect(answer.body.code).toBe(105);
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
      for (const query of [{ limit: '-1' }, { limit: 'ten' }, { skip: '-5' }, { skip: 'x' }]) {
        const answer = await api.get(`/classes/${name}`, { query });
        expect(answer.status, JSON.stringify(query)).toBe(400);
        expect(typeof answer.body.code, JSON.stringify(query)).toBe('number');
      }
    },
  );

  test('errors.bad-where-json', 'a where that is not JSON answers 400', async ({ api, createClass }) => {
    const name = await createClass('GameScore');
    const answer = await api.get(`/classes/${name}`, { query: { where: '{not json' } });
    expect(answer.status).toBe(400);
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
      expect(typeof answer.body.code).toBe('number');
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
      expect((await api.get(`/classes/${name}`)).body.results).toEqual([]);
    },
  );

  test('errors.unknown-type', 'an unknown __type answers 111', async ({ api, createClass }) => {
    const name = await createClass('GameScore');
    const answer = await api.post(`/classes/${name}`, { x: { __type: 'Banana' } });
    expect(answer.status).toBe(400);
    expect(answer.body.code).toBe(111);
  });
}
