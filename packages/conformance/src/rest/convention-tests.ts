import { expect } from 'vitest';
import type { RestHarness } from './harness.js';

/** Headers, body keys, keys and CORS. */
export function conventionTests({ test }: RestHarness): void {
  test(
    'conventions.js-sdk-body-keys',
    'the JS SDK text/plain body with _ApplicationId and _method creates objects',
    async ({ api, createClass }) => {
      const name = await createClass('GameScore');
      const body = {
        _method: 'POST',
        _ApplicationId: api.appId,
        _JavaScriptKey: api.javascriptKey,
        _ClientVersion: 'js8.0.0',
        _InstallationId: 'b8a1f0a2-35b0-4b7e-8d0f-8f3a7e1c2d10',
        score: 7,
      };
      const created = await api.request('POST', `/classes/${name}`, {
        rawBody: JSON.stringify(body),
        as: 'none',
        headers: { 'Content-Type': 'text/plain' },
      });
      expect(created.status).toBe(201);
      const fetched = await api.get(`/classes/${name}/${created.body.objectId}`);
      expect(fetched.body).toMatchObject({ score: 7 });
      expect(Object.keys(fetched.body).filter((key) => key.startsWith('_'))).toEqual([]);
    },
  );

  test(
    'conventions.master-key-in-body',
    'the JS SDK _MasterKey body key acts as the master key',
    async ({ api, createClass }) => {
      const name = await createClass(
        'Secret',
        {},
        {
          classLevelPermissions: {
            find: {},
            get: {},
            count: {},
            create: {},
            update: {},
            delete: {},
            addField: {},
          },
        },
      );
      const body = {
        _method: 'GET',
        _ApplicationId: api.appId,
        _JavaScriptKey: api.javascriptKey,
        _MasterKey: api.masterKey,
      };
      const answer = await api.request('POST', `/classes/${name}`, {
        rawBody: JSON.stringify(body),
        as: 'none',
        headers: { 'Content-Type': 'text/plain' },
      });
      expect(answer.status).toBe(200);
      expect(answer.body).toEqual({ results: [] });
    },
  );

  test(
    'conventions.unknown-app-id',
    'a missing or wrong application id answers 403 unauthorized',
    async ({ api, createClass }) => {
      const name = await createClass('GameScore');
      const missing = await api.get(`/classes/${name}`, { as: 'none' });
      expect(missing.status).toBe(403);
      expect(missing.body).toEqual({ error: 'unauthorized' });
      const wrong = await api.get(`/classes/${name}`, {
        as: 'none',
        headers: { 'X-Parse-Application-Id': 'not-this-app' },
      });
      expect(wrong.status).toBe(403);
      expect(wrong.body).toEqual({ error: 'unauthorized' });
    },
  );

  test(
    'conventions.wrong-master-key',
    'a wrong master key is not the master key',
    async ({ api, createClass }) => {
      const name = await createClass('GameScore');
      const answer = await api.get(`/schemas/${name}`, { headers: { 'X-Parse-Master-Key': 'wrong' } });
      expect(answer.status).toBe(403);
      expect(answer.body).toEqual({ error: 'Permission denied' });
    },
  );

  test(
    'conventions.cors-preflight',
    'OPTIONS answers 200 with the CORS headers',
    async ({ api, createClass }) => {
      const name = await createClass('GameScore');
      const answer = await api.request('OPTIONS', `/classes/${name}`, {
        as: 'none',
        headers: { Origin: 'http://example.com', 'Access-Control-Request-Method': 'POST' },
      });
      expect(answer.status).toBe(200);
      expect(answer.headers.get('access-control-allow-origin')).toBe('*');
      expect(answer.headers.get('access-control-allow-methods')).toContain('POST');
      expect(answer.headers.get('access-control-allow-headers')).toContain('X-Parse-Application-Id');
    },
  );

  test(
    'conventions.cors-on-answers',
    'ordinary answers carry Access-Control-Allow-Origin',
    async ({ api, createClass }) => {
      const name = await createClass('GameScore');
      const answer = await api.get(`/classes/${name}`, { headers: { Origin: 'http://example.com' } });
      expect(answer.headers.get('access-control-allow-origin')).toBe('*');
    },
  );

  test('conventions.json-content-type', 'answers are JSON', async ({ api, createClass }) => {
    const name = await createClass('GameScore');
    const answer = await api.get(`/classes/${name}`);
    expect(answer.headers.get('content-type')).toMatch(/^application\/json/);
  });
}
