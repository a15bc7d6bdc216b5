import { expect } from 'vitest';
import type { RestHarness } from './harness.js';

/** `/health` and `/serverInfo`. */
export function serverTests({ test }: RestHarness): void {
  test('server.health', 'GET /health answers {status: ok} without keys', async ({ api }) => {
    const answer = await api.get('/health', { as: 'none' });
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ status: 'ok' });
  });

  test('server.info', 'GET /serverInfo (master key) answers the version and features', async ({ api }) => {
    const answer = await api.get('/serverInfo', { as: 'master' });
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({
      parseServerVersion: expect.any(String),
      features: { schemas: expect.any(Object) },
    });
    const client = await api.get('/serverInfo');
    expect(client.status).toBe(403);
  });
}
