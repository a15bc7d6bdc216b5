import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect } from 'vitest';
import type { RestHarness } from './harness.js';

const suffix = () => Math.random().toString(36).slice(2, 8);

/** `GET/PUT /config`. Each test adds parameters of its own and deletes them afterwards. */
export function configTests({ test }: RestHarness): void {
  test(
    'config.get-put',
    'PUT /config (master) stores params with Parse types; GET /config answers them',
    async ({ api }) => {
      const name = `conformance_${suffix()}`;
      const when = { __type: 'Date', iso: '2030-01-01T00:00:00.000Z' };
      const where = { __type: 'GeoPoint', latitude: 40, longitude: -30 };
      const params = { [`${name}_text`]: 'hi', [`${name}_date`]: when, [`${name}_geo`]: where };
      try {
        const saved = await api.put('/config', { params }, { as: 'master' });
        expect(saved.status).toBe(200);
        expect(saved.body).toEqual({ result: true });
        const answer = await api.get('/config');
        expect(answer.status).toBe(200);
        expect(answer.body.params).toMatchObject(params);
        expect(answer.body.masterKeyOnly).toMatchObject({
          [`${name}_text`]: false,
          [`${name}_date`]: false,
          [`${name}_geo`]: false,
        });
      } finally {
        const removal = Object.fromEntries(Object.keys(params).map((key) => [key, { __op: 'Delete' }]));
        await api.put('/config', { params: removal }, { as: 'master' });
      }
      expect(Object.keys((await api.get('/config', { as: 'master' })).body.params)).not.toContain(
        `${name}_text`,
      );
    },
  );

  test(
    'config.master-key-only',
    'masterKeyOnly parameters are answered to the master key only',
    async ({ api }) => {
      const secret = `conformance_${suffix()}_secret`;
      try {
        await api.put(
          '/config',
          { params: { [secret]: 's' }, masterKeyOnly: { [secret]: true } },
          { as: 'master' },
        );
        const client = await api.get('/config');
        expect(Object.keys(client.body.params)).not.toContain(secret);
        expect(Object.keys(client.body.masterKeyOnly ?? {})).not.toContain(secret);
        const master = await api.get('/config', { as: 'master' });
        expect(master.body.params[secret]).toBe('s');
        expect(master.body.masterKeyOnly[secret]).toBe(true);
      } finally {
        await api.put('/config', { params: { [secret]: { __op: 'Delete' } } }, { as: 'master' });
      }
    },
  );

  test('config.master-only', 'PUT /config without the master key is refused with 403', async ({ api }) => {
    const answer = await api.put('/config', { params: { conformance_refused: 1 } });
    expect(answer.status).toBe(403);
  });
}

/** `POST /events/AppOpened` and `POST /events/:eventName`. */
export function analyticsTests({ test }: RestHarness): void {
  test(
    'analytics.events',
    'AppOpened and custom events with dimensions are accepted with {}',
    async ({ api }) => {
      const opened = await api.post('/events/AppOpened', {
        at: { __type: 'Date', iso: '2020-01-01T00:00:00.000Z' },
      });
      expect(opened.status).toBe(200);
      expect(opened.body).toEqual({});
      const custom = await api.post('/events/ConformanceSearch', { dimensions: { category: 'books' } });
      expect(custom.status).toBe(200);
      expect(custom.body).toEqual({});
    },
  );
}

interface Received {
  readonly path: string;
  readonly key: string | undefined;
  readonly body: Record<string, unknown>;
}

function readJson(request: IncomingMessage): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    let text = '';
    request.on('data', (chunk: Buffer) => {
      text += chunk.toString();
    });
    request.on('end', () => {
      try {
        resolve(JSON.parse(text) as Record<string, unknown>);
      } catch (error) {
        reject(error);
      }
    });
  });
}

/** The Hooks API, with webhook endpoints the test serves on 127.0.0.1. */
export function hooksTests({ test }: RestHarness, webhookKey: () => string | undefined): void {
  let receiver: Server;
  let base = '';
  const received: Received[] = [];
  beforeAll(async () => {
    receiver = createServer((request, response) => {
      readJson(request).then(
        (body) => {
          received.push({
            path: request.url ?? '',
            key: request.headers['x-parse-webhook-key'] as string,
            body,
          });
          const reply =
            request.url === '/fails'
              ? { error: 'the hook refused', code: 137 }
              : request.url === '/before-save'
                ? { success: { ...(body.object as object), fromHook: true } }
                : { success: { echo: body.params, path: request.url } };
          response.writeHead(200, { 'Content-Type': 'application/json' });
          response.end(JSON.stringify(reply));
        },
        () => {
          response.writeHead(400);
          response.end();
        },
      );
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => receiver.close(resolve));
  });

  test(
    'hooks.functions',
    'function webhooks: create, call, get, list, update the URL, delete',
    async ({ api }) => {
      const functionName = `conformanceHook_${suffix()}`;
      try {
        const created = await api.post(
          '/hooks/functions',
          { functionName, url: `${base}/one` },
          { as: 'master' },
        );
        expect(created.status).toBe(200);
        expect(created.body).toEqual({ functionName, url: `${base}/one` });
        const called = await api.post(`/functions/${functionName}`, { n: 1 });
        expect(called.body).toEqual({ result: { echo: { n: 1 }, path: '/one' } });
        const last = received.at(-1);
        expect(last?.body).toMatchObject({ params: { n: 1 }, master: false, functionName });
        const key = webhookKey();
        if (key !== undefined) expect(last?.key).toBe(key);
        expect((await api.get(`/hooks/functions/${functionName}`, { as: 'master' })).body).toMatchObject({
          functionName,
          url: `${base}/one`,
        });
        const listed = await api.get('/hooks/functions', { as: 'master' });
        expect(listed.body).toEqual(expect.arrayContaining([expect.objectContaining({ functionName })]));
        const moved = await api.put(
          `/hooks/functions/${functionName}`,
          { url: `${base}/two` },
          { as: 'master' },
        );
        expect(moved.status).toBe(200);
        expect((await api.post(`/functions/${functionName}`, {})).body.result.path).toBe('/two');
        expect(
          (await api.put(`/hooks/functions/${functionName}`, { __op: 'Delete' }, { as: 'master' })).status,
        ).toBe(200);
        expect((await api.post(`/functions/${functionName}`, {})).body).toEqual({
          code: 141,
          error: `Invalid function: "${functionName}"`,
        });
      } finally {
        await api.put(`/hooks/functions/${functionName}`, { __op: 'Delete' }, { as: 'master' });
      }
    },
  );

  test(
    'hooks.errors',
    'hook errors keep their code; bad, duplicate and missing hooks answer 143',
    async ({ api }) => {
      const functionName = `conformanceHookFails_${suffix()}`;
      try {
        expect((await api.post('/hooks/functions', { functionName, url: `${base}/fails` })).status).toBe(403);
        await api.post('/hooks/functions', { functionName, url: `${base}/fails` }, { as: 'master' });
        expect((await api.post(`/functions/${functionName}`, {})).body).toEqual({
          code: 141,
          error: 'the hook refused',
        });
        expect(
          (await api.post('/hooks/functions', { functionName, url: base }, { as: 'master' })).body,
        ).toEqual({
          code: 143,
          error: `function name: ${functionName} already exists`,
        });
        expect((await api.post('/hooks/functions', { functionName: 'x' }, { as: 'master' })).body).toEqual({
          code: 143,
          error: 'invalid hook declaration',
        });
        expect((await api.get(`/hooks/functions/${functionName}_missing`, { as: 'master' })).body).toEqual({
          code: 143,
          error: `no function named: ${functionName}_missing is defined`,
        });
      } finally {
        await api.put(`/hooks/functions/${functionName}`, { __op: 'Delete' }, { as: 'master' });
      }
    },
  );

  test(
    'hooks.triggers',
    'a beforeSave trigger webhook changes the saved object',
    async ({ api, createClass }) => {
      const className = await createClass('ConformanceHooked');
      const hook = { className, triggerName: 'beforeSave', url: `${base}/before-save` };
      try {
        expect((await api.post('/hooks/triggers', hook, { as: 'master' })).body).toEqual(hook);
        expect(
          (await api.get(`/hooks/triggers/${className}/beforeSave`, { as: 'master' })).body,
        ).toMatchObject(hook);
        const created = await api.post(`/classes/${className}`, { a: 1 }, { as: 'master' });
        expect(created.status).toBe(201);
        expect(received.at(-1)?.body).toMatchObject({
          triggerName: 'beforeSave',
          object: { className, a: 1 },
        });
        const stored = await api.get(`/classes/${className}/${created.body.objectId}`, { as: 'master' });
        expect(stored.body).toMatchObject({ a: 1, fromHook: true });
      } finally {
        await api.put(`/hooks/triggers/${className}/beforeSave`, { __op: 'Delete' }, { as: 'master' });
      }
    },
  );
}
