import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from '@openparse/core';
import { createServer, loadConfig, type RunningServer } from '@openparse/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

describe('rate limits and idempotent writes', () => {
  let server: RunningServer;
  const cwd = mkdtempSync(join(tmpdir(), 'openparse-limits-'));
  beforeAll(async () => {
    writeFileSync(
      join(cwd, 'config.json'),
      JSON.stringify({
        rateLimit: [
          {
            requestPath: '/classes/Limited*path',
            requestTimeWindow: 60_000,
            requestCount: 3,
            requestMethods: ['POST'],
            includeInternalRequests: true,
            errorResponseMessage: 'Slow down.',
          },
          {
            requestPath: '/classes/Batched',
            requestTimeWindow: 60_000,
            requestCount: 2,
            includeInternalRequests: true,
          },
        ],
        idempotencyOptions: { paths: ['classes/.*', 'users'], ttl: 60 },
        allowClientClassCreation: true,
      }),
    );
    const config = loadConfig({ argv: ['config.json', '--port', '0', '--host', '127.0.0.1'], env: {}, cwd });
    server = await createServer(config, { cwd, logger: silentLogger });
  });
  afterAll(async () => {
    await server?.close();
    rmSync(cwd, { recursive: true, force: true });
  });

  const call = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const response = await fetch(`${server.url}${path}`, {
      method,
      headers: { 'X-Parse-Application-Id': server.appId, 'Content-Type': 'application/json', ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as { code?: number; error?: string } };
  };

  it('answers 429 once a path has used its requests for the window', async () => {
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await call('POST', '/classes/Limited', { i })).status);
    expect(statuses).toEqual([201, 201, 201, 429]);
    const refused = await call('POST', '/classes/Limited', {});
    expect(refused.body).toEqual({ code: 100, error: 'Slow down.' });
    // Other methods, other paths and the master key are not counted.
    expect((await call('GET', '/classes/Limited')).status).toBe(200);
    expect((await call('POST', '/classes/Free', {})).status).toBe(201);
    expect(
      (await call('POST', '/classes/Limited', {}, { 'X-Parse-Master-Key': server.masterKey })).status,
    ).toBe(201);
    // A batch counts each of its requests against the limits.
    const requests = [{ method: 'POST', path: '/parse/classes/Batched', body: {} }];
    const batch = async () => (await call('POST', '/batch', { requests: [...requests, ...requests] })).status;
    expect(await batch()).toBe(200);
    expect(await batch()).toBe(429);
  });

  it('refuses a retried write with the same X-Parse-Request-Id (159)', async () => {
    const id = { 'X-Parse-Request-Id': crypto.randomUUID() };
    const first = await call('POST', '/classes/Order', { item: 'book' }, id);
    expect(first.status).toBe(201);
    const retry = await call('POST', '/classes/Order', { item: 'book' }, id);
    expect([retry.status, retry.body]).toEqual([400, { code: 159, error: 'Duplicate request' }]);
    const count = await call('GET', '/classes/Order?count=1&limit=0');
    expect((count.body as { count?: number }).count).toBe(1);
    const other = await call(
      'POST',
      '/classes/Order',
      { item: 'pen' },
      { 'X-Parse-Request-Id': crypto.randomUUID() },
    );
    expect(other.status).toBe(201);
    // Paths the option does not name are not de-duplicated.
    const login = { 'X-Parse-Request-Id': crypto.randomUUID() };
    expect((await call('POST', '/functions/none', {}, login)).body.code).not.toBe(159);
  });
});

describe('session length', () => {
  let server: RunningServer;
  const cwd = mkdtempSync(join(tmpdir(), 'openparse-sessions-'));
  beforeAll(async () => {
    writeFileSync(
      join(cwd, 'config.json'),
      JSON.stringify({ sessionLength: 2, expireInactiveSessions: false }),
    );
    const config = loadConfig({ argv: ['config.json', '--port', '0', '--host', '127.0.0.1'], env: {}, cwd });
    server = await createServer(config, { cwd, logger: silentLogger });
  });
  afterAll(async () => {
    await server?.close();
    rmSync(cwd, { recursive: true, force: true });
  });

  it('a session ends sessionLength seconds after login (209 Session token is expired.)', async () => {
    const headers = { 'X-Parse-Application-Id': server.appId, 'Content-Type': 'application/json' };
    const signUp = await fetch(`${server.url}/users`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ username: 'brief', password: 'secret' }),
    });
    const { sessionToken } = (await signUp.json()) as { sessionToken: string };
    const me = () =>
      fetch(`${server.url}/users/me`, { headers: { ...headers, 'X-Parse-Session-Token': sessionToken } });
    expect((await me()).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 2200));
    const expired = await me();
    expect(await expired.json()).toEqual({ code: 209, error: 'Session token is expired.' });
  });
});
