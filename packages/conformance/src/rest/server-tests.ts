import { expect } from 'vitest';
import type { RestHarness } from './harness.js';

const FLAGS = expect.any(Object);

/** `/health` and `/serverInfo`. */
export function serverTests({ test }: RestHarness): void {
  test('server.health', 'GET /health answers 200 {status: "ok"} without any key', async ({ api }) => {
    const answer = await api.get('/health', { as: 'none' });
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ status: 'ok' });
    expect(answer.headers.get('content-type')).toMatch(/^application\/json/);
  });

  test(
    'server.info',
    'GET /serverInfo (master key) answers parseServerVersion and the features',
    async ({ api }) => {
      const answer = await api.get('/serverInfo', { as: 'master' });
      expect(answer.status).toBe(200);
      expect(answer.body).toEqual({
        parseServerVersion: expect.stringMatching(/^\d+\.\d+\.\d+/),
        features: {
          globalConfig: FLAGS,
          hooks: FLAGS,
          cloudCode: FLAGS,
          logs: FLAGS,
          push: FLAGS,
          schemas: FLAGS,
          settings: FLAGS,
        },
      });
      const { schemas, globalConfig, push } = answer.body.features;
      expect(schemas).toMatchObject({
        addField: true,
        removeField: true,
        addClass: true,
        removeClass: true,
        clearAllDataFromClass: true,
        editClassLevelPermissions: true,
      });
      // Each flag says what that server supports; the shape is what clients rely on.
      expect(Object.keys(globalConfig).sort()).toEqual(['create', 'delete', 'read', 'update']);
      for (const flags of Object.values(answer.body.features) as Record<string, unknown>[]) {
        for (const value of Object.values(flags)) expect(typeof value).toBe('boolean');
      }
      expect(Object.keys(push)).toEqual(
        expect.arrayContaining(['immediatePush', 'scheduledPush', 'storedPushData', 'pushAudiences']),
      );
    },
  );

  test('server.info-master-only', 'GET /serverInfo without the master key answers 403', async ({ api }) => {
    const answer = await api.get('/serverInfo');
    expect(answer.status).toBe(403);
    expect(answer.body).toEqual({ error: 'Permission denied' });
  });
}
