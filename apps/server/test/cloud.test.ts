import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type AnalyticsAdapter, type AnalyticsEvent, ParseServer, silentLogger } from '@openparse/core';
import { PostgresStorageAdapter } from '@openparse/storage-postgres';
import { createServer, loadConfig, type RunningServer } from '@openparse/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const CJS_CLOUD = fileURLToPath(new URL('./fixtures/cloud-cjs/cloud/main.js', import.meta.url));
/** The same cloud code as an ES module in a `"type": "module"` package (top-level await, imports). */
const ESM_CLOUD = fileURLToPath(new URL('./fixtures/cloud-esm/cloud/main.js', import.meta.url));

// biome-ignore lint/suspicious/noExplicitAny: answers are arbitrary JSON
type Answer = { status: number; body: any; headers: Headers };

describe.each([
  ['CommonJS', CJS_CLOUD],
  ['ES module', ESM_CLOUD],
])('Cloud Code (%s cloud/main.js on PGlite)', (_kind, cloudFile) => {
  let server: RunningServer;
  let cwd = '';
  const classes: string[] = [];

  async function call(
    path: string,
    body: unknown = {},
    headers: Record<string, string> = {},
    method = 'POST',
  ): Promise<Answer> {
    const answer = await fetch(`${server.url}${path}`, {
      method,
      headers: { 'X-Parse-Application-Id': server.appId, 'Content-Type': 'application/json', ...headers },
      body: method === 'GET' ? undefined : JSON.stringify(body),
    });
    return { status: answer.status, body: await answer.json(), headers: answer.headers };
  }
  const master = { 'X-Parse-Master-Key': '' };
  const className = (base: string) => {
    const name = `${base}_${Math.random().toString(36).slice(2, 8)}`;
    classes.push(name);
    return name;
  };

  beforeAll(async () => {
    cwd = mkdtempSync(join(tmpdir(), 'openparse-cloud-'));
    const config = loadConfig({
      argv: ['--port', '0', '--host', '127.0.0.1', '--cloud', cloudFile, '--webhookKey', 'hook-key'],
      env: {},
      cwd,
    });
    server = await createServer(config, { cwd, logger: silentLogger });
    master['X-Parse-Master-Key'] = server.masterKey;
  });
  afterAll(async () => {
    for (const name of classes) await call(`/schemas/${name}`, undefined, master, 'DELETE');
    await server?.close();
    rmSync(cwd, { recursive: true, force: true });
  });

  it('runs a function and answers { result }', async () => {
    expect(await call('/functions/hello')).toMatchObject({ status: 200, body: { result: 'Hello world!' } });
  });

  it('passes the body as params, and answers an unknown function with 141', async () => {
    const echo = await call('/functions/echo', { a: 1, nested: { b: [true] } });
    expect(echo.body).toEqual({ result: { a: 1, nested: { b: [true] } } });
    const missing = await call('/functions/nope');
    expect(missing).toMatchObject({ status: 400, body: { code: 141, error: 'Invalid function: "nope"' } });
  });

  it('decodes Dates and Pointers in params', async () => {
    const answer = await call('/functions/paramTypes', {
      when: { __type: 'Date', iso: '2021-01-01T00:00:00.000Z' },
      owner: { __type: 'Pointer', className: 'Owner', objectId: 'abc' },
    });
    expect(answer.body.result).toEqual({ dateIsDate: true, pointerIsObject: true, pointerClass: 'Owner' });
  });

  it('gives the request master, installationId, context, headers, ip and log', async () => {
    const answer = await call(
      '/functions/requestInfo',
      {},
      {
        'X-Parse-Installation-Id': 'install-1',
        'X-Parse-Cloud-Context': JSON.stringify({ from: 'test' }),
        'X-Test-Header': 'seen',
      },
    );
    expect(answer.body.result).toEqual({
      master: false,
      installationId: 'install-1',
      functionName: 'requestInfo',
      context: { from: 'test' },
      header: 'seen',
      hasIp: true,
      hasLog: true,
    });
    expect((await call('/functions/requestInfo', {}, master)).body.result.master).toBe(true);
  });

  it('encodes Dates, Pointers and Parse.Objects in the result as Parse JSON', async () => {
    const name = className('CloudScore');
    const answer = await call('/functions/encoded', { className: name });
    const { when, pointer, object, list } = answer.body.result;
    expect(when).toEqual({ __type: 'Date', iso: '2020-01-02T03:04:05.000Z' });
    expect(pointer).toEqual({ __type: 'Pointer', className: name, objectId: object.objectId });
    expect(object).toMatchObject({ __type: 'Object', className: name, name: 'saved in cloud' });
    expect(typeof object.createdAt).toBe('string');
    expect(list[0]).toMatchObject({ __type: 'Object', className: name, objectId: object.objectId });
  });

  it('runs the SDK in-process with useMasterKey, and without it as the public', async () => {
    const name = className('CloudQuery');
    await call('/functions/encoded', { className: name });
    expect((await call('/functions/queryWithMaster', { className: name })).body.result).toEqual([
      'saved in cloud',
    ]);
    // Clients may not read a class they could not create... but it exists now: the public count is 1.
    expect((await call('/functions/queryWithoutMaster', { className: name })).body.result).toBe(1);
    const saved = await call('/functions/saveAll', { className: name });
    expect(saved.body.result).toEqual([true, true, true]);
  });

  it('Parse.Cloud.run calls another function in-process', async () => {
    expect((await call('/functions/callsHello')).body).toEqual({ result: 'Hello world!' });
  });

  it('maps errors: a string → 141, a Parse.Error keeps its code, an Error → 141', async () => {
    expect(await call('/functions/throwsString')).toMatchObject({
      status: 400,
      body: { code: 141, error: 'a plain string' },
    });
    expect((await call('/functions/throwsParseError')).body).toEqual({ code: 137, error: 'already there' });
    expect((await call('/functions/throwsError')).body).toEqual({ code: 141, error: 'something broke' });
    expect((await call('/functions/rejectsLater')).body).toEqual({ code: 141, error: 'late failure' });
    // The server is still up.
    expect((await call('/functions/hello')).body.result).toBe('Hello world!');
  });

  it('validators: requireMaster, requireUser, fields, and a function', async () => {
    expect((await call('/functions/needsMaster')).body).toEqual({
      code: 142,
      error: 'Validation failed. Master key is required to complete this request.',
    });
    expect((await call('/functions/needsMaster', {}, master)).body).toEqual({ result: 'secret' });
    expect((await call('/functions/needsUser')).body).toEqual({
      code: 142,
      error: 'Validation failed. Please login to continue.',
    });
    expect((await call('/functions/validatedFields', {})).body).toEqual({
      code: 142,
      error: 'Validation failed. Please specify data for name.',
    });
    expect((await call('/functions/validatedFields', { name: 3 })).body).toEqual({
      code: 142,
      error: 'Validation failed. Invalid type for name. Expected: string',
    });
    expect((await call('/functions/validatedFields', { name: 'a', level: 5 })).body).toEqual({
      code: 142,
      error: 'Validation failed. Invalid option for level. Expected: 1, 2, 3',
    });
    expect((await call('/functions/validatedFields', { name: 'a', even: 3 })).body).toEqual({
      code: 142,
      error: 'even must be even',
    });
    expect((await call('/functions/validatedFields', { name: 'a', even: 4 })).body).toEqual({
      result: { name: 'a', even: 4, level: 1 },
    });
    expect((await call('/functions/validatorFunction', { refuse: true })).body).toEqual({
      code: 142,
      error: 'refused by the validator',
    });
    expect((await call('/functions/validatorFunction')).body).toEqual({ result: 'passed' });
  });

  it('Parse.Cloud.httpRequest reaches a server on loopback', async () => {
    const receiver: Server = createHttpServer((req, res) => {
      let text = '';
      req.on('data', (chunk: Buffer) => {
        text += chunk.toString();
      });
      req.on('end', () => {
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ method: req.method, received: JSON.parse(text) }));
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    const { port } = receiver.address() as AddressInfo;
    try {
      const answer = await call('/functions/fetchUrl', { url: `http://127.0.0.1:${port}/hook` });
      expect(answer.body.result).toEqual({ status: 200, data: { method: 'POST', received: { sent: true } } });
    } finally {
      await new Promise((resolve) => receiver.close(resolve));
    }
  });

  describe('triggers', () => {
    const cleanup = ['TriggerScore', 'TriggerLog', 'MasterSkipped', 'Validated'];
    afterAll(async () => {
      for (const name of cleanup) {
        await call(`/purge/${name}`, undefined, master, 'DELETE');
        await call(`/schemas/${name}`, undefined, master, 'DELETE');
      }
    });
    const logs = async (scoreId: string) =>
      (
        await call(
          `/classes/TriggerLog?where=${encodeURIComponent(JSON.stringify({ scoreId }))}&order=createdAt`,
          undefined,
          master,
          'GET',
        )
      ).body.results;

    it('beforeSave changes are stored and answered; afterSave sees the saved object and the context', async () => {
      const created = await call(
        '/classes/TriggerScore',
        { name: 'Alice', score: 10, hidden: false },
        { ...master, 'X-Parse-Cloud-Context': JSON.stringify({ tag: 't1' }) },
      );
      expect(created.status).toBe(201);
      expect(Object.keys(created.body).sort()).toEqual(['createdAt', 'normalizedName', 'objectId']);
      expect(created.body.normalizedName).toBe('alice');
      const id = created.body.objectId;
      const updated = await call(`/classes/TriggerScore/${id}`, { score: 20 }, master, 'PUT');
      expect(updated.status).toBe(200);
      expect(updated.body).toMatchObject({ previousScore: 10, normalizedName: 'alice' });
      const stored = await call(`/classes/TriggerScore/${id}`, undefined, master, 'GET');
      expect(stored.body).toMatchObject({
        name: 'Alice',
        score: 20,
        previousScore: 10,
        normalizedName: 'alice',
      });
      const events = await logs(id);
      expect(events.map((log: { event: string }) => log.event)).toEqual(['created', 'updated']);
      expect(events[0].context).toEqual({ tag: 't1', seenBy: 'beforeSave' });
    });

    it('a beforeSave that throws stops the write: a string → 141, a Parse.Error keeps its code', async () => {
      const before = (await call('/classes/TriggerScore?count=1&limit=0', undefined, master, 'GET')).body
        .count;
      expect(await call('/classes/TriggerScore', { name: 'Neg', score: -1 }, master)).toMatchObject({
        status: 400,
        body: { code: 141, error: 'score must not be negative' },
      });
      expect((await call('/classes/TriggerScore', { name: 'C', cheat: true }, master)).body).toEqual({
        code: 162,
        error: 'no cheating',
      });
      const after = (await call('/classes/TriggerScore?count=1&limit=0', undefined, master, 'GET')).body
        .count;
      expect(after).toBe(before);
    });

    it('an afterSave failure is logged and the answer stands', async () => {
      const created = await call('/classes/TriggerScore', { name: 'failAfterSave', score: 1 }, master);
      expect(created.status).toBe(201);
      const stored = await call(`/classes/TriggerScore/${created.body.objectId}`, undefined, master, 'GET');
      expect(stored.body.name).toBe('failAfterSave');
    });

    it('beforeDelete can refuse a delete; afterDelete runs after it', async () => {
      const locked = await call('/classes/TriggerScore', { name: 'L', score: 1, locked: true }, master);
      expect(
        (await call(`/classes/TriggerScore/${locked.body.objectId}`, undefined, master, 'DELETE')).body,
      ).toEqual({ code: 141, error: 'locked scores cannot be deleted' });
      expect(
        (await call(`/classes/TriggerScore/${locked.body.objectId}`, undefined, master, 'GET')).status,
      ).toBe(200);
      const free = await call('/classes/TriggerScore', { name: 'F', score: 1 }, master);
      expect(
        (await call(`/classes/TriggerScore/${free.body.objectId}`, undefined, master, 'DELETE')).status,
      ).toBe(200);
      const events = await logs(free.body.objectId);
      expect(events.map((log: { event: string }) => log.event)).toEqual(['created', 'deleted']);
      expect((await call('/classes/TriggerScore/nope', undefined, master, 'DELETE')).status).toBe(404);
    });

    it('beforeFind rewrites the query, afterFind changes the results (find and get)', async () => {
      const shown = await call('/classes/TriggerScore', { name: 'Shown', score: 5, hidden: false }, master);
      const hidden = await call('/classes/TriggerScore', { name: 'Hidden', score: 5, hidden: true }, master);
      const found = await call(
        `/classes/TriggerScore?where=${encodeURIComponent('{"score":5}')}`,
        undefined,
        master,
        'GET',
      );
      expect(found.body.results.map((row: { name: string }) => row.name)).toEqual(['Shown']);
      expect(found.body.results[0].seenByAfterFind).toBe(true);
      const got = await call(`/classes/TriggerScore/${shown.body.objectId}`, undefined, master, 'GET');
      expect(got.body).toMatchObject({ name: 'Shown', seenByAfterFind: true });
      expect(
        (await call(`/classes/TriggerScore/${hidden.body.objectId}`, undefined, master, 'GET')).body,
      ).toEqual({
        code: 101,
        error: 'Object not found.',
      });
    });

    it('triggers run for batch requests and for saves made by cloud code', async () => {
      const path = `${new URL(server.url).pathname}/classes/TriggerScore`;
      const batch = await call(
        '/batch',
        { requests: [{ method: 'POST', path, body: { name: 'Bob', score: 1 } }] },
        master,
      );
      expect(batch.body[0].success.normalizedName).toBe('bob');
      const fromCloud = await call('/functions/saveScore', { name: 'Carol' });
      expect(fromCloud.body).toEqual({ result: { normalizedName: 'carol' } });
    });

    it('triggers run inside a transactional batch; the batch answers', async () => {
      const path = `${new URL(server.url).pathname}/classes/TriggerScore`;
      const created = await call('/classes/TriggerScore', { name: 'Tx', score: 1 }, master);
      const batch = await call(
        '/batch',
        {
          transaction: true,
          requests: [
            { method: 'POST', path, body: { name: 'InTx', score: 2 } },
            { method: 'PUT', path: `${path}/${created.body.objectId}`, body: { score: 3 } },
          ],
        },
        master,
      );
      expect(batch.status).toBe(200);
      expect(batch.body[0].success.normalizedName).toBe('intx');
      expect(batch.body[1].success.previousScore).toBe(1);
      const stored = await call(`/classes/TriggerScore/${created.body.objectId}`, undefined, master, 'GET');
      expect(stored.body).toMatchObject({ score: 3, previousScore: 1 });
    });

    it('skipWithMasterKey: master-key saves skip the trigger', async () => {
      expect((await call('/classes/MasterSkipped', { a: 1 }, master)).status).toBe(201);
      expect((await call('/classes/MasterSkipped', { a: 2 })).body).toEqual({
        code: 141,
        error: 'clients may not save these',
      });
    });

    it('validator fields: required, default and constant apply to the saved object', async () => {
      const schema = await call(
        '/schemas/Validated',
        { className: 'Validated', fields: { title: { type: 'String' }, status: { type: 'String' } } },
        master,
      );
      expect(schema.status).toBe(200);
      expect((await call('/classes/Validated', { status: 'x' })).body).toEqual({
        code: 142,
        error: 'Validation failed. Please specify data for title.',
      });
      const created = await call('/classes/Validated', { title: 'T' });
      expect(created.status).toBe(201);
      expect(created.body.status).toBe('draft');
      const id = created.body.objectId;
      const changed = await call(`/classes/Validated/${id}`, { status: 'published', title: 'U' }, {}, 'PUT');
      expect(changed.body.status).toBe('draft');
      expect((await call(`/classes/Validated/${id}`, undefined, {}, 'GET')).body).toMatchObject({
        title: 'U',
        status: 'draft',
      });
    });
  });

  describe('jobs', () => {
    afterAll(async () => {
      await call('/purge/_JobStatus', undefined, master, 'DELETE');
      await call('/purge/_JobSchedule', undefined, master, 'DELETE');
    });

    /** Reads the job's status row until it leaves `running` (the job runs in the background). */
    async function finished(id: string) {
      for (;;) {
        const row = await call(`/classes/_JobStatus/${id}`, undefined, master, 'GET');
        expect(row.status).toBe(200);
        if (row.body.status !== 'running') return row.body;
        await new Promise((resolve) => setImmediate(resolve));
      }
    }

    it('POST /jobs/:name answers at once with X-Parse-Job-Status-Id; the row ends succeeded', async () => {
      const started = await call('/jobs/countTo', { to: 3 }, master);
      expect(started.status).toBe(200);
      expect(started.body).toEqual({});
      const id = started.headers.get('x-parse-job-status-id') as string;
      expect(id).toMatch(/^[A-Za-z0-9]{10}$/);
      const row = await finished(id);
      expect(row).toMatchObject({
        jobName: 'countTo',
        status: 'succeeded',
        source: 'api',
        message: 'counted to 3',
        params: { to: 3 },
      });
      expect(row.finishedAt.__type).toBe('Date');
      // The row is locked down: clients cannot read it.
      expect((await call(`/classes/_JobStatus/${id}`, undefined, {}, 'GET')).status).not.toBe(200);
    });

    it('a failing job ends failed with its message; POST /jobs takes jobName in the body', async () => {
      const started = await call('/jobs', { jobName: 'failingJob' }, master);
      const row = await finished(started.headers.get('x-parse-job-status-id') as string);
      expect(row).toMatchObject({ jobName: 'failingJob', status: 'failed', message: 'the job failed' });
      expect((await call('/functions/hello')).body.result).toBe('Hello world!');
    });

    it('Parse.Cloud.startJob from cloud code starts a job in-process', async () => {
      const started = await call('/functions/startsJob', {}, master);
      const id = started.body.result as string;
      expect(await finished(id)).toMatchObject({
        jobName: 'countTo',
        status: 'succeeded',
        params: { to: 2 },
      });
    });

    it('jobs need the master key; an unknown job is 141', async () => {
      expect((await call('/jobs/countTo', { to: 1 })).status).toBe(403);
      expect((await call('/jobs/nope', {}, master)).body).toEqual({ code: 141, error: 'Invalid job.' });
    });

    it('schedules are stored in _JobSchedule for the Dashboard', async () => {
      const created = await call(
        '/cloud_code/jobs',
        {
          job_schedule: {
            jobName: 'countTo',
            description: 'nightly',
            params: '{"to":2}',
            timeOfDay: '00:00:00.000Z',
          },
        },
        master,
      );
      expect(created.status).toBe(201);
      const listed = await call('/cloud_code/jobs', undefined, master, 'GET');
      expect(listed.body).toEqual([expect.objectContaining({ jobName: 'countTo', description: 'nightly' })]);
      expect(typeof listed.body[0].startAfter).toBe('string');
      const data = await call('/cloud_code/jobs/data', undefined, master, 'GET');
      expect(data.body).toEqual({ in_use: ['countTo'], jobs: ['countTo', 'failingJob'] });
      const edited = await call(
        `/cloud_code/jobs/${created.body.objectId}`,
        { job_schedule: { jobName: 'countTo', description: 'hourly' } },
        master,
        'PUT',
      );
      expect(edited.status).toBe(200);
      expect((await call('/cloud_code/jobs', { job_schedule: { jobName: 'nope' } }, master)).body).toEqual({
        code: 141,
        error: 'Cannot Schedule a job that is not deployed',
      });
      expect(
        (await call(`/cloud_code/jobs/${created.body.objectId}`, undefined, master, 'DELETE')).status,
      ).toBe(200);
      expect((await call('/cloud_code/jobs', undefined, master, 'GET')).body).toEqual([]);
    });
  });

  describe('config and analytics', () => {
    afterAll(async () => {
      await call('/purge/_GlobalConfig', undefined, master, 'DELETE');
    });

    it('GET/PUT /config with masterKeyOnly parameters and Parse types; Parse.Config in cloud code', async () => {
      expect((await call('/config', undefined, {}, 'GET')).body).toEqual({ params: {} });
      expect((await call('/config', { params: { a: 1 } }, {}, 'PUT')).status).toBe(403);
      const launch = { __type: 'Date', iso: '2030-01-01T00:00:00.000Z' };
      const where = { __type: 'GeoPoint', latitude: 40, longitude: -30 };
      const saved = await call(
        '/config',
        { params: { welcome: 'hi', launch, where, secret: 's' }, masterKeyOnly: { secret: true } },
        master,
        'PUT',
      );
      expect(saved.body).toEqual({ result: true });
      expect((await call('/config', undefined, {}, 'GET')).body).toEqual({
        params: { welcome: 'hi', launch, where },
        masterKeyOnly: { welcome: false, launch: false, where: false },
      });
      expect((await call('/config', undefined, master, 'GET')).body).toEqual({
        params: { welcome: 'hi', launch, where, secret: 's' },
        masterKeyOnly: { welcome: false, launch: false, where: false, secret: true },
      });
      await call('/config', { params: { welcome: { __op: 'Delete' } } }, master, 'PUT');
      expect((await call('/config', undefined, master, 'GET')).body.params).toEqual({
        launch,
        where,
        secret: 's',
      });
      expect((await call('/functions/readConfig')).body.result).toEqual({ launchIsDate: true, secret: 's' });
      expect((await call('/functions/saveConfig')).body.result).toBe(true);
      const after = await call('/config', undefined, {}, 'GET');
      expect(after.body.params.fromCloud).toBeUndefined();
      expect((await call('/config', undefined, master, 'GET')).body.params.fromCloud).toBe(1);
      expect((await call('/config', { params: 'nope' }, master, 'PUT')).body).toEqual({
        code: 107,
        error: 'params must be an object',
      });
    });

    it('POST /events/AppOpened and /events/:name are accepted', async () => {
      expect(
        await call('/events/AppOpened', { at: { __type: 'Date', iso: '2020-01-01T00:00:00.000Z' } }),
      ).toMatchObject({
        status: 200,
        body: {},
      });
      expect((await call('/events/Search', { dimensions: { category: 'books' } })).body).toEqual({});
      expect((await call('/events/Search', [1], {})).body).toEqual({
        code: 107,
        error: 'the event body must be an object',
      });
    });
  });

  describe('webhooks (Hooks API)', () => {
    let receiver: Server;
    let base = '';
    const seen: { path: string; key: string | undefined; body: Record<string, unknown> }[] = [];
    beforeAll(async () => {
      receiver = createHttpServer((req, res) => {
        let text = '';
        req.on('data', (chunk: Buffer) => {
          text += chunk.toString();
        });
        req.on('end', () => {
          const body = JSON.parse(text) as Record<string, unknown>;
          const key = req.headers['x-parse-webhook-key'] as string | undefined;
          seen.push({ path: req.url ?? '', key, body });
          const reply = (value: unknown) => {
            res.writeHead(200, { 'Content-Type': 'application/json' });
            res.end(JSON.stringify(value));
          };
          if (req.url === '/fn') reply({ success: { echo: body.params, from: 'fn' } });
          else if (req.url === '/fn2') reply({ success: 'moved' });
          else if (req.url === '/fails') reply({ error: 'the hook refused', code: 137 });
          else if (req.url === '/before-save') {
            reply({ success: { ...(body.object as object), fromHook: true } });
          } else reply({ success: null });
        });
      });
      await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
      base = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
    });
    afterAll(async () => {
      await call('/purge/_Hooks', undefined, master, 'DELETE');
      await call('/purge/HookedClass', undefined, master, 'DELETE');
      await call('/schemas/HookedClass', undefined, master, 'DELETE');
      await new Promise((resolve) => receiver.close(resolve));
    });

    it('function webhooks: create, call with X-Parse-Webhook-Key, get, list, update the URL, delete', async () => {
      expect((await call('/hooks/functions', { functionName: 'viaHook', url: `${base}/fn` })).status).toBe(
        403,
      );
      const created = await call('/hooks/functions', { functionName: 'viaHook', url: `${base}/fn` }, master);
      expect(created.body).toEqual({ functionName: 'viaHook', url: `${base}/fn` });
      const result = await call('/functions/viaHook', { n: 1 });
      expect(result.body).toEqual({ result: { echo: { n: 1 }, from: 'fn' } });
      const last = seen.at(-1);
      expect(last?.key).toBe('hook-key');
      expect(last?.body).toMatchObject({ params: { n: 1 }, master: false, functionName: 'viaHook' });
      expect((await call('/hooks/functions/viaHook', undefined, master, 'GET')).body).toEqual({
        functionName: 'viaHook',
        url: `${base}/fn`,
      });
      expect((await call('/hooks/functions', undefined, master, 'GET')).body).toEqual([
        { functionName: 'viaHook', url: `${base}/fn` },
      ]);
      const moved = await call('/hooks/functions/viaHook', { url: `${base}/fn2` }, master, 'PUT');
      expect(moved.body).toEqual({ functionName: 'viaHook', url: `${base}/fn2` });
      expect((await call('/hooks/functions/viaHook', undefined, master, 'GET')).body.url).toBe(`${base}/fn2`);
      expect((await call('/functions/viaHook')).body).toEqual({ result: 'moved' });
      expect((await call('/hooks/functions/viaHook', { __op: 'Delete' }, master, 'PUT')).body).toEqual({});
      expect((await call('/functions/viaHook')).body).toEqual({
        code: 141,
        error: 'Invalid function: "viaHook"',
      });
      expect((await call('/hooks/functions', undefined, master, 'GET')).body).toEqual([]);
    });

    it('hook errors: the endpoint error answers 141; bad declarations and duplicates are 143', async () => {
      await call('/hooks/functions', { functionName: 'refuses', url: `${base}/fails` }, master);
      expect((await call('/functions/refuses')).body).toEqual({ code: 141, error: 'the hook refused' });
      expect(
        (await call('/hooks/functions', { functionName: 'refuses', url: `${base}/x` }, master)).body,
      ).toEqual({
        code: 143,
        error: 'function name: refuses already exists',
      });
      expect((await call('/hooks/functions', { functionName: 'x' }, master)).body).toEqual({
        code: 143,
        error: 'invalid hook declaration',
      });
      expect(
        (await call('/hooks/triggers', { className: 'A', triggerName: 'nope', url: base }, master)).body,
      ).toEqual({
        code: 143,
        error: 'invalid hook declaration',
      });
      expect((await call('/hooks/functions/missing', undefined, master, 'GET')).body).toEqual({
        code: 143,
        error: 'no function named: missing is defined',
      });
      expect((await call('/hooks/functions/missing', { url: base }, master, 'PUT')).body).toEqual({
        code: 143,
        error: 'no function named: missing is defined',
      });
      const unreachable = await call(
        '/hooks/functions',
        { functionName: 'gone', url: 'http://127.0.0.1:1/x' },
        master,
      );
      expect(unreachable.status).toBe(200);
      expect((await call('/functions/gone')).body.code).toBe(143);
    });

    it('a beforeSave trigger webhook changes the saved object', async () => {
      const hook = { className: 'HookedClass', triggerName: 'beforeSave', url: `${base}/before-save` };
      expect((await call('/hooks/triggers', hook, master)).body).toEqual(hook);
      expect((await call('/hooks/triggers/HookedClass/beforeSave', undefined, master, 'GET')).body).toEqual(
        hook,
      );
      const created = await call('/classes/HookedClass', { a: 1 }, master);
      expect(created.status).toBe(201);
      expect(created.body.fromHook).toBe(true);
      expect(seen.at(-1)?.body).toMatchObject({
        triggerName: 'beforeSave',
        object: { className: 'HookedClass', a: 1 },
      });
      const stored = await call(`/classes/HookedClass/${created.body.objectId}`, undefined, master, 'GET');
      expect(stored.body).toMatchObject({ a: 1, fromHook: true });
      expect((await call('/hooks/triggers', undefined, master, 'GET')).body).toEqual([hook]);
      await call('/hooks/triggers/HookedClass/beforeSave', { __op: 'Delete' }, master, 'PUT');
      expect((await call('/classes/HookedClass', { a: 2 }, master)).body.fromHook).toBeUndefined();
    });
  });
});

describe('a cloud file that fails to load', () => {
  it('fails the start naming the file and the line', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'openparse-cloud-bad-'));
    try {
      writeFileSync(join(cwd, 'main.cjs'), "Parse.Cloud.define('a', () => 1);\nundefinedThing();\n");
      const config = loadConfig({
        argv: ['--port', '0', '--host', '127.0.0.1', '--cloud', 'main.cjs'],
        env: {},
        cwd,
      });
      await expect(createServer(config, { cwd, logger: silentLogger })).rejects.toThrow(
        `[core] cloud code failed to load at ${join(cwd, 'main.cjs')}:2:1: ReferenceError: undefinedThing is not defined`,
      );
    } finally {
      rmSync(cwd, { recursive: true, force: true });
    }
  });
});

describe('analyticsAdapter', () => {
  it('receives AppOpened and custom events with their dimensions and installation', async () => {
    const events: AnalyticsEvent[] = [];
    const adapter: AnalyticsAdapter = {
      async appOpened(event) {
        events.push(event);
        return undefined;
      },
      async trackEvent(event) {
        events.push(event);
        return { tracked: true };
      },
    };
    const parse = new ParseServer({
      appId: 'analytics-app',
      masterKey: 'analytics-master',
      storage: new PostgresStorageAdapter({ pglite: {} }),
      analyticsAdapter: adapter,
      logger: silentLogger,
    });
    await parse.start();
    const http = createHttpServer(parse.handler);
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    const { port } = http.address() as AddressInfo;
    try {
      const post = (path: string, body: unknown) =>
        fetch(`http://127.0.0.1:${port}/parse${path}`, {
          method: 'POST',
          headers: {
            'X-Parse-Application-Id': 'analytics-app',
            'X-Parse-Installation-Id': 'inst-9',
            'Content-Type': 'application/json',
          },
          body: JSON.stringify(body),
        }).then((answer) => answer.json());
      expect(await post('/events/AppOpened', {})).toEqual({});
      expect(await post('/events/Search', { dimensions: { q: 'x' } })).toEqual({ tracked: true });
      expect(events).toEqual([
        { eventName: 'AppOpened', parameters: {}, installationId: 'inst-9' },
        { eventName: 'Search', parameters: { dimensions: { q: 'x' } }, installationId: 'inst-9' },
      ]);
    } finally {
      await new Promise((resolve) => http.close(resolve));
      await parse.close();
    }
  });
});

describe('the ES module twin', () => {
  it('holds the same cloud code as the CommonJS file (below its ES-module-only header)', () => {
    const body = (file: string, header: number) =>
      readFileSync(file, 'utf8').split('\n').slice(header).join('\n');
    expect(body(ESM_CLOUD, 6)).toBe(body(CJS_CLOUD, 1));
  });
});

describe('cloud code that hangs, fails late or is rate-limited', () => {
  let lateFailureLogged: () => void = () => undefined;
  const lateFailure = new Promise<void>((resolve) => {
    lateFailureLogged = resolve;
  });
  const logger = {
    ...silentLogger,
    warn: (_details: Record<string, unknown>, message: string) => {
      if (message === 'Cloud function failsLate failed after timing out') lateFailureLogged();
    },
  };
  let server: RunningServer;
  let cwd = '';
  const call = async (path: string, body: unknown = {}) => {
    const answer = await fetch(`${server.url}${path}`, {
      method: 'POST',
      headers: {
        'X-Parse-Application-Id': server.appId,
        'X-Parse-Master-Key': server.masterKey,
        'Content-Type': 'application/json',
      },
      body: JSON.stringify(body),
    });
    return { status: answer.status, body: (await answer.json()) as Answer['body'] };
  };
  beforeAll(async () => {
    cwd = mkdtempSync(join(tmpdir(), 'openparse-cloud-timeout-'));
    writeFileSync(
      join(cwd, 'main.cjs'),
      [
        "Parse.Cloud.define('hangs', () => new Promise(() => {}));",
        "Parse.Cloud.define('failsLate', () => new Promise((_, reject) => setTimeout(() => reject(new Error('too late')), 400)));",
        "Parse.Cloud.define('quick', () => 'ok');",
        "Parse.Cloud.beforeSave('SlowSave', () => new Promise(() => {}));",
        'const limit = { requestTimeWindow: 60000, requestCount: 2, includeInternalRequests: true };',
        "Parse.Cloud.define('limited', () => 'ok', { rateLimit: limit });",
        "Parse.Cloud.define('loopbackExempt', () => 'ok', { rateLimit: { requestTimeWindow: 60000, requestCount: 1 } });",
        "Parse.Cloud.beforeSave('LimitedSave', () => {}, { rateLimit: { ...limit, requestCount: 1 } });",
      ].join('\n'),
    );
    const config = loadConfig({
      argv: ['--port', '0', '--host', '127.0.0.1', '--cloud', 'main.cjs', '--cloudFunctionTimeout', '200'],
      env: {},
      cwd,
    });
    server = await createServer(config, { cwd, logger });
  });
  afterAll(async () => {
    await server?.close();
    rmSync(cwd, { recursive: true, force: true });
  });

  it('a hanging function answers 124 and the server keeps serving', async () => {
    expect(await call('/functions/hangs')).toEqual({
      status: 400,
      body: { code: 124, error: 'Cloud function hangs timed out after 200 ms' },
    });
    expect((await call('/functions/quick')).body).toEqual({ result: 'ok' });
  });

  it('a function that fails after its timeout is logged, not unhandled', async () => {
    expect((await call('/functions/failsLate')).body.code).toBe(124);
    // Wait for the late failure itself (it is logged when it happens), then check the server.
    await lateFailure;
    expect((await call('/functions/quick')).body).toEqual({ result: 'ok' });
  });

  it('validator rateLimit: 429 with code 100 past requestCount; master key and loopback exempt by default', async () => {
    const asClient = async (path: string) => {
      const answer = await fetch(`${server.url}${path}`, {
        method: 'POST',
        headers: { 'X-Parse-Application-Id': server.appId, 'Content-Type': 'application/json' },
        body: '{}',
      });
      return { status: answer.status, body: (await answer.json()) as Answer['body'] };
    };
    expect((await asClient('/functions/limited')).body).toEqual({ result: 'ok' });
    expect((await asClient('/functions/limited')).body).toEqual({ result: 'ok' });
    expect(await asClient('/functions/limited')).toEqual({
      status: 429,
      body: { code: 100, error: 'Too many requests.' },
    });
    expect((await call('/functions/limited')).body).toEqual({ result: 'ok' });
    for (let n = 0; n < 3; n++)
      expect((await asClient('/functions/loopbackExempt')).body).toEqual({ result: 'ok' });
    expect((await call('/classes/LimitedSave', {})).status).toBe(201);
    expect((await asClient('/classes/LimitedSave')).status).toBe(201);
    expect(await asClient('/classes/LimitedSave')).toEqual({
      status: 429,
      body: { code: 100, error: 'Too many requests.' },
    });
  });

  it('a hanging beforeSave answers 124 and writes nothing', async () => {
    expect((await call('/classes/SlowSave', { a: 1 })).body).toEqual({
      code: 124,
      error: 'beforeSave trigger timed out after 200 ms',
    });
    const read = await fetch(`${server.url}/classes/SlowSave?count=1`, {
      headers: { 'X-Parse-Application-Id': server.appId, 'X-Parse-Master-Key': server.masterKey },
    });
    expect(await read.json()).toEqual({ results: [], count: 0 });
  });
});
