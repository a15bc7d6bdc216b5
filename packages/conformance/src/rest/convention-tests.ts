import { expect } from 'vitest';
import type { RestHarness } from './harness.js';

/** The request headers parse-server 9 allows in CORS preflight answers. */
const ALLOWED_HEADERS = [
  'X-Parse-Master-Key',
  'X-Parse-REST-API-Key',
  'X-Parse-Javascript-Key',
  'X-Parse-Application-Id',
  'X-Parse-Client-Version',
  'X-Parse-Session-Token',
  'X-Requested-With',
  'X-Parse-Revocable-Session',
  'X-Parse-Request-Id',
  'Content-Type',
  'Pragma',
  'Cache-Control',
];

const list = (header: string | null) => (header ?? '').split(',').map((item) => item.trim().toLowerCase());

/** Headers, body keys, keys and CORS. */
export function conventionTests({ test }: RestHarness): void {
  test(
    'conventions.js-sdk-body-keys',
    'the JS SDK text/plain body with _ApplicationId and _method creates objects',
    async ({ api, createClass }) => {
      const name = await createClass('GameScore');
      const created = await api.jsSdk('POST', `/classes/${name}`, {
        _InstallationId: 'b8a1f0a2-35b0-4b7e-8d0f-8f3a7e1c2d10',
        _context: { source: 'conformance' },
        score: 7,
      });
      expect(created.status).toBe(201);
      expect(created.body).toEqual({ objectId: expect.any(String), createdAt: expect.any(String) });
      const fetched = await api.get(`/classes/${name}/${created.body.objectId}`);
      expect(fetched.body).toMatchObject({ score: 7 });
      expect(Object.keys(fetched.body).filter((key) => key.startsWith('_'))).toEqual([]);
      const schema = await api.get(`/schemas/${name}`, { as: 'master' });
      expect(Object.keys(schema.body.fields).filter((key) => key.startsWith('_'))).toEqual([]);
    },
  );

  test(
    'conventions.method-override',
    'the JS SDK body _method turns a POST into GET, PUT or DELETE',
    async ({ api, createClass }) => {
      const name = await createClass('GameScore');
      const { body } = await api.post(`/classes/${name}`, { score: 1 });
      const path = `/classes/${name}/${body.objectId}`;
      const updated = await api.jsSdk('PUT', path, { score: 2 });
      expect(updated.status).toBe(200);
      expect(updated.body).toEqual({ updatedAt: expect.any(String) });
      const fetched = await api.jsSdk('GET', path);
      expect(fetched.body).toMatchObject({ objectId: body.objectId, score: 2 });
      const deleted = await api.jsSdk('DELETE', path);
      expect(deleted.status).toBe(200);
      expect(deleted.body).toEqual({});
      expect((await api.get(path)).status).toBe(404);
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
      const answer = await api.jsSdk('GET', `/classes/${name}`, { _MasterKey: api.masterKey });
      expect(answer.status).toBe(200);
      expect(answer.body).toEqual({ results: [] });
      const wrong = await api.jsSdk('GET', `/schemas/${name}`, { _MasterKey: 'not-the-master-key' });
      expect(wrong.status).toBe(403);
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
      const body = await api.jsSdk('GET', `/classes/${name}`, { _ApplicationId: undefined });
      expect(body.status).toBe(403);
      expect(body.body).toEqual({ error: 'unauthorized' });
      const otherBody = await api.jsSdk('GET', `/classes/${name}`, { _ApplicationId: 'not-this-app' });
      expect(otherBody.status).toBe(403);
      expect(otherBody.body).toEqual({ error: 'unauthorized' });
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
    'OPTIONS answers 200 with the CORS headers, without keys',
    async ({ api, createClass }) => {
      const name = await createClass('GameScore');
      const answer = await api.request('OPTIONS', `/classes/${name}`, {
        as: 'none',
        headers: {
          Origin: 'http://example.com',
          'Access-Control-Request-Method': 'POST',
          'Access-Control-Request-Headers': 'X-Parse-Application-Id, Content-Type',
        },
      });
      expect(answer.status).toBe(200);
      expect(answer.headers.get('access-control-allow-origin')).toBe('*');
      expect(list(answer.headers.get('access-control-allow-methods'))).toEqual(
        expect.arrayContaining(['get', 'put', 'post', 'delete', 'options']),
      );
      expect(list(answer.headers.get('access-control-allow-headers'))).toEqual(
        expect.arrayContaining(ALLOWED_HEADERS.map((header) => header.toLowerCase())),
      );
      expect(list(answer.headers.get('access-control-expose-headers'))).toEqual(
        expect.arrayContaining(['x-parse-job-status-id', 'x-parse-push-status-id']),
      );
    },
  );

  test(
    'conventions.cors-on-answers',
    'answers, errors included, carry Access-Control-Allow-Origin',
    async ({ api, createClass }) => {
      const name = await createClass('GameScore');
      const headers = { Origin: 'http://example.com' };
      const ok = await api.get(`/classes/${name}`, { headers });
      expect(ok.headers.get('access-control-allow-origin')).toBe('*');
      const notFound = await api.get(`/classes/${name}/abcdefghij`, { headers });
      expect(notFound.status).toBe(404);
      expect(notFound.headers.get('access-control-allow-origin')).toBe('*');
      const unauthorized = await api.get(`/classes/${name}`, { as: 'none', headers });
      expect(unauthorized.status).toBe(403);
      expect(unauthorized.headers.get('access-control-allow-origin')).toBe('*');
    },
  );

  test('conventions.json-content-type', 'answers are JSON', async ({ api, createClass }) => {
    const name = await createClass('GameScore');
    const answer = await api.get(`/classes/${name}`);
    expect(answer.headers.get('content-type')).toMatch(/^application\/json/);
    const error = await api.get(`/classes/${name}/abcdefghij`);
    expect(error.headers.get('content-type')).toMatch(/^application\/json/);
  });

  test(
    'conventions.client-keys',
    'when the server has client keys, a request without a matching one answers 403',
    async ({ api, createClass }) => {
      const name = await createClass('GameScore');
      const { restAPIKey, javascriptKey, clientKey } = api.settings;
      const path = `/classes/${name}`;
      const bare = await api.get(path, { as: 'none', headers: { 'X-Parse-Application-Id': api.appId } });
      if (!restAPIKey && !javascriptKey && !clientKey) {
        // No client key configured: the application id alone is enough.
        expect(bare.status).toBe(200);
        return;
      }
      expect(bare.status).toBe(403);
      expect(bare.body).toEqual({ error: 'unauthorized' });
      const withKey = (header: string, value: string) =>
        api.get(path, { as: 'none', headers: { 'X-Parse-Application-Id': api.appId, [header]: value } });
      const wrong = await withKey('X-Parse-REST-API-Key', 'not-a-key');
      expect(wrong.status).toBe(403);
      expect(wrong.body).toEqual({ error: 'unauthorized' });
      if (restAPIKey) expect((await withKey('X-Parse-REST-API-Key', restAPIKey)).status).toBe(200);
      if (javascriptKey) {
        expect((await withKey('X-Parse-Javascript-Key', javascriptKey)).status).toBe(200);
        expect((await api.jsSdk('GET', path)).status).toBe(200);
        const wrongBody = await api.jsSdk('GET', path, { _JavaScriptKey: 'not-a-key' });
        expect(wrongBody.status).toBe(403);
        expect(wrongBody.body).toEqual({ error: 'unauthorized' });
      }
      if (clientKey) expect((await withKey('X-Parse-Client-Key', clientKey)).status).toBe(200);
      const master = await api.get(path, {
        as: 'none',
        headers: { 'X-Parse-Application-Id': api.appId, 'X-Parse-Master-Key': api.masterKey },
      });
      expect(master.status).toBe(200);
    },
  );

  test(
    'conventions.session-token',
    'an unknown session token answers 209 Invalid session token, in a header or the body',
    async ({ api, createClass }) => {
      const name = await createClass('GameScore');
      const header = await api.get(`/classes/${name}`, {
        headers: { 'X-Parse-Session-Token': 'r:00000000000000000000000000000000' },
      });
      expect(header.status).toBe(400);
      expect(header.body).toEqual({ code: 209, error: 'Invalid session token' });
      const body = await api.jsSdk('GET', `/classes/${name}`, {
        _SessionToken: 'r:00000000000000000000000000000000',
      });
      expect(body.status).toBe(400);
      expect(body.body).toEqual({ code: 209, error: 'Invalid session token' });
    },
  );

  test(
    'conventions.installation-id',
    'X-Parse-Installation-Id and _InstallationId are accepted; a non-string _InstallationId is not',
    async ({ api, createClass }) => {
      const name = await createClass('GameScore');
      const installationId = '4f9d3c36-5c7c-4e1a-9d5e-9a0b1c2d3e4f';
      const header = await api.post(
        `/classes/${name}`,
        { score: 1 },
        { headers: { 'X-Parse-Installation-Id': installationId } },
      );
      expect(header.status).toBe(201);
      const body = await api.jsSdk('POST', `/classes/${name}`, { _InstallationId: installationId, score: 2 });
      expect(body.status).toBe(201);
      const invalid = await api.jsSdk('POST', `/classes/${name}`, { _InstallationId: 42, score: 3 });
      expect(invalid.status).toBe(403);
      expect(invalid.body).toEqual({ error: 'unauthorized' });
      expect((await api.get(`/classes/${name}`, { query: { count: '1', limit: '0' } })).body.count).toBe(2);
    },
  );

  test(
    'conventions.context',
    'a Cloud Code context (X-Parse-Cloud-Context or _context) must be a JSON object: else 107',
    async ({ api, createClass }) => {
      const name = await createClass('GameScore');
      const path = `/classes/${name}`;
      const header = (value: string) =>
        api.post(path, { score: 1 }, { headers: { 'X-Parse-Cloud-Context': value } });
      expect((await header('{"a":1}')).status).toBe(201);
      expect((await api.jsSdk('POST', path, { _context: '{"a":1}', score: 2 })).status).toBe(201);
      const refused = { code: 107, error: 'Invalid object for context.' };
      for (const answer of [
        await header('not json'),
        await header('[1]'),
        await api.jsSdk('POST', path, { _context: 'not json', score: 3 }),
        await api.jsSdk('POST', path, { _context: '5', score: 3 }),
      ]) {
        expect(answer.status).toBe(400);
        expect(answer.body).toEqual(refused);
      }
      expect((await api.get(path, { query: { count: '1', limit: '0' } })).body.count).toBe(2);
    },
  );

  test(
    'conventions.body-limit',
    'a body over 20 MB (maxUploadSize) answers 413 and writes nothing',
    async ({ api, createClass }) => {
      const name = await createClass('GameScore');
      const answer = await api.request('POST', `/classes/${name}`, {
        rawBody: JSON.stringify({ text: 'x'.repeat(21 * 1024 * 1024) }),
        headers: { 'Content-Type': 'application/json' },
      });
      expect(answer.status).toBe(413);
      expect(answer.body).toEqual({ error: 'request entity too large' });
      expect((await api.get(`/classes/${name}`)).body.results).toEqual([]);
    },
  );

  test('conventions.unknown-route', 'a path that is no API route answers 404', async ({ api }) => {
    expect((await api.get('/no-such-route')).status).toBe(404);
    expect((await api.request('PATCH', '/classes/GameScore')).status).toBe(404);
  });
}
