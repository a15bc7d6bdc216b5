import { expect } from 'vitest';
import type { RestHarness } from './harness.js';

const session = (token: string) => ({ 'X-Parse-Session-Token': token });

/** Sessions (REST guide: Sessions), including restricted sessions and installation pairing. */
export function sessionTests({ test }: RestHarness): void {
  test(
    'sessions.me',
    'GET /sessions/me answers the session of the token, as login created it',
    async ({ api, signUp }) => {
      const user = await signUp('sessme');
      const login = await api.post('/login', { username: user.username, password: user.password });
      const me = await api.get('/sessions/me', { headers: session(login.body.sessionToken) });
      expect(me.status).toBe(200);
      expect(me.body).toMatchObject({
        objectId: expect.any(String),
        sessionToken: login.body.sessionToken,
        user: { __type: 'Pointer', className: '_User', objectId: user.objectId },
        createdWith: { action: 'login', authProvider: 'password' },
        expiresAt: { __type: 'Date', iso: expect.any(String) },
      });
      const signup = await api.get('/sessions/me', { headers: user.headers });
      expect(signup.body.createdWith).toEqual({ action: 'signup', authProvider: 'password' });
      expect((await api.get('/sessions/me')).body.code).toBe(209);
    },
  );

  test(
    'sessions.query-own',
    "GET /sessions answers the user's own sessions only",
    async ({ api, signUp }) => {
      const alice = await signUp('sessalice');
      await api.post('/login', { username: alice.username, password: alice.password });
      const bob = await signUp('sessbob');
      const mine = await api.get('/sessions', { headers: alice.headers });
      expect(mine.status).toBe(200);
      expect(mine.body.results).toHaveLength(2);
      for (const row of mine.body.results) expect(row.user.objectId).toBe(alice.objectId);
      const byId = await api.get(`/sessions/${mine.body.results[0].objectId}`, { headers: bob.headers });
      expect(byId.status).toBe(404);
      expect((await api.get('/sessions')).body.code).toBe(209);
    },
  );

  test(
    'sessions.delete',
    "deleting one of the user's sessions ends it; another user's is not found (101)",
    async ({ api, signUp }) => {
      const alice = await signUp('delsess');
      const second = await api.post('/login', { username: alice.username, password: alice.password });
      const other = await api.get('/sessions/me', { headers: session(second.body.sessionToken) });
      const bob = await signUp('delsessbob');
      const stranger = await api.delete(`/sessions/${other.body.objectId}`, { headers: bob.headers });
      expect([stranger.status, stranger.body.code]).toEqual([404, 101]);
      const own = await api.delete(`/sessions/${other.body.objectId}`, { headers: alice.headers });
      expect([own.status, own.body]).toEqual([200, {}]);
      expect((await api.get('/users/me', { headers: session(second.body.sessionToken) })).body.code).toBe(
        209,
      );
      expect((await api.get('/users/me', { headers: alice.headers })).status).toBe(200);
    },
  );

  test(
    'sessions.update',
    'custom fields can be updated; server fields answer 105',
    async ({ api, signUp }) => {
      const user = await signUp('updsess');
      const me = await api.get('/sessions/me', { headers: user.headers });
      const path = `/sessions/${me.body.objectId}`;
      const ok = await api.put(path, { customField: 'value' }, { headers: user.headers });
      expect(ok.status).toBe(200);
      expect((await api.get(path, { headers: user.headers })).body.customField).toBe('value');
      for (const body of [{ sessionToken: 'r:x' }, { user: null }, { expiresAt: null }, { ACL: {} }]) {
        const refused = await api.put(path, body, { headers: user.headers });
        expect([refused.status, refused.body.code]).toEqual([400, 105]);
      }
    },
  );

  test(
    'sessions.same-installation',
    'a new login from the same installation replaces its previous session',
    async ({ api, signUp }) => {
      const user = await signUp('sameinst');
      const installation = { 'X-Parse-Installation-Id': crypto.randomUUID() };
      const credentials = { username: user.username, password: user.password };
      const first = await api.post('/login', credentials, { headers: installation });
      const second = await api.post('/login', credentials, { headers: installation });
      expect((await api.get('/users/me', { headers: session(first.body.sessionToken) })).body.code).toBe(209);
      const me = await api.get('/sessions/me', { headers: session(second.body.sessionToken) });
      expect(me.body.installationId).toBe(installation['X-Parse-Installation-Id']);
    },
  );

  test(
    'sessions.restricted',
    'POST /sessions creates a restricted session that cannot write users, sessions or roles',
    async ({ api, signUp, createClass }) => {
      const user = await signUp('iot');
      const created = await api.post('/sessions', { customField: 'value' }, { headers: user.headers });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({
        objectId: expect.any(String),
        createdAt: expect.any(String),
        createdWith: { action: 'create' },
        restricted: true,
        sessionToken: expect.stringMatching(/^r:/),
        customField: 'value',
      });
      const device = session(created.body.sessionToken);
      const write = await api.put(`/users/${user.objectId}`, { phone: '1' }, { headers: device });
      expect([write.status, write.body.code]).toEqual([400, 119]);
      expect((await api.post('/sessions', {}, { headers: device })).body.code).toBe(119);
      expect((await api.post('/roles', { name: 'x', ACL: {} }, { headers: device })).body.code).toBe(119);
      const readable = await api.get(`/users/${user.objectId}`, { headers: device });
      expect(readable.body.username).toBe(user.username);
      const sessions = await api.get('/sessions', { headers: device });
      expect(sessions.body.results.map((row: { objectId: string }) => row.objectId)).toEqual([
        created.body.objectId,
      ]);
      const name = await createClass('Reading');
      const data = await api.post(`/classes/${name}`, { value: 1 }, { headers: device });
      expect(data.status).toBe(201);
      expect((await api.post('/sessions', {})).body.code).toBe(209);
    },
  );

  test(
    'sessions.pair-installation',
    'PUT /sessions/me pairs a restricted session with the installation that calls it',
    async ({ api, signUp }) => {
      const user = await signUp('pair');
      const created = await api.post('/sessions', {}, { headers: user.headers });
      const device = session(created.body.sessionToken);
      const installationId = crypto.randomUUID();
      const paired = await api.put(
        '/sessions/me',
        {},
        { headers: { ...device, 'X-Parse-Installation-Id': installationId } },
      );
      expect(paired.status).toBe(200);
      const me = await api.get('/sessions/me', { headers: device });
      expect(me.body.installationId).toBe(installationId);
      const again = await api.put(
        '/sessions/me',
        {},
        { headers: { ...device, 'X-Parse-Installation-Id': crypto.randomUUID() } },
      );
      expect(again.body.code).toBe(136);
      const unrestricted = await api.put(
        '/sessions/me',
        {},
        { headers: { ...user.headers, 'X-Parse-Installation-Id': installationId } },
      );
      expect(unrestricted.body.code).toBe(119);
    },
  );
}
