import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ParseServer, silentLogger } from '@openparse/core';
import { PostgresStorageAdapter } from '@openparse/storage-postgres';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

describe('the core request handler mounted in Express', () => {
  let http: Server;
  let parse: ParseServer;
  let base = '';
  const headers = {
    'X-Parse-Application-Id': 'app',
    'X-Parse-Master-Key': 'master',
    'Content-Type': 'application/json',
  };

  beforeAll(async () => {
    parse = new ParseServer({
      appId: 'app',
      masterKey: 'master',
      storage: new PostgresStorageAdapter({ pglite: {} }),
      serverURL: 'http://localhost/api/v1',
      logger: silentLogger,
    });
    await parse.start();
    const app = express();
    app.get('/', (_req, res) => {
      res.send('home');
    });
    app.use('/api/v1', parse.handler);
    // A route after the mount still answers: the handler only serves its own paths.
    app.get('/after', (_req, res) => {
      res.send('after');
    });
    http = createServer(app);
    await new Promise<void>((done) => http.listen(0, '127.0.0.1', done));
    base = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await new Promise<void>((done) => http.close(() => done()));
    await parse.close();
  });

  it('serves the REST API under the Express mount path', async () => {
    const created = await fetch(`${base}/api/v1/classes/Note`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ text: 'hi' }),
    });
    expect(created.status).toBe(201);
    const { objectId } = (await created.json()) as { objectId: string };
    const fetched = await fetch(`${base}/api/v1/classes/Note/${objectId}`, { headers });
    expect(await fetched.json()).toMatchObject({ objectId, text: 'hi' });
    expect(await (await fetch(`${base}/api/v1/health`)).json()).toEqual({ status: 'ok' });
  });

  it('leaves the rest of the Express app alone', async () => {
    expect(await (await fetch(`${base}/`)).text()).toBe('home');
    expect(await (await fetch(`${base}/after`)).text()).toBe('after');
  });

  it('reads a body Express already parsed', async () => {
    const app = express();
    app.use(express.json());
    app.use('/parse', parse.handler);
    const server = createServer(app);
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/parse/classes/Note`;
    try {
      const created = await fetch(url, { method: 'POST', headers, body: JSON.stringify({ text: 'parsed' }) });
      expect(created.status).toBe(201);
    } finally {
      await new Promise<void>((done) => server.close(() => done()));
    }
  });
});
