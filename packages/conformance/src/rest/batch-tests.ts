import { expect } from 'vitest';
import type { RestHarness } from './harness.js';

/** `/batch`. */
export function batchTests({ test }: RestHarness): void {
  test(
    'batch.operations',
    'a batch runs each request and answers success or error per request',
    async ({ api, createClass }) => {
      const name = await createClass('GameScore', { score: { type: 'Number' } });
      const prefix = new URL(api.serverURL).pathname;
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
        { error: { code: 111, error: expect.any(String) } },
        { error: { code: 101, error: expect.any(String) } },
      ]);
      expect((await api.get(`/classes/${name}`, { query: { count: '1', limit: '0' } })).body.count).toBe(2);
    },
  );

  test('batch.get', 'GET requests in a batch answer query results', async ({ api, createClass }) => {
    const name = await createClass('GameScore');
    const prefix = new URL(api.serverURL).pathname;
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
    const prefix = new URL(api.serverURL).pathname;
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
      const prefix = new URL(api.serverURL).pathname;
      const answer = await api.post('/batch', {
        transaction: true,
        requests: [
          { method: 'POST', path: `${prefix}/classes/${name}`, body: { amount: 1 } },
          { method: 'POST', path: `${prefix}/classes/${name}`, body: { amount: 'wrong type' } },
          { method: 'POST', path: `${prefix}/classes/${name}`, body: { amount: 3 } },
        ],
      });
      expect(answer.status).toBe(400);
      expect(JSON.stringify(answer.body)).toContain('111');
      expect((await api.get(`/classes/${name}`, { query: { count: '1', limit: '0' } })).body.count).toBe(0);
    },
  );

  test(
    'batch.transaction-new-field',
    'a transactional batch that adds fields commits without hanging',
    async ({ api, createClass }) => {
      const name = await createClass('Ledger');
      const prefix = new URL(api.serverURL).pathname;
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
      expect(answer.body.code).toBe(107);
    },
  );
}
