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

describe('requestComplexity', () => {
  let server: RunningServer;
  const cwd = mkdtempSync(join(tmpdir(), 'openparse-complexity-'));
  beforeAll(async () => {
    writeFileSync(
      join(cwd, 'config.json'),
      JSON.stringify({
        allowClientClassCreation: true,
        requestComplexity: {
          includeDepth: 2,
          includeCount: 3,
          queryDepth: 1,
          subqueryDepth: 1,
          subqueryLimit: 2,
          batchRequestLimit: 3,
          allowRegex: false,
        },
      }),
    );
    const config = loadConfig({ argv: ['config.json', '--port', '0', '--host', '127.0.0.1'], env: {}, cwd });
    server = await createServer(config, { cwd, logger: silentLogger });
  });
  afterAll(async () => {
    await server?.close();
    rmSync(cwd, { recursive: true, force: true });
  });

  const call = async (method: string, path: string, body?: unknown, asMaster = false) => {
    const response = await fetch(`${server.url}${path}`, {
      method,
      headers: {
        'X-Parse-Application-Id': server.appId,
        'Content-Type': 'application/json',
        ...(asMaster ? { 'X-Parse-Master-Key': server.masterKey } : {}),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };
  const find = (className: string, params: Record<string, unknown>, asMaster = false) =>
    call('POST', `/classes/${className}`, { _method: 'GET', ...params }, asMaster);
  const refused = (message: string) => ({ status: 400, body: { code: 102, error: message } });

  it('limits include depth and count, except for the master key', async () => {
    const leaf = await call('POST', '/classes/Leaf', { n: 1 });
    const leafId = leaf.body.objectId as string;
    const mid = await call('POST', '/classes/Mid', {
      leaf: { __type: 'Pointer', className: 'Leaf', objectId: leafId },
    });
    const midId = mid.body.objectId as string;
    const pointer = { __type: 'Pointer', className: 'Mid', objectId: midId };
    expect(
      (await call('POST', '/classes/Top', { mid: pointer, a: pointer, b: pointer, c: pointer })).status,
    ).toBe(201);

    const two = await find('Top', { include: 'mid.leaf' });
    expect(two.status).toBe(200);
    expect((two.body.results as { mid: { leaf: { n: number } } }[])[0]?.mid.leaf.n).toBe(1);
    expect(await find('Top', { include: 'mid.leaf.x' })).toEqual(
      refused('Include depth of 3 exceeds maximum allowed depth of 2'),
    );
    // `a.b` counts as two paths (`a` and `a.b`), as in parse-server.
    expect(await find('Top', { include: 'mid.leaf,a,b' })).toEqual(
      refused('Number of include fields (4) exceeds maximum allowed (3)'),
    );
    expect((await find('Top', { include: 'mid.leaf,a,b' }, true)).status).toBe(200);
    expect((await find('Top', { include: 'mid.leaf.x' }, true)).status).toBe(200);
    // A get checks the same limits.
    const topId = ((two.body.results as { objectId: string }[])[0] as { objectId: string }).objectId;
    expect(await call('GET', `/classes/Top/${topId}?include=a,b,c,mid`)).toEqual(
      refused('Number of include fields (4) exceeds maximum allowed (3)'),
    );
  });

  it('limits $or/$and/$nor nesting and refuses $regex', async () => {
    await call('POST', '/classes/Item', { n: 1, name: 'one' });
    const flat = await find('Item', { where: { $or: [{ n: 1 }, { n: 2 }] } });
    expect(flat.status).toBe(200);
    expect(flat.body.results).toHaveLength(1);
    const nested = { $or: [{ $and: [{ n: 1 }, { name: 'one' }] }, { n: 2 }] };
    expect(await find('Item', { where: nested })).toEqual(
      refused('Query condition nesting depth exceeds maximum allowed depth of 1'),
    );
    expect((await find('Item', { where: nested }, true)).body.results).toHaveLength(1);
    expect(await find('Item', { where: { name: { $regex: '^o' } } })).toEqual(
      refused('$regex operator is not allowed'),
    );
    expect(await find('Item', { where: { $or: [{ name: { $regex: '^o' } }] } })).toEqual(
      refused('$regex operator is not allowed'),
    );
    expect((await find('Item', { where: { name: { $regex: '^o' } } }, true)).body.results).toHaveLength(1);
  });

  it('limits subquery nesting and cuts subqueries at subqueryLimit rows', async () => {
    const teams: string[] = [];
    for (const city of ['Oslo', 'Oslo', 'Oslo']) {
      teams.push((await call('POST', '/classes/Team', { city })).body.objectId as string);
    }
    for (const team of teams) {
      await call('POST', '/classes/Player', {
        team: { __type: 'Pointer', className: 'Team', objectId: team },
      });
    }
    const inOslo = { team: { $inQuery: { className: 'Team', where: { city: 'Oslo' } } } };
    // Three teams match, the subquery stops at two: two players.
    expect((await find('Player', { where: inOslo })).body.results).toHaveLength(2);
    expect((await find('Player', { where: inOslo }, true)).body.results).toHaveLength(3);
    const nested = {
      team: {
        $inQuery: {
          className: 'Team',
          where: { objectId: { $select: { query: { className: 'Team', where: {} }, key: 'objectId' } } },
        },
      },
    };
    expect(await find('Player', { where: nested })).toEqual(
      refused('Subquery nesting depth exceeds maximum allowed depth of 1'),
    );
    expect((await find('Player', { where: nested }, true)).body.results).toHaveLength(3);
  });

  it('limits the requests in a batch (107), except for the master key', async () => {
    const requests = (count: number) =>
      Array.from({ length: count }, (_, n) => ({
        method: 'POST',
        path: '/parse/classes/Batch',
        body: { n },
      }));
    expect((await call('POST', '/batch', { requests: requests(3) })).status).toBe(200);
    expect(await call('POST', '/batch', { requests: requests(4) })).toEqual({
      status: 400,
      body: { code: 107, error: 'Batch request contains 4 sub-requests, which exceeds the limit of 3.' },
    });
    expect((await call('POST', '/batch', { requests: requests(4) }, true)).status).toBe(200);
  });

  it('refuses a bad requestComplexity setting at start', async () => {
    const bad = async (requestComplexity: unknown) =>
      createServer(
        loadConfig({
          argv: ['--port', '0', '--host', '127.0.0.1'],
          env: { PARSE_SERVER_REQUEST_COMPLEXITY: JSON.stringify(requestComplexity) },
          cwd,
        }),
        { cwd, logger: silentLogger },
      );
    await expect(bad({ includeDepth: 0 })).rejects.toThrow(/requestComplexity.includeDepth/);
    await expect(bad({ allowRegex: 'no' })).rejects.toThrow(/requestComplexity.allowRegex/);
    await expect(bad({ depth: 3 })).rejects.toThrow(/unknown option 'requestComplexity.depth'/);
  });
});
