import { expect } from 'vitest';
import type { RestHarness } from './harness.js';

/** `/batch`. */
export function batchTests({ test }: RestHarness): void {
  test(
    'batch.operations',
    'a batch runs each request and answers success or error per request',
    async ({ api, createClass }) => {
      const name = await createClass('GameScore', { score: { type: 'Number' } });
      const prefix = api.mountPath;
      const existing = await api.post(`/classes/${name}`, { score: 1 });
      const answer = await api.post('/batch', {
        requests: [
          {
            method: 'POST',
            path: `${prefix}/classes/${name}`,
            body: { score: 1337, playerName: 'Sean Plott' },
          },
          { method: 'PUT', path: `${prefix}/classes/${name}/${existing.body.objectId}`, body: { score: 2 } },
          { method: 'POST', path: `${prefix}/classes/${name}`, body: { score: 'not a number' } },
          { method: 'DELETE', path: `${prefix}/classes/${name}/doesNotExist` },
        ],
      });
      expect(answer.status).toBe(200);
      expect(answer.body).toEqual([
        { success: { objectId: expect.any(String), createdAt: expect.any(String) } },
        { success: { updatedAt: expect.any(String) } },
        {
          error: { code: 111, error: `schema mismatch for ${name}.score; expected Number but got String` },
        },
        { error: { code: 101, error: 'Object not found.' } },
      ]);
      expect((await api.get(`/classes/${name}`, { query: { count: '1', limit: '0' } })).body.count).toBe(2);
    },
  );

  test(
    'batch.creates',
    'creates in one batch succeed or fail each on its own (a taken username, a wrong type)',
    async ({ api, createClass }) => {
      const name = await createClass('GameScore', { score: { type: 'Number' } });
      const prefix = api.mountPath;
      const username = `batch${Math.random().toString(36).slice(2, 10)}`;
      const create = (className: string, body: Record<string, unknown>) => ({
        method: 'POST',
        path: `${prefix}/classes/${className}`,
        body,
      });
      const answer = await api.post('/batch', {
        requests: [
          create(name, { score: 1 }),
          create('_User', { username, password: 'secret' }),
          create('_User', { username, password: 'other' }),
          create(name, { score: 'two' }),
          create(name, { score: 3, note: 'a field the class did not have' }),
        ],
      });
      expect(answer.status).toBe(200);
      expect(answer.body).toEqual([
        { success: { objectId: expect.any(String), createdAt: expect.any(String) } },
        {
          success: {
            objectId: expect.any(String),
            createdAt: expect.any(String),
            sessionToken: expect.any(String),
          },
        },
        { error: { code: 202, error: 'Account already exists for this username.' } },
        {
          error: { code: 111, error: `schema mismatch for ${name}.score; expected Number but got String` },
        },
        { success: { objectId: expect.any(String), createdAt: expect.any(String) } },
      ]);
      const stored = await api.get(`/classes/${name}`, { query: { order: 'score' }, as: 'master' });
      expect(
        stored.body.results.map((row: { score: number; note?: string }) => [row.score, row.note]),
      ).toEqual([
        [1, undefined],
        [3, 'a field the class did not have'],
      ]);
      const login = await api.get('/login', { query: { username, password: 'secret' } });
      expect(login.status).toBe(200);
      await api.delete(`/users/${answer.body[1].success.objectId}`, { as: 'master' });
    },
  );

  test('batch.get', 'GET requests in a batch answer query results', async ({ api, createClass }) => {
    const name = await createClass('GameScore');
    const prefix = api.mountPath;
    const created = await api.post(`/classes/${name}`, { score: 5 });
    const answer = await api.post('/batch', {
      requests: [
        { method: 'GET', path: `${prefix}/classes/${name}/${created.body.objectId}` },
        { method: 'GET', path: `${prefix}/classes/${name}`, body: { where: { score: 5 } } },
      ],
    });
    expect(answer.body[0].success).toMatchObject({ objectId: created.body.objectId, score: 5 });
    expect(answer.body[1].success.results).toHaveLength(1);
  });

  test('batch.transaction-commit', 'transaction: true writes every request', async ({ api, createClass }) => {
    const name = await createClass('Ledger', { amount: { type: 'Number' } });
    const prefix = api.mountPath;
    const answer = await api.post('/batch', {
      transaction: true,
      requests: [1, 2, 3].map((amount) => ({
        method: 'POST',
        path: `${prefix}/classes/${name}`,
        body: { amount },
      })),
    });
    expect(answer.status).toBe(200);
    expect(answer.body).toHaveLength(3);
    expect((await api.get(`/classes/${name}`, { query: { count: '1', limit: '0' } })).body.count).toBe(3);
  });

  test(
    'batch.transaction-rollback',
    'transaction: true writes nothing when one request fails',
    async ({ api, createClass }) => {
      const name = await createClass('Ledger', { amount: { type: 'Number' } });
      const prefix = api.mountPath;
      const answer = await api.post('/batch', {
        transaction: true,
        requests: [
          { method: 'POST', path: `${prefix}/classes/${name}`, body: { amount: 1 } },
          { method: 'POST', path: `${prefix}/classes/${name}`, body: { amount: 'wrong type' } },
          { method: 'POST', path: `${prefix}/classes/${name}`, body: { amount: 3 } },
        ],
      });
      expect(answer.status).toBe(400);
      expect(answer.body).toEqual({ code: 111, error: expect.any(String) });
      expect((await api.get(`/classes/${name}`, { query: { count: '1', limit: '0' } })).body.count).toBe(0);
    },
  );

  test(
    'batch.transaction-new-field',
    'a transactional batch that adds fields commits without hanging',
    async ({ api, createClass }) => {
      const name = await createClass('Ledger');
      const prefix = api.mountPath;
      const answer = await api.post(
        '/batch',
        {
          transaction: true,
          requests: [
            { method: 'POST', path: `${prefix}/classes/${name}`, body: { first: 1 } },
            { method: 'POST', path: `${prefix}/classes/${name}`, body: { second: 'x' } },
          ],
        },
        { as: 'master' },
      );
      expect(answer.status).toBe(200);
      expect((await api.get(`/classes/${name}`, { query: { count: '1', limit: '0' } })).body.count).toBe(2);
    },
  );

  test(
    'batch.bad-path',
    'a request path outside the API answers 107 for the whole batch',
    async ({ api }) => {
      const answer = await api.post('/batch', {
        requests: [{ method: 'GET', path: '/elsewhere/classes/X' }],
      });
      expect(answer.status).toBe(400);
      expect(answer.body).toEqual({ code: 107, error: 'cannot route batch path /elsewhere/classes/X' });
    },
  );

  test(
    'batch.path-prefix',
    'request paths start with the mount path; without it the batch answers 107',
    async ({ api, createClass }) => {
      const name = await createClass('GameScore');
      const prefix = api.mountPath;
      const answer = await api.post('/batch', {
        requests: [{ method: 'POST', path: `${prefix}/classes/${name}`, body: { score: 1 } }],
      });
      expect(answer.body).toEqual([
        { success: { objectId: expect.any(String), createdAt: expect.any(String) } },
      ]);
      // A server mounted at the root has no prefix to leave out.
      if (prefix === '') return;
      const bare = await api.post('/batch', {
        requests: [{ method: 'POST', path: `/classes/${name}`, body: { score: 2 } }],
      });
      expect(bare.status).toBe(400);
      expect(bare.body).toEqual({ code: 107, error: `cannot route batch path /classes/${name}` });
      expect((await api.get(`/classes/${name}`, { query: { count: '1', limit: '0' } })).body.count).toBe(1);
    },
  );

  test(
    'batch.invalid-requests',
    "malformed batches answer 107 with parse-server's messages; an empty batch answers []",
    async ({ api, createClass }) => {
      const name = await createClass('GameScore');
      const prefix = api.mountPath;
      const refused = async (body: unknown, error: string) => {
        const answer = await api.post('/batch', body);
        expect(answer.status, error).toBe(400);
        expect(answer.body).toEqual({ code: 107, error });
      };
      await refused({}, 'requests must be an array');
      await refused({ requests: { method: 'GET' } }, 'requests must be an array');
      await refused({ requests: [{ method: 'GET' }] }, 'batch request path must be a string');
      await refused(
        { requests: [{ method: 'POST', path: `${prefix}/batch`, body: { requests: [] } }] },
        'nested batch requests are not allowed',
      );
      await refused(
        { requests: [{ method: 'PATCH', path: `${prefix}/classes/${name}` }] },
        `cannot route PATCH /classes/${name}`,
      );
      const empty = await api.post('/batch', { requests: [] });
      expect(empty.status).toBe(200);
      expect(empty.body).toEqual([]);
    },
  );

  test(
    'batch.limit',
    "a batch of 50 requests (the guide's limit) is answered in full; over the server limit answers 107",
    async ({ api, createClass }) => {
      const name = await createClass('GameScore', { n: { type: 'Number' } });
      const path = `${api.mountPath}/classes/${name}`;
      const requests = (count: number) =>
        Array.from({ length: count }, (_, n) => ({ method: 'POST', path, body: { n } }));
      const fifty = await api.post('/batch', { requests: requests(50) });
      expect(fifty.status).toBe(200);
      expect(fifty.body).toHaveLength(50);
      expect(fifty.body.every((item: { success?: unknown }) => item.success)).toBe(true);
      const limit = api.settings.batchRequestLimit;
      if (limit === undefined) return;
      const over = await api.post('/batch', { requests: requests(limit + 1) });
      expect(over.status).toBe(400);
      expect(over.body).toEqual({
        code: 107,
        error: `Batch request contains ${limit + 1} sub-requests, which exceeds the limit of ${limit}.`,
      });
      // The master key is not limited.
      const master = await api.post('/batch', { requests: requests(limit + 1) }, { as: 'master' });
      expect(master.body).toHaveLength(limit + 1);
    },
  );

  test('batch.acl', "each request in a batch runs with the caller's rights", async ({ api, createClass }) => {
    const name = await createClass('Note');
    const prefix = api.mountPath;
    const hidden = await api.post(`/classes/${name}`, { text: 'a', ACL: {} });
    const open = await api.post(`/classes/${name}`, { text: 'b' });
    const requests = [hidden, open].map(({ body }) => ({
      method: 'PUT',
      path: `${prefix}/classes/${name}/${body.objectId}`,
      body: { text: 'changed' },
    }));
    const client = await api.post('/batch', { requests });
    expect(client.body).toEqual([
      { error: { code: 101, error: 'Object not found.' } },
      { success: { updatedAt: expect.any(String) } },
    ]);
    const master = await api.post('/batch', { requests }, { as: 'master' });
    expect(master.body).toEqual([
      { success: { updatedAt: expect.any(String) } },
      { success: { updatedAt: expect.any(String) } },
    ]);
  });
}
