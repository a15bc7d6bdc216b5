import { afterEach, it } from 'vitest';
import { RestClient, type RestSuiteTarget } from './client.js';
import type { RestTestId } from './ids.js';

/** Options of `runRestSuite`. */
export interface RestSuiteOptions {
  /** Tests to skip: test id → the reason (required, shown in the report). */
  readonly skip?: Partial<Record<RestTestId, string>>;
  /**
   * The server runs the kit's cloud file (`restSuiteCloudFile`): registers the Cloud Code
   * group (otherwise it is a visible skip). Given here because a target function is only read
   * once the server has started.
   * @default false
   */
  readonly cloud?: boolean;
}

/** A user signed up by a test (deleted after it). */
export interface TestUser {
  readonly objectId: string;
  readonly username: string;
  readonly password: string;
  readonly sessionToken: string;
  /** Headers that make a request act as this user. */
  readonly headers: Record<string, string>;
}

/** What each REST test receives. */
export interface RestContext {
  readonly api: RestClient;
  /** A username unique to this test (`base` plus a random suffix); the user is deleted after it. */
  username(base: string): string;
  /** Signs up a user with a unique username (plus `fields`), deleted after the test. */
  signUp(base: string, fields?: Record<string, unknown>): Promise<TestUser>;
  /** Creates a role (master key) with a unique name, deleted after the test. */
  createRole(base: string, fields?: Record<string, unknown>): Promise<{ objectId: string; name: string }>;
  /** A class name unique to this test, removed (objects and schema) after it. */
  className(base: string): string;
  /** Creates a class with the master key (clients may not create classes by default). */
  createClass(
    base: string,
    fields?: Record<string, unknown>,
    extra?: Record<string, unknown>,
  ): Promise<string>;
}

/** Runs REST tests by id, each with its own classes. */
export interface RestHarness {
  test(id: RestTestId, title: string, body: (context: RestContext) => Promise<void>): void;
}

const suffix = () => Math.random().toString(36).slice(2, 8);

/** Registers cleanup in the current `describe` and returns the harness. */
export function restHarness(
  target: RestSuiteTarget | (() => RestSuiteTarget),
  options: RestSuiteOptions,
): RestHarness {
  const api = new RestClient(typeof target === 'function' ? target : () => target);
  let created: string[] = [];
  let usernames: string[] = [];
  let roles: string[] = [];
  afterEach(async () => {
    const names = created;
    created = [];
    for (const name of names) {
      await api.delete(`/purge/${name}`, { as: 'master' });
      await api.delete(`/schemas/${name}`, { as: 'master' });
    }
    const users = usernames;
    usernames = [];
    for (const username of users) {
      const found = await api.get('/users', { as: 'master', query: { where: { username } } });
      for (const user of found.body?.results ?? []) {
        await api.delete(`/users/${user.objectId}`, { as: 'master' });
      }
    }
    const roleIds = roles;
    roles = [];
    for (const objectId of roleIds) await api.delete(`/roles/${objectId}`, { as: 'master' });
  });
  const context: RestContext = {
    api,
    username(base) {
      const name = `${base}_${suffix()}`;
      usernames.push(name);
      return name;
    },
    async signUp(base, fields = {}) {
      const username = context.username(base);
      const password = `pw-${suffix()}`;
      const answer = await api.post('/users', { username, password, ...fields });
      if (answer.status !== 201)
        throw new Error(`signing up ${username} failed: ${answer.status} ${JSON.stringify(answer.body)}`);
      const { objectId, sessionToken } = answer.body;
      return {
        objectId,
        username,
        password,
        sessionToken,
        headers: { 'X-Parse-Session-Token': sessionToken },
      };
    },
    async createRole(base, fields = {}) {
      const name = `${base}_${suffix()}`;
      const answer = await api.post(
        '/roles',
        { name, ACL: { '*': { read: true } }, ...fields },
        { as: 'master' },
      );
      if (answer.status !== 201)
        throw new Error(`creating role ${name} failed: ${answer.status} ${JSON.stringify(answer.body)}`);
      roles.push(answer.body.objectId);
      return { objectId: answer.body.objectId, name };
    },
    className(base) {
      const name = `${base}_${suffix()}`;
      created.push(name);
      return name;
    },
    async createClass(base, fields = {}, extra = {}) {
      const name = context.className(base);
      const answer = await api.post(
        `/schemas/${name}`,
        { className: name, fields, ...extra },
        { as: 'master' },
      );
      if (answer.status !== 200)
        throw new Error(`creating class ${name} failed: ${answer.status} ${JSON.stringify(answer.body)}`);
      return name;
    },
  };
  return {
    test(id, title, body) {
      const reason = options.skip?.[id];
      if (reason) it.skip(`${id}: ${title} (skipped: ${reason})`, () => undefined);
      else it(`${id}: ${title}`, () => body(context));
    },
  };
}
