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
    return { response: { greeting: 'hello ' + authData.id } };
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
      // What the adapter answers reaches the client as authDataResponse.
      const answered = await post({ authData: { mirror: { id: 'xyz', token: 'zyx' } } });
      const body = (await answered.json()) as {
        objectId: string;
        sessionToken: string;
        authDataResponse?: unknown;
      };
      expect(body.authDataResponse).toEqual({ mirror: { greeting: 'hello xyz' } });
      // Linking anonymous to that user keeps mirror; unlinking (null) removes only anonymous.
      const headers = {
        'X-Parse-Application-Id': server.appId,
        'X-Parse-Session-Token': body.sessionToken,
        'Content-Type': 'application/json',
      };
      const put = (authData: unknown) =>
        fetch(`${server.url}/users/${body.objectId}`, {
          method: 'PUT',
          headers,
          body: JSON.stringify({ authData }),
        });
      expect((await put({ anonymous: { id: 'anon-1' } })).status).toBe(200);
      const me = async () =>
        (
          (await (await fetch(`${server.url}/users/me`, { headers })).json()) as {
            authData?: Record<string, unknown>;
          }
        ).authData;
      expect(Object.keys((await me()) ?? {}).sort()).toEqual(['anonymous', 'mirror']);
      expect((await put({ anonymous: null })).status).toBe(200);
      expect(Object.keys((await me()) ?? {})).toEqual(['mirror']);
      // Another user's provider id cannot be linked (208).
      const taken = await put({ mirror: { id: 'abc', token: 'cba' } });
      expect(((await taken.json()) as { code: number }).code).toBe(208);
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
