import { randomBytes } from 'node:crypto';
import { fieldRef } from '../query/conditions.js';
import type { StorageObjects } from '../contracts/storage-adapter.js';
import type { JsonValue, StorageObject } from '../contracts/values.js';
import { ParseError, ParseErrorCode } from '../errors.js';
import type { Condition } from '../query/types.js';
import { newObjectId } from '../rest/object-id.js';
import type { AppContext } from '../rest/types.js';
import type { SessionUser } from '../security/auth.js';
import { cachedRolesOf, rolesOf } from './roles.js';

/** How a session came to be, as stored in `_Session.createdWith`. */
export interface CreatedWith {
  readonly action: 'login' | 'signup' | 'create' | 'upgrade';
  readonly authProvider?: string;
}

/** A session as the cache keeps it: enough to authenticate without reading `_Session`. */
interface CachedSession {
  readonly userId: string;
  readonly sessionId: string;
  /** Epoch milliseconds, or null for a session without expiry. */
  readonly expiresAt: number | null;
  readonly restricted: boolean;
  readonly installationId?: string;
}

/** What a new session needs. */
export interface NewSession {
  readonly userId: string;
  readonly createdWith: CreatedWith;
  readonly installationId?: string;
  /** A session made by `POST /sessions`: no writes to `_User`, `_Session` or `_Role`. */
  readonly restricted?: boolean;
  /** Custom fields the client gave (`POST /sessions`), already decoded. */
  readonly extra?: Readonly<Record<string, StorageObject[string]>>;
}

/** A session just stored. */
export interface CreatedSession {
  readonly objectId: string;
  readonly sessionToken: string;
  readonly expiresAt: Date;
  readonly createdAt: Date;
}

const SESSION_FIELDS = {
  restricted: { type: 'Boolean' },
} as const;

const INVALID_TOKEN = (): ParseError =>
  new ParseError(ParseErrorCode.INVALID_SESSION_TOKEN, 'Invalid session token');

/** `r:` and 32 hex digits, the revocable-session token format of parse-server. */
export function newSessionToken(): string {
  return `r:${randomBytes(16).toString('hex')}`;
}

const cacheKey = (token: string): string => `session:${token}`;

/** The `_Session` condition `user = userId`. */
export function sessionsOfUser(userId: string): Condition {
  return {
    kind: 'compare',
    field: fieldRef('user', 'Pointer'),
    op: 'eq',
    value: { __type: 'Pointer', className: '_User', objectId: userId },
  };
}

/**
 * Stores a new session. Logging in again from the same installation replaces that
 * installation's previous session, as the guide promises.
 */
export async function createSession(
  app: AppContext,
  storage: StorageObjects,
  input: NewSession,
): Promise<CreatedSession> {
  const fields: Record<string, { type: 'Boolean' }> = input.restricted ? { ...SESSION_FIELDS } : {};
  await app.schema.ensureFields('_Session', fields, { allowCreateClass: true, allowAddField: true });
  const now = new Date();
  const expiresAt = new Date(now.getTime() + app.users.sessionLengthMs);
  const sessionToken = newSessionToken();
  const object: StorageObject = {
    ...input.extra,
    objectId: newObjectId(),
    createdAt: now,
    updatedAt: now,
    sessionToken,
    user: { __type: 'Pointer', className: '_User', objectId: input.userId },
    createdWith: { ...input.createdWith },
    expiresAt,
  };
  if (input.restricted) object.restricted = true;
  if (input.installationId) object.installationId = input.installationId;
  await storage.createObject('_Session', object);
  if (input.installationId) {
    await revokeSessions(app, storage, {
      kind: 'and',
      conditions: [
        sessionsOfUser(input.userId),
        { kind: 'compare', field: fieldRef('installationId'), op: 'eq', value: input.installationId },
        { kind: 'compare', field: fieldRef('sessionToken'), op: 'ne', value: sessionToken },
      ],
    });
  }
  return { objectId: object.objectId, sessionToken, expiresAt, createdAt: now };
}

/**
 * Deletes the sessions matching `where` and forgets their tokens, so no cache keeps them
 * alive. Resolves to how many were deleted.
 */
export async function revokeSessions(
  app: AppContext,
  storage: StorageObjects,
  where: Condition,
): Promise<number> {
  const sessions = await storage.find({ className: '_Session', where, keys: ['sessionToken'] });
  if (sessions.length === 0) return 0;
  await Promise.all(
    sessions.map((session) =>
      typeof session.sessionToken === 'string' ? forgetSession(app, session.sessionToken) : undefined,
    ),
  );
  return storage.deleteObjects({
    className: '_Session',
    where: {
      kind: 'in',
      field: fieldRef('objectId'),
      values: sessions.map((session) => session.objectId),
      negated: false,
    },
  });
}

/** Drops a token from the cache (after logout, revocation or a change of the session). */
export async function forgetSession(app: AppContext, token: string): Promise<void> {
  await app.cache.delete(cacheKey(token)).catch(() => undefined);
}

async function loadSession(app: AppContext, token: string): Promise<CachedSession | undefined> {
  const cached = await app.cache.get<CachedSession>(cacheKey(token)).catch(() => undefined);
  if (cached) return cached;
  const [row] = await app.storage.find({
    className: '_Session',
    where: { kind: 'compare', field: fieldRef('sessionToken'), op: 'eq', value: token },
    limit: 1,
  });
  const user = row?.user as { objectId?: unknown } | undefined;
  if (!row || typeof user?.objectId !== 'string') return undefined;
  const expiresAt = row.expiresAt instanceof Date ? row.expiresAt.getTime() : null;
  const session: CachedSession = {
    userId: user.objectId,
    sessionId: row.objectId,
    expiresAt,
    restricted: row.restricted === true,
    ...(typeof row.installationId === 'string' ? { installationId: row.installationId } : {}),
  };
  await app.cache.set(cacheKey(token), session).catch(() => undefined);
  return session;
}

/**
 * The user behind a session token, with their roles.
 * @throws {ParseError} INVALID_SESSION_TOKEN for an unknown, revoked or expired token.
 */
export async function resolveSession(app: AppContext, token: string): Promise<SessionUser> {
  if (token.length === 0 || token.length > 256) throw INVALID_TOKEN();
  const session = app.cache.getSync?.<CachedSession>(cacheKey(token)) ?? (await loadSession(app, token));
  if (!session) throw INVALID_TOKEN();
  const now = Date.now();
  if (session.expiresAt !== null && session.expiresAt <= now) {
    await forgetSession(app, token);
    throw new ParseError(ParseErrorCode.INVALID_SESSION_TOKEN, 'Session token is expired.');
  }
  if (
    app.users.expireInactiveSessions &&
    session.expiresAt !== null &&
    session.expiresAt - now < app.users.sessionLengthMs / 2
  ) {
    await extendSession(app, token, session);
  }
  const roles = cachedRolesOf(app, session.userId) ?? (await rolesOf(app, session.userId));
  // The same cache entries as last time (an in-process cache answers the stored objects): the
  // same user, and the same Auth made from it (see userAuth).
  const known = resolved.get(session);
  if (known?.roles === roles) return known.user;
  // Shared by the session's requests: frozen, so no request can change another's.
  const user: SessionUser = Object.freeze({
    id: session.userId,
    sessionToken: token,
    sessionId: session.sessionId,
    restricted: session.restricted,
    ...(session.installationId ? { installationId: session.installationId } : {}),
    roles,
  });
  resolved.set(session, { roles, user });
  return user;
}

/**
 * The user of a session the cache answers without waiting, when the last resolution from the
 * same cache entries still holds (not expired, no extension due); undefined otherwise, and
 * {@link resolveSession} decides. Keeps the hot path of a signed-in request free of awaits.
 */
export function knownSessionUser(app: AppContext, token: string): SessionUser | undefined {
  if (!app.cache.getSync || token.length === 0 || token.length > 256) return undefined;
  const session = app.cache.getSync<CachedSession>(cacheKey(token));
  if (!session) return undefined;
  const now = Date.now();
  if (session.expiresAt !== null) {
    if (session.expiresAt <= now) return undefined;
    if (app.users.expireInactiveSessions && session.expiresAt - now < app.users.sessionLengthMs / 2)
      return undefined;
  }
  const known = resolved.get(session);
  return known && known.roles === cachedRolesOf(app, session.userId) ? known.user : undefined;
}

/** The user last resolved from a cached session entry, with the role names it was made with. */
const resolved = new WeakMap<CachedSession, { roles: readonly string[]; user: SessionUser }>();

/** Pushes a session in use `sessionLength` into the future (at most once per half-life). */
async function extendSession(app: AppContext, token: string, session: CachedSession): Promise<void> {
  const expiresAt = new Date(Date.now() + app.users.sessionLengthMs);
  await app.storage.updateObjects({
    className: '_Session',
    where: { kind: 'compare', field: fieldRef('objectId'), op: 'eq', value: session.sessionId },
    update: { expiresAt: { op: 'set', value: expiresAt }, updatedAt: { op: 'set', value: new Date() } },
  });
  await app.cache.set(cacheKey(token), { ...session, expiresAt: expiresAt.getTime() }).catch(() => undefined);
}

/** The answer to a session creation, as the guide shows it. */
export function createdSessionBody(
  session: CreatedSession,
  input: NewSession,
  extra: Readonly<Record<string, JsonValue>> = {},
): Record<string, JsonValue> {
  const body: Record<string, JsonValue> = {
    ...extra,
    objectId: session.objectId,
    createdAt: session.createdAt.toISOString(),
    sessionToken: session.sessionToken,
    user: { __type: 'Pointer', className: '_User', objectId: input.userId },
    createdWith: { ...input.createdWith },
    expiresAt: { __type: 'Date', iso: session.expiresAt.toISOString() },
  };
  if (input.restricted) body.restricted = true;
  if (input.installationId) body.installationId = input.installationId;
  return body;
}
