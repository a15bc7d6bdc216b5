import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from '@openparse/core';
import { ConfigError, createServer, loadConfig } from '@openparse/server';
import { afterAll, describe, expect, it } from 'vitest';

// A parse-server-style auth adapter: the token must be the id reversed.
const ADAPTER = `
export default class MirrorAuth {
  validateAuthData(authData, options) {
    if (options.expected !== 'mirror') throw new Error('options were not passed');
    if (authData.token !== [...authData.id].reverse().join('')) throw new Error('bad token');
  }
}
`;

describe('auth providers from the auth option', () => {
  const cwd = mkdtempSync(join(tmpdir(), 'openparse-auth-'));
  writeFileSync(join(cwd, 'mirror-auth.mjs'), ADAPTER);
  afterAll(() => rmSync(cwd, { recursive: true, force: true }));

  it('loads an adapter by path and signs users up and in with it', async () => {
    writeFileSync(
      join(cwd, 'config.json'),
      JSON.stringify({ auth: { mirror: { module: './mirror-auth.mjs', expected: 'mirror' } } }),
    );
    const config = loadConfig({ argv: ['config.json', '--port', '0', '--host', '127.0.0.1'], env: {}, cwd });
    const server = await createServer(config, { cwd, logger: silentLogger });
    try {
      const post = (body: unknown) =>
        fetch(`${server.url}/users`, {
          method: 'POST',
          headers: { 'X-Parse-Application-Id': server.appId, 'Content-Type': 'application/json' },
          body: JSON.stringify(body),
        });
      const signUp = await post({ authData: { mirror: { id: 'abc', token: 'cba' } } });
      expect(signUp.status).toBe(201);
      const created = (await signUp.json()) as { objectId: string };
      const logIn = await post({ authData: { mirror: { id: 'abc', token: 'cba' } } });
      expect(logIn.status).toBe(200);
      expect(((await logIn.json()) as { objectId: string }).objectId).toBe(created.objectId);
      const refused = await post({ authData: { mirror: { id: 'abc', token: 'abc' } } });
      expect(refused.status).toBe(404);
      expect(((await refused.json()) as { code: number }).code).toBe(101);
    } finally {
      await server.close();
    }
  });

  it('names the provider when its module cannot be loaded', async () => {
    writeFileSync(join(cwd, 'bad.json'), JSON.stringify({ auth: { nope: { module: './missing.mjs' } } }));
    const config = loadConfig({ argv: ['bad.json', '--port', '0', '--host', '127.0.0.1'], env: {}, cwd });
    const start = createServer(config, { cwd, logger: silentLogger });
    await expect(start).rejects.toBeInstanceOf(ConfigError);
    await expect(start).rejects.toThrow(/auth\.nope\.module/);
  });
});
