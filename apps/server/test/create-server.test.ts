import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from '@openparse/core';
import { ConfigError, createServer, loadConfig } from '@openparse/server';
import { afterAll, describe, expect, it } from 'vitest';

describe('createServer', () => {
  const cwd = mkdtempSync(join(tmpdir(), 'openparse-create-'));
  afterAll(() => rmSync(cwd, { recursive: true, force: true }));

  it('starts the embedded default on a free port and closes (twice is fine)', async () => {
    const config = loadConfig({
      argv: ['--port', '0', '--host', '127.0.0.1', '--mountPath', '/api'],
      env: {},
      cwd,
    });
    const server = await createServer(config, { cwd, logger: silentLogger });
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/api`);
    expect(server.keySource).toBe('generated');
    const health = await fetch(`${server.url}/health`);
    expect(await health.json()).toEqual({ status: 'ok' });
    const info = await fetch(`${server.url}/serverInfo`, {
      headers: { 'X-Parse-Application-Id': server.appId, 'X-Parse-Master-Key': server.masterKey },
    });
    expect(info.status).toBe(200);
    await server.close();
    await server.close();
    await expect(fetch(`${server.url}/health`)).rejects.toThrow();
  });

  it('uses serverURL as given', async () => {
    const config = loadConfig({
      argv: ['--port', '0', '--serverURL', 'https://api.example.com/parse'],
      env: {},
      cwd,
    });
    const server = await createServer(config, { cwd, logger: silentLogger });
    expect(server.url).toBe('https://api.example.com/parse');
    expect(server.keySource).toBe('stored');
    await server.close();
  });

  it('refuses a databaseURI without keys before listening', async () => {
    const config = loadConfig({ argv: ['--databaseURI', 'postgres://127.0.0.1:1/none'], env: {}, cwd });
    await expect(createServer(config, { cwd, logger: silentLogger })).rejects.toBeInstanceOf(ConfigError);
  });
});
