import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from '@openparse/core';
import { createServer, loadConfig, type RunningServer } from '@openparse/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

describe('the maintenance key', () => {
  let server: RunningServer;
  const cwd = mkdtempSync(join(tmpdir(), 'openparse-maintenance-'));
  beforeAll(async () => {
    const config = loadConfig({
      argv: ['--port', '0', '--host', '127.0.0.1', '--maintenanceKey', 'fix-it'],
      env: {},
      cwd,
    });
    server = await createServer(config, { cwd, logger: silentLogger });
  });
  afterAll(async () => {
    await server?.close();
    rmSync(cwd, { recursive: true, force: true });
  });

  const call = async (method: string, path: string, headers: Record<string, string>, body?: unknown) => {
    const response = await fetch(`${server.url}${path}`, {
      method,
      headers: { 'X-Parse-Application-Id': server.appId, 'Content-Type': 'application/json', ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    // biome-ignore lint/suspicious/noExplicitAny: answers are arbitrary JSON
    return { status: response.status, body: (await response.json()) as any };
  };
  const maintenance = { 'X-Parse-Maintenance-Key': 'fix-it' };

  it('reads past ACLs and sees internal fields, but is refused master-only routes', async () => {
    const user = await call('POST', '/users', {}, { username: 'kept', password: 'secret' });
    expect((await call('GET', `/users/${user.body.objectId}`, {})).status).toBe(404);
    const read = await call('GET', `/users/${user.body.objectId}`, maintenance);
    expect(read.status).toBe(200);
    expect(read.body.password).toMatch(/^\$2b\$10\$/);
    expect((await call('GET', '/schemas', maintenance)).status).toBe(403);
    expect((await call('POST', '/loginAs', maintenance, { userId: user.body.objectId })).body.code).toBe(119);
    const wrong = await call('GET', `/users/${user.body.objectId}`, { 'X-Parse-Maintenance-Key': 'nope' });
    expect(wrong.status).toBe(404);
  });
});
