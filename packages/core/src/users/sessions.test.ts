import { describe, expect, it } from 'vitest';
import { InMemoryCacheAdapter } from '../cache/in-memory-cache-adapter.js';
import type { StorageObject } from '../contracts/values.js';
import type { AppContext } from '../rest/types.js';
import { userAuth } from '../security/auth.js';
import { invalidateRoles } from './roles.js';
import { knownSessionUser, resolveSession } from './sessions.js';

/** Just what resolveSession reads: a cache, `_Session` rows and role names, counted. */
function app(cache: {
  get: InMemoryCacheAdapter['get'];
  set: InMemoryCacheAdapter['set'];
  getSync?: unknown;
}) {
  const reads = { sessions: 0, roles: 0 };
  let roles = ['Readers'];
  const session: StorageObject = {
    objectId: 'S1',
    sessionToken: 'r:token',
    user: { __type: 'Pointer', className: '_User', objectId: 'U1' },
    expiresAt: new Date(Date.now() + 3_600_000),
  };
  const context = {
    cache,
    users: { expireInactiveSessions: false, sessionLengthMs: 3_600_000 },
    storage: {
      find: async () => {
        reads.sessions++;
        return [session];
      },
      roleNamesOf: async () => {
        reads.roles++;
        return roles;
      },
    },
  } as unknown as AppContext;
  return { context, reads, setRoles: (names: string[]) => (roles = names) };
}

describe('resolveSession', () => {
  it('reads a token once, then answers the same user and Auth from the cache', async () => {
    const { context, reads } = app(new InMemoryCacheAdapter());
    const first = await resolveSession(context, 'r:token');
    const second = await resolveSession(context, 'r:token');
    expect(first).toEqual({
      id: 'U1',
      sessionToken: 'r:token',
      sessionId: 'S1',
      restricted: false,
      roles: ['Readers'],
    });
    expect(second).toBe(first);
    expect(userAuth(second)).toBe(userAuth(first));
    expect(userAuth(first).principals).toEqual(['*', 'U1', 'role:Readers']);
    expect(Object.isFrozen(first) && Object.isFrozen(userAuth(first).principals)).toBe(true);
    expect(reads).toEqual({ sessions: 1, roles: 1 });
  });

  it('answers the new roles once a role changes', async () => {
    const { context, reads, setRoles } = app(new InMemoryCacheAdapter());
    const before = await resolveSession(context, 'r:token');
    setRoles(['Editors', 'Readers']);
    await invalidateRoles(context);
    const after = await resolveSession(context, 'r:token');
    expect(after.roles).toEqual(['Editors', 'Readers']);
    expect(userAuth(after).principals).toEqual(['*', 'U1', 'role:Editors', 'role:Readers']);
    expect(userAuth(before).principals).toEqual(['*', 'U1', 'role:Readers']);
    expect(reads).toEqual({ sessions: 1, roles: 2 });
  });

  it('works the same with a cache that has no synchronous read', async () => {
    const memory = new InMemoryCacheAdapter();
    const { context, reads } = app({ get: (key) => memory.get(key), set: (...args) => memory.set(...args) });
    const first = await resolveSession(context, 'r:token');
    expect((await resolveSession(context, 'r:token')).roles).toEqual(['Readers']);
    expect(first.id).toBe('U1');
    expect(reads).toEqual({ sessions: 1, roles: 1 });
  });

  it('refuses an unknown token', async () => {
    const { context } = app(new InMemoryCacheAdapter());
    (context.storage as unknown as { find: () => Promise<unknown[]> }).find = async () => [];
    await expect(resolveSession(context, 'r:other')).rejects.toMatchObject({ code: 209 });
  });
});

describe('knownSessionUser', () => {
  it('answers, without waiting, the user resolveSession resolved last from the same cache entries', async () => {
    const { context, reads } = app(new InMemoryCacheAdapter());
    expect(knownSessionUser(context, 'r:token')).toBeUndefined();
    const resolved = await resolveSession(context, 'r:token');
    expect(knownSessionUser(context, 'r:token')).toBe(resolved);
    expect(knownSessionUser(context, 'r:other')).toBeUndefined();
    expect(knownSessionUser(context, '')).toBeUndefined();
    expect(reads).toEqual({ sessions: 1, roles: 1 });
  });

  it('steps aside once a role changes, until resolveSession has read the new roles', async () => {
    const { context, setRoles } = app(new InMemoryCacheAdapter());
    await resolveSession(context, 'r:token');
    setRoles(['Editors']);
    await invalidateRoles(context);
    expect(knownSessionUser(context, 'r:token')).toBeUndefined();
    const after = await resolveSession(context, 'r:token');
    expect(knownSessionUser(context, 'r:token')).toBe(after);
    expect(after.roles).toEqual(['Editors']);
  });

  it('steps aside for an expired session and for one whose extension is due', async () => {
    const cache = new InMemoryCacheAdapter();
    const { context } = app(cache);
    await resolveSession(context, 'r:token');
    const entry = cache.getSync<{ expiresAt: number }>('session:r:token') as { expiresAt: number };
    const { expiresAt } = entry;
    entry.expiresAt = Date.now() - 1;
    expect(knownSessionUser(context, 'r:token')).toBeUndefined();
    entry.expiresAt = expiresAt;
    (context.users as { expireInactiveSessions: boolean }).expireInactiveSessions = true;
    // Half an hour left of a one-hour session: resolveSession must extend it.
    entry.expiresAt = Date.now() + 1_000_000;
    expect(knownSessionUser(context, 'r:token')).toBeUndefined();
    entry.expiresAt = expiresAt;
    expect(knownSessionUser(context, 'r:token')).toBeDefined();
  });

  it('needs a cache with synchronous reads', async () => {
    const memory = new InMemoryCacheAdapter();
    const { context } = app({ get: (key) => memory.get(key), set: (...args) => memory.set(...args) });
    await resolveSession(context, 'r:token');
    expect(knownSessionUser(context, 'r:token')).toBeUndefined();
  });
});
