import { expect } from 'vitest';
import type { RestHarness } from './harness.js';

const session = (token: string) => ({ 'X-Parse-Session-Token': token });

/** Users (REST guide: Users): sign-up, login, the current user, updates, deletion, authData. */
export function userTests({ test }: RestHarness): void {
  test('users.signup', 'POST /users signs up and answers a session token', async ({ api, username }) => {
    const name = username('cooldude');
    const answer = await api.post('/users', { username: name, password: 'p_n7!-e8', phone: '415-392-0202' });
    expect(answer.status).toBe(201);
    expect(answer.body).toEqual({
      objectId: expect.any(String),
      createdAt: expect.any(String),
      sessionToken: expect.stringMatching(/^r:[0-9a-f]{32}$/),
    });
    expect(answer.headers.get('location')).toMatch(new RegExp(`/users/${answer.body.objectId}$`));
    const stored = await api.get(`/users/${answer.body.objectId}`, { as: 'master' });
    expect(stored.body).toMatchObject({ username: name, phone: '415-392-0202' });
    expect(stored.body.password).toBeUndefined();
  });

  test('users.signup-class-route', 'POST /classes/_User signs up the same way', async ({ api, username }) => {
    const answer = await api.post('/classes/_User', { username: username('viaclass'), password: 'secret' });
    expect(answer.status).toBe(201);
    expect(answer.body.sessionToken).toMatch(/^r:/);
  });

  test(
    'users.signup-validation',
    'missing username (200), missing password (201), bad email (125) are refused',
    async ({ api, username }) => {
      const noName = await api.post('/users', { password: 'x' });
      expect([noName.status, noName.body.code]).toEqual([400, 200]);
      const noPassword = await api.post('/users', { username: username('nopw') });
      expect([noPassword.status, noPassword.body.code]).toEqual([400, 201]);
      const badEmail = await api.post('/users', { username: username('bad'), password: 'x', email: 'nope' });
      expect([badEmail.status, badEmail.body.code]).toEqual([400, 125]);
    },
  );

  test(
    'users.signup-taken',
    'a taken username (202) or email (203) is refused, ignoring case',
    async ({ api, signUp, username }) => {
      const user = await signUp('Taken', { email: `taken_${Date.now()}@example.com` });
      const sameName = await api.post('/users', { username: user.username.toUpperCase(), password: 'x' });
      expect([sameName.status, sameName.body.code]).toEqual([400, 202]);
      const stored = await api.get(`/users/${user.objectId}`, { as: 'master' });
      const sameEmail = await api.post('/users', {
        username: username('other'),
        password: 'x',
        email: String(stored.body.email).toUpperCase(),
      });
      expect([sameEmail.status, sameEmail.body.code]).toEqual([400, 203]);
    },
  );

  test(
    'users.login',
    'GET and POST /login answer the user and a new session token',
    async ({ api, signUp }) => {
      const user = await signUp('login', { phone: '415-392-0202' });
      const viaGet = await api.get('/login', { query: { username: user.username, password: user.password } });
      expect(viaGet.status).toBe(200);
      expect(viaGet.body).toMatchObject({
        objectId: user.objectId,
        username: user.username,
        phone: '415-392-0202',
        sessionToken: expect.stringMatching(/^r:/),
      });
      expect(viaGet.body.password).toBeUndefined();
      expect(viaGet.body.sessionToken).not.toBe(user.sessionToken);
      const viaPost = await api.post('/login', { username: user.username, password: user.password });
      expect(viaPost.status).toBe(200);
      expect(viaPost.body.objectId).toBe(user.objectId);
    },
  );

  test(
    'users.login-refused',
    'wrong password, unknown user, missing fields: 101 / 200 / 201, nothing leaked',
    async ({ api, signUp }) => {
      const user = await signUp('refused');
      const wrong = await api.post('/login', { username: user.username, password: 'wrong' });
      expect([wrong.status, wrong.body]).toEqual([404, { code: 101, error: 'Invalid username/password.' }]);
      const unknown = await api.post('/login', { username: `${user.username}_nobody`, password: 'x' });
      expect([unknown.status, unknown.body]).toEqual([
        404,
        { code: 101, error: 'Invalid username/password.' },
      ]);
      expect((await api.post('/login', { password: 'x' })).body.code).toBe(200);
      expect((await api.post('/login', { username: user.username })).body.code).toBe(201);
      const notString = await api.post('/login', { username: user.username, password: { $ne: 1 } });
      expect(notString.body.code).toBe(101);
    },
  );

  test('users.me', 'GET /users/me answers the session user with the token', async ({ api, signUp }) => {
    const user = await signUp('me');
    const me = await api.get('/users/me', { headers: user.headers });
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({
      objectId: user.objectId,
      username: user.username,
      sessionToken: user.sessionToken,
    });
    const none = await api.get('/users/me');
    expect([none.status, none.body.code]).toEqual([400, 209]);
    const bad = await api.get('/users/me', { headers: session('r:0000000000000000000000000000dead') });
    expect([bad.status, bad.body]).toEqual([400, { code: 209, error: 'Invalid session token' }]);
  });

  test(
    'users.private-by-default',
    'a new user is readable by itself and the master key only (enforcePrivateUsers)',
    async ({ api, signUp }) => {
      const alice = await signUp('alice');
      const bob = await signUp('bob');
      expect((await api.get(`/users/${alice.objectId}`, { headers: alice.headers })).status).toBe(200);
      const asBob = await api.get(`/users/${alice.objectId}`, { headers: bob.headers });
      expect([asBob.status, asBob.body.code]).toEqual([404, 101]);
      expect((await api.get(`/users/${alice.objectId}`)).status).toBe(404);
      const listed = await api.get('/users', {
        headers: bob.headers,
        query: { where: { username: { $in: [alice.username, bob.username] } } },
      });
      expect(listed.body.results.map((user: { objectId: string }) => user.objectId)).toEqual([bob.objectId]);
    },
  );

  test(
    'users.email-protected',
    'email is hidden from other users and shown to its owner',
    async ({ api, signUp }) => {
      const email = `shown_${Date.now()}@example.com`;
      const alice = await signUp('publicalice', { email, ACL: { '*': { read: true } } });
      const bob = await signUp('publicbob');
      const own = await api.get(`/users/${alice.objectId}`, { headers: alice.headers });
      expect(own.body.email).toBe(email);
      const other = await api.get(`/users/${alice.objectId}`, { headers: bob.headers });
      expect(other.status).toBe(200);
      expect(other.body.username).toBe(alice.username);
      expect(other.body.email).toBeUndefined();
      expect((await api.get(`/users/${alice.objectId}`, { as: 'master' })).body.email).toBe(email);
    },
  );

  test('users.update', 'a user updates itself with its session; others get 206', async ({ api, signUp }) => {
    const alice = await signUp('upalice', { ACL: { '*': { read: true } } });
    const bob = await signUp('upbob');
    const path = `/users/${alice.objectId}`;
    const own = await api.put(path, { phone: '415-369-6201' }, { headers: alice.headers });
    expect(own.status).toBe(200);
    expect(own.body).toEqual({ updatedAt: expect.any(String) });
    const anonymous = await api.put(path, { phone: '0' });
    expect([anonymous.status, anonymous.body.code]).toEqual([400, 206]);
    const other = await api.put(path, { phone: '0' }, { headers: bob.headers });
    expect([other.status, other.body.code]).toEqual([400, 206]);
    expect((await api.get(path, { as: 'master' })).body.phone).toBe('415-369-6201');
    const verified = await api.put(path, { emailVerified: true }, { headers: alice.headers });
    expect([verified.status, verified.body.code]).toEqual([400, 119]);
  });

  test(
    'users.password-change',
    'changing the password revokes the sessions and answers a new token',
    async ({ api, signUp }) => {
      const user = await signUp('pwchange');
      const changed = await api.put(
        `/users/${user.objectId}`,
        { password: 'new-secret' },
        { headers: user.headers },
      );
      expect(changed.status).toBe(200);
      expect(changed.body.sessionToken).toMatch(/^r:/);
      expect((await api.get('/users/me', { headers: user.headers })).body.code).toBe(209);
      const fresh = await api.get('/users/me', { headers: session(changed.body.sessionToken) });
      expect(fresh.body.objectId).toBe(user.objectId);
      expect((await api.post('/login', { username: user.username, password: user.password })).body.code).toBe(
        101,
      );
      const login = await api.post('/login', { username: user.username, password: 'new-secret' });
      expect(login.status).toBe(200);
    },
  );

  test('users.logout', 'POST /logout ends the session', async ({ api, signUp }) => {
    const user = await signUp('logout');
    const out = await api.post('/logout', {}, { headers: user.headers });
    expect([out.status, out.body]).toEqual([200, {}]);
    expect((await api.get('/users/me', { headers: user.headers })).body.code).toBe(209);
  });

  test('users.delete', 'a user deletes itself; its sessions end; others get 206', async ({ api, signUp }) => {
    const alice = await signUp('delalice');
    const bob = await signUp('delbob');
    const path = `/users/${alice.objectId}`;
    expect((await api.delete(path)).body.code).toBe(206);
    expect((await api.delete(path, { headers: bob.headers })).body.code).toBe(206);
    const own = await api.delete(path, { headers: alice.headers });
    expect([own.status, own.body]).toEqual([200, {}]);
    expect((await api.get(path, { as: 'master' })).status).toBe(404);
    expect((await api.get('/users/me', { headers: alice.headers })).body.code).toBe(209);
  });

  test(
    'users.verify-password',
    'POST /verifyPassword checks credentials without a new session',
    async ({ api, signUp }) => {
      const user = await signUp('verify');
      const ok = await api.post('/verifyPassword', { username: user.username, password: user.password });
      expect(ok.status).toBe(200);
      expect(ok.body.objectId).toBe(user.objectId);
      expect(ok.body.sessionToken).toBeUndefined();
      const wrong = await api.post('/verifyPassword', { username: user.username, password: 'no' });
      expect(wrong.body.code).toBe(101);
    },
  );

  test(
    'users.login-as',
    'POST /loginAs (master key) opens a session for any user',
    async ({ api, signUp }) => {
      const user = await signUp('loginas');
      const refused = await api.post('/loginAs', { userId: user.objectId });
      expect([refused.status, refused.body.code]).toEqual([400, 119]);
      const answer = await api.post('/loginAs', { userId: user.objectId }, { as: 'master' });
      expect(answer.status).toBe(200);
      expect(answer.body).toMatchObject({
        objectId: user.objectId,
        sessionToken: expect.stringMatching(/^r:/),
      });
      const me = await api.get('/users/me', { headers: session(answer.body.sessionToken) });
      expect(me.body.objectId).toBe(user.objectId);
      expect((await api.post('/loginAs', {}, { as: 'master' })).body.code).toBe(162);
      expect((await api.post('/loginAs', { userId: 'nobody1234' }, { as: 'master' })).body.code).toBe(101);
    },
  );

  test(
    'users.anonymous',
    'authData.anonymous signs up once, then logs in; unknown providers answer 252',
    async ({ api }) => {
      const id = crypto.randomUUID();
      const first = await api.post('/users', { authData: { anonymous: { id } } });
      expect(first.status).toBe(201);
      expect(first.body).toMatchObject({
        objectId: expect.any(String),
        username: expect.any(String),
        sessionToken: expect.stringMatching(/^r:/),
      });
      const again = await api.post('/users', { authData: { anonymous: { id } } });
      expect(again.status).toBe(200);
      expect(again.body.objectId).toBe(first.body.objectId);
      expect(again.body.sessionToken).not.toBe(first.body.sessionToken);
      const unknown = await api.post('/users', { authData: { myspace: { id: 'x', access_token: 'y' } } });
      expect([unknown.status, unknown.body.code]).toEqual([400, 252]);
      await api.delete(`/users/${first.body.objectId}`, { as: 'master' });
    },
  );
}
