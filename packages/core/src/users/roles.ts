import { randomUUID } from 'node:crypto';
import type { AppContext } from '../rest/types.js';

/** The cache entry of one user's roles, valid while the role generation is unchanged. */
interface CachedRoles {
  readonly generation: string;
  readonly names: readonly string[];
}

const GENERATION_KEY = 'roles:generation';
const rolesKey = (userId: string): string => `roles:${userId}`;

/**
 * The current role generation. Any change to a role (or its relations) replaces it, which
 * makes every cached role set stale at once, in every process sharing the cache.
 */
async function generation(app: AppContext): Promise<string> {
  const current = await app.cache.get<string>(GENERATION_KEY).catch(() => undefined);
  if (current) return current;
  const fresh = randomUUID();
  await app.cache.set(GENERATION_KEY, fresh, 0).catch(() => undefined);
  return fresh;
}

/** Forgets every cached role set (call after any write to `_Role`). */
export async function invalidateRoles(app: AppContext): Promise<void> {
  await app.cache.set(GENERATION_KEY, randomUUID(), 0).catch(() => undefined);
}

/**
 * The user's role names when a synchronous cache holds them for the current generation (see
 * {@link rolesOf}); undefined otherwise.
 */
export function cachedRolesOf(app: AppContext, userId: string): readonly string[] | undefined {
  const cache = app.cache;
  if (!cache.getSync) return undefined;
  const current = cache.getSync<string>(GENERATION_KEY);
  if (current === undefined) return undefined;
  const cached = cache.getSync<CachedRoles>(rolesKey(userId));
  return cached && cached.generation === current ? cached.names : undefined;
}

/** Names of every role the user holds, directly or by inheritance, cached until a role changes. */
export async function rolesOf(app: AppContext, userId: string): Promise<readonly string[]> {
  const current = await generation(app);
  const cached = await app.cache.get<CachedRoles>(rolesKey(userId)).catch(() => undefined);
  if (cached && cached.generation === current) return cached.names;
  const sorted = [...new Set(await app.storage.roleNamesOf(userId))].sort();
  await app.cache.set(rolesKey(userId), { generation: current, names: sorted }).catch(() => undefined);
  return sorted;
}
