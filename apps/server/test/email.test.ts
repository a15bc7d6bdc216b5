import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from '@openparse/core';
import { createServer, loadConfig, type RunningServer } from '@openparse/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Mailbox } from './mailbox.js';

/** A server on the embedded database whose emails go to `mailbox`, with `extra` settings. */
async function start(
  mailbox: Mailbox,
  extra: Record<string, unknown>,
): Promise<{ server: RunningServer; cwd: string }> {
  const cwd = mkdtempSync(join(tmpdir(), 'openparse-mail-'));
  const settings = {
    appName: 'Mail Test',
    emailAdapter: {
      module: 'smtp',
      options: { url: `smtp://127.0.0.1:${mailbox.port}`, from: 'Mail Test <no-reply@example.test>' },
    },
    ...extra,
  };
  // A cloud file refusing password resets for one address (beforePasswordResetRequest).
  writeFileSync(
    join(cwd, 'cloud.js'),
    `Parse.Cloud.beforePasswordResetRequest((request) => {
      if (request.object.get('email') === 'frozen@example.test') throw 'Resets are frozen for this account';
    });\n`,
  );
  writeFileSync(join(cwd, 'config.json'), JSON.stringify({ cloud: './cloud.js', ...settings }));
  const config = loadConfig({ argv: ['config.json', '--port', '0', '--host', '127.0.0.1'], env: {}, cwd });
  return { server: await createServer(config, { cwd, logger: silentLogger }), cwd };
}

function client(server: RunningServer) {
  const call = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const response = await fetch(`${server.url}${path}`, {
      method,
      headers: {
        'X-Parse-Application-Id': server.appId,
        ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
        ...headers,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    // biome-ignore lint/suspicious/noExplicitAny: answers are arbitrary JSON
    return { status: response.status, body: (await response.json()) as any };
  };
  const master = { 'X-Parse-Master-Key': server.masterKey };
  return { call, master };
}

/**
 * Registers a mailbox and a server with `extra` settings for the enclosing describe, started
 * before its tests and stopped after them.
 */
function serverWithMailbox(extra: Record<string, unknown>) {
  const mailbox = new Mailbox();
  const state: { server: RunningServer; mailbox: Mailbox } = { server: undefined as never, mailbox };
  let cwd: string | undefined;
  beforeAll(async () => {
    await mailbox.start();
    const started = await start(mailbox, extra);
    state.server = started.server;
    cwd = started.cwd;
  });
  afterAll(async () => {
    await state.server?.close();
    await mailbox.close();
    if (cwd) rmSync(cwd, { recursive: true, force: true });
  });
  return state;
}

const linkIn = (text: string): string => {
  const link = /https?:\/\/\S+/.exec(text)?.[0];
  if (!link) throw new Error(`no link in mail: ${text}`);
  return link;
};

describe('email verification and password reset over SMTP', () => {
  const state = serverWithMailbox({ verifyUserEmails: true, preventLoginWithUnverifiedEmail: true });
  const { mailbox } = state;

  it('sends a verification link on sign-up; following it lets the user log in', async () => {
    const { call, master } = client(state.server);
    const email = 'ada@example.test';
    const signUp = await call('POST', '/users', { username: 'ada', password: 'analytical', email });
    expect(signUp.status).toBe(201);
    // Unverified users may not log in, so sign-up opens no session.
    expect(signUp.body.sessionToken).toBeUndefined();
    const refused = await call('POST', '/login', { username: 'ada', password: 'analytical' });
    expect([refused.status, refused.body.code]).toEqual([400, 205]);

    const mail = await mailbox.next(email);
    expect(mail.subject).toContain('Mail Test');
    const link = linkIn(mail.text);
    expect(link.startsWith(`${state.server.url}/apps/${state.server.appId}/verify_email?token=`)).toBe(true);
    const page = await fetch(link);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(await page.text()).toContain('is verified');

    const stored = await call('GET', `/users/${signUp.body.objectId}`, undefined, master);
    expect(stored.body.emailVerified).toBe(true);
    const login = await call('POST', '/login', { username: 'ada', password: 'analytical' });
    expect(login.status).toBe(200);
    // The link works once.
    expect(await (await fetch(link)).text()).toContain('invalid or has expired');
  });

  it('verificationEmailRequest sends a new link; unknown addresses answer success', async () => {
    const { call } = client(state.server);
    const email = 'grace@example.test';
    await call('POST', '/users', { username: 'grace', password: 'cobol-1959', email });
    const first = linkIn((await mailbox.next(email)).text);
    const again = await call('POST', '/verificationEmailRequest', { email });
    expect([again.status, again.body]).toEqual([200, {}]);
    const second = linkIn((await mailbox.next(email)).text);
    expect(second).not.toBe(first);
    expect(await (await fetch(first)).text()).toContain('invalid or has expired');
    expect(await (await fetch(second)).text()).toContain('is verified');
    expect((await call('POST', '/verificationEmailRequest', { email: 'nobody@example.test' })).body).toEqual(
      {},
    );
    expect((await call('POST', '/verificationEmailRequest', {})).body.code).toBe(204);
    expect((await call('POST', '/verificationEmailRequest', { email: 5 })).body.code).toBe(125);
  });

  it('resets a password through the emailed link and the form', async () => {
    const { call, master } = client(state.server);
    const email = 'linus@example.test';
    const signUp = await call('POST', '/users', { username: 'linus', password: 'old-password', email });
    await fetch(linkIn((await mailbox.next(email)).text));
    const session = (await call('POST', '/login', { username: 'linus', password: 'old-password' })).body;

    const request = await call('POST', '/requestPasswordReset', { email });
    expect([request.status, request.body]).toEqual([200, {}]);
    const link = linkIn((await mailbox.next(email)).text);
    const form = await fetch(link);
    const html = await form.text();
    expect(form.status).toBe(200);
    const token = /name="token" value="([^"]+)"/.exec(html)?.[1];
    expect(token).toBeDefined();
    const action = /action="([^"]+)"/.exec(html)?.[1] as string;

    const submitted = await fetch(action, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token: token as string, new_password: 'new-password' }).toString(),
    });
    expect(submitted.status).toBe(200);
    expect(await submitted.text()).toContain('has been changed');

    expect((await call('POST', '/login', { username: 'linus', password: 'old-password' })).body.code).toBe(
      101,
    );
    expect((await call('POST', '/login', { username: 'linus', password: 'new-password' })).status).toBe(200);
    // The reset ended the sessions opened with the old password, and the link is used up.
    const old = await call('GET', '/users/me', undefined, { 'X-Parse-Session-Token': session.sessionToken });
    expect(old.body.code).toBe(209);
    expect(await (await fetch(link)).text()).toContain('invalid or has expired');
    expect((await call('GET', `/users/${signUp.body.objectId}`, undefined, master)).status).toBe(200);
  });

  it('beforePasswordResetRequest can refuse a reset request', async () => {
    const { call } = client(state.server);
    const email = 'frozen@example.test';
    await call('POST', '/users', { username: 'frozen', password: 'cold-storage', email });
    await mailbox.next(email);
    const refused = await call('POST', '/requestPasswordReset', { email });
    expect([refused.status, refused.body]).toEqual([
      400,
      { code: 141, error: 'Resets are frozen for this account' },
    ]);
    expect(mailbox.unread.filter((mail) => mail.to.includes(email))).toEqual([]);
  });

  it('a script resetting through the form route gets text, and Parse errors', async () => {
    const { call } = client(state.server);
    const xhr = { 'X-Requested-With': 'XMLHttpRequest', 'Content-Type': 'application/x-www-form-urlencoded' };
    const action = `${state.server.url}/apps/${state.server.appId}/request_password_reset`;
    const bad = await fetch(action, { method: 'POST', headers: xhr, body: 'token=nope&new_password=x' });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { code: number }).code).toBe(-1);
    const unknown = await call('POST', '/requestPasswordReset', { email: 'nobody@example.test' });
    expect([unknown.status, unknown.body]).toEqual([200, {}]);
    expect((await fetch(`${state.server.url}/apps/wrong-app/verify_email?token=x`)).status).toBe(404);
  });
});

describe('password policy and account lockout', () => {
  const state = serverWithMailbox({
    passwordPolicy: {
      validatorPattern: '^(?=.*[0-9]).{8,}$',
      validationError: 'At least 8 characters with a digit.',
      doNotAllowUsername: true,
      maxPasswordHistory: 2,
    },
    accountLockout: { duration: 1, threshold: 3, unlockOnPasswordReset: true },
  });
  const { mailbox } = state;

  it('refuses passwords the policy rejects (142)', async () => {
    const { call } = client(state.server);
    const weak = await call('POST', '/users', { username: 'weak', password: 'short' });
    expect([weak.status, weak.body]).toEqual([
      400,
      { code: 142, error: 'At least 8 characters with a digit.' },
    ]);
    const named = await call('POST', '/users', { username: 'named', password: 'named12345' });
    expect(named.body).toEqual({ code: 142, error: 'Password cannot contain your username.' });
    const ok = await call('POST', '/users', { username: 'strong', password: 'sturdy-2024' });
    expect(ok.status).toBe(201);
    const headers = { 'X-Parse-Session-Token': ok.body.sessionToken };
    const repeat = await call('PUT', `/users/${ok.body.objectId}`, { password: 'sturdy-2024' }, headers);
    expect(repeat.body).toEqual({
      code: 142,
      error: 'New password should not be the same as last 2 passwords.',
    });
    const changed = await call('PUT', `/users/${ok.body.objectId}`, { password: 'second-2025' }, headers);
    expect(changed.status).toBe(200);
    const next = { 'X-Parse-Session-Token': changed.body.sessionToken };
    const back = await call('PUT', `/users/${ok.body.objectId}`, { password: 'sturdy-2024' }, next);
    expect(back.body.code).toBe(142);
  });

  it('locks an account after the threshold, even for the right password, until a reset', async () => {
    const { call } = client(state.server);
    const email = 'lock@example.test';
    await call('POST', '/users', { username: 'locked', password: 'right-pass1', email });
    for (let attempt = 0; attempt < 2; attempt++) {
      expect((await call('POST', '/login', { username: 'locked', password: 'wrong' })).body).toEqual({
        code: 101,
        error: 'Invalid username/password.',
      });
    }
    const third = await call('POST', '/login', { username: 'locked', password: 'wrong' });
    expect(third.body.error).toMatch(/locked due to multiple failed login attempts.*1 minute/);
    const right = await call('POST', '/login', { username: 'locked', password: 'right-pass1' });
    expect(right.body.code).toBe(101);
    expect(right.body.error).toMatch(/locked/);

    await call('POST', '/requestPasswordReset', { email });
    const link = linkIn((await mailbox.next(email)).text);
    const token = new URL(link).searchParams.get('token') as string;
    const reset = await fetch(`${state.server.url}/apps/${state.server.appId}/request_password_reset`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token, new_password: 'fresh-pass2' }).toString(),
    });
    expect(await reset.text()).toContain('has been changed');
    expect((await call('POST', '/login', { username: 'locked', password: 'fresh-pass2' })).status).toBe(200);
  });
});

describe("parse-server's customPages", () => {
  const state = serverWithMailbox({
    verifyUserEmails: true,
    customPages: {
      verifyEmailSuccess: 'https://app.example.test/verified',
      invalidLink: 'https://app.example.test/oops',
    },
  });
  const { mailbox } = state;

  it('redirect the pages they name, with the page parameters', async () => {
    const { call } = client(state.server);
    const email = 'custom@example.test';
    await call('POST', '/users', { username: 'custom', password: 'pages-1234', email });
    const link = linkIn((await mailbox.next(email)).text);
    const verified = await fetch(link, { redirect: 'manual' });
    expect(verified.status).toBe(303);
    const target = new URL(verified.headers.get('location') as string);
    expect(`${target.origin}${target.pathname}`).toBe('https://app.example.test/verified');
    expect(target.searchParams.get('appName')).toBe('Mail Test');
    const invalid = await fetch(link, { redirect: 'manual' });
    expect(invalid.headers.get('location')).toMatch(/^https:\/\/app\.example\.test\/oops\?/);
  });
});
