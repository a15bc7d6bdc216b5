import { execFileSync } from 'node:child_process';
import { createHmac, generateKeyPairSync, sign } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createHttpsServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from '@openparse/core';
import { createServer, loadConfig, type RunningServer } from '@openparse/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * The built-in providers against local HTTPS stand-ins of GitHub, Facebook and an OpenID
 * Connect issuer (Google): a self-signed certificate the providers are told to trust (`ca`),
 * never the internet.
 */
describe('built-in auth providers against local HTTPS stand-ins', () => {
  const cwd = mkdtempSync(join(tmpdir(), 'openparse-oauth-'));
  const signing = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = { ...signing.publicKey.export({ format: 'jwk' }), kid: 'key-1', alg: 'RS256', use: 'sig' };
  const appSecret = 'facebook-secret';
  let cert: string;
  let stand: Server;
  let server: RunningServer;

  const idToken = (claims: Record<string, unknown>, kid = 'key-1') => {
    const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const body = `${encode({ alg: 'RS256', kid, typ: 'JWT' })}.${encode(claims)}`;
    return `${body}.${sign('sha256', Buffer.from(body), signing.privateKey).toString('base64url')}`;
  };
  const googleClaims = (extra: Record<string, unknown> = {}) => ({
    iss: 'https://accounts.google.com',
    aud: 'client-1',
    sub: 'google-user',
    exp: Math.floor(Date.now() / 1000) + 600,
    ...extra,
  });

  beforeAll(async () => {
    execFileSync(
      'openssl',
      ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1'] // self-signed
        .concat(['-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', 'key.pem', '-out', 'cert.pem']),
      { cwd, stdio: 'ignore' },
    );
    cert = readFileSync(join(cwd, 'cert.pem'), 'utf8');
    stand = createHttpsServer({ key: readFileSync(join(cwd, 'key.pem')), cert }, (req, res) => {
      const url = new URL(req.url ?? '/', 'https://127.0.0.1');
      const reply = (status: number, body: unknown) => {
        res.writeHead(status, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify(body));
      };
      if (url.pathname === '/github/user') {
        return req.headers.authorization === 'bearer gh-good'
          ? reply(200, { id: 1234, login: 'octo' })
          : reply(401, {});
      }
      if (url.pathname.startsWith('/facebook/')) {
        const token = url.searchParams.get('access_token') ?? '';
        const proof = createHmac('sha256', appSecret).update(token).digest('hex');
        if (url.searchParams.get('appsecret_proof') !== proof) return reply(400, { error: 'bad proof' });
        if (url.pathname === '/facebook/me')
          return token.startsWith('fb-') ? reply(200, { id: '5678' }) : reply(400, {});
        if (url.pathname === '/facebook/app')
          return reply(200, { id: token === 'fb-other-app' ? 'other' : 'fb-app' });
      }
      if (url.pathname === '/oidc/jwks') return reply(200, { keys: [jwk] });
      return reply(404, {});
    });
    await new Promise<void>((resolve) => stand.listen(0, '127.0.0.1', resolve));
    const base = `https://127.0.0.1:${(stand.address() as AddressInfo).port}`;
    writeFileSync(
      join(cwd, 'config.json'),
      JSON.stringify({
        auth: {
          github: { apiURL: `${base}/github`, ca: cert },
          facebook: { apiURL: `${base}/facebook`, ca: cert, appSecret, appIds: ['fb-app'] },
          google: { clientId: 'client-1', jwksURL: `${base}/oidc/jwks`, ca: cert },
        },
      }),
    );
    const config = loadConfig({ argv: ['config.json', '--port', '0', '--host', '127.0.0.1'], env: {}, cwd });
    server = await createServer(config, { cwd, logger: silentLogger });
  });
  afterAll(async () => {
    await server?.close();
    await new Promise((resolve) => stand?.close(resolve));
    rmSync(cwd, { recursive: true, force: true });
  });

  const signUp = async (authData: unknown) => {
    const response = await fetch(`${server.url}/users`, {
      method: 'POST',
      headers: { 'X-Parse-Application-Id': server.appId, 'Content-Type': 'application/json' },
      body: JSON.stringify({ authData }),
    });
    return { status: response.status, body: (await response.json()) as { code?: number; objectId?: string } };
  };

  it('github: the token must belong to the id', async () => {
    const first = await signUp({ github: { id: '1234', access_token: 'gh-good' } });
    expect(first.status).toBe(201);
    const again = await signUp({ github: { id: '1234', access_token: 'gh-good' } });
    expect([again.status, again.body.objectId]).toEqual([200, first.body.objectId]);
    expect((await signUp({ github: { id: '1234', access_token: 'gh-bad' } })).body.code).toBe(101);
    expect((await signUp({ github: { id: '9999', access_token: 'gh-good' } })).body.code).toBe(101);
  });

  it('facebook: the token must belong to the id and to one of the app ids', async () => {
    expect((await signUp({ facebook: { id: '5678', access_token: 'fb-good' } })).status).toBe(201);
    expect((await signUp({ facebook: { id: '5678', access_token: 'fb-other-app' } })).body.code).toBe(101);
    expect((await signUp({ facebook: { id: '0000', access_token: 'fb-good' } })).body.code).toBe(101);
  });

  it('google: a signed id_token for the app and the user, not expired', async () => {
    const ok = await signUp({ google: { id: 'google-user', id_token: idToken(googleClaims()) } });
    expect(ok.status).toBe(201);
    const refused = [
      idToken(googleClaims({ exp: Math.floor(Date.now() / 1000) - 10 })),
      idToken(googleClaims({ aud: 'another-app' })),
      idToken(googleClaims({ iss: 'https://evil.example' })),
      idToken(googleClaims(), 'unknown-key'),
      `${idToken(googleClaims()).slice(0, -4)}AAAA`,
    ];
    for (const token of refused) {
      expect((await signUp({ google: { id: 'google-user', id_token: token } })).body.code).toBe(101);
    }
    const otherUser = idToken(googleClaims({ sub: 'someone-else' }));
    expect((await signUp({ google: { id: 'google-user', id_token: otherUser } })).body.code).toBe(101);
  });
});
