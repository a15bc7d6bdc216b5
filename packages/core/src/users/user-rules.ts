import type { FieldUpdate } from '../contracts/storage-adapter.js';
import { fieldRef } from '../query/conditions.js';
import type { JsonValue, StorageObject } from '../contracts/values.js';
import { encodeObject } from '../encoding/object-encoder.js';
import { isJsonObject, type JsonObject } from '../encoding/values.js';
import { isParseError, ParseError, ParseErrorCode } from '../errors.js';
import type { Condition } from '../query/types.js';
import { type CreateHooks, createObject, type PlannedWrite, type UpdateHooks } from '../rest/object-write.js';
import type { AppContext, RestRequest, RestResponse } from '../rest/types.js';
import type { Auth } from '../security/auth.js';
import { cleanAuthData } from '../security/read-policy.js';
import { hashPassword } from '../security/password.js';
import { assertAuthDataFree, authDataUpdates, validateAuthData } from './auth-data.js';
import { sendVerificationEmail, verificationFields } from './email.js';
import { checkPasswordPolicy, passwordChangeUpdates } from './policies.js';
import { type CreatedWith, createSession, revokeSessions, sessionsOfUser } from './sessions.js';

/** The `_User` class. */
export const USER_CLASS = '_User';

/** Escapes a literal for use inside a regular expression. */
function literal(value: string): string {
  return value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** `name` equals `value`, ignoring case (how parse-server compares usernames and emails). */
export function equalsIgnoringCase(name: string, value: string): Condition {
  return { kind: 'regex', field: fieldRef(name), pattern: `^${literal(value)}$`, flags: 'i' };
}

/** The request body as an object. */
export function bodyObject(req: RestRequest): JsonObject {
  if (req.body === undefined) return {};
  if (!isJsonObject(req.body)) {
    throw new ParseError(ParseErrorCode.INVALID_JSON, 'The request body must be a JSON object');
  }
  return req.body;
}

async function assertFree(
  req: RestRequest,
  app: AppContext,
  name: 'username' | 'email',
  value: string,
  exceptId?: string,
): Promise<void> {
  if (!(await app.schema.exists(USER_CLASS))) return;
  const conditions: Condition[] = [equalsIgnoringCase(name, value)];
  if (exceptId) conditions.push({ kind: 'compare', field: fieldRef('objectId'), op: 'ne', value: exceptId });
  const [taken] = await req.storage.find({
    className: USER_CLASS,
    where: { kind: 'and', conditions },
    limit: 1,
    keys: ['objectId'],
  });
  if (!taken) return;
  throw name === 'username'
    ? new ParseError(ParseErrorCode.USERNAME_TAKEN, 'Account already exists for this username.')
    : new ParseError(ParseErrorCode.EMAIL_TAKEN, 'Account already exists for this email address.');
}

/**
 * Checks `username` and `email` values (type, format, uniqueness ignoring case).
 * @throws {ParseError} USERNAME_MISSING, USERNAME_TAKEN, INVALID_EMAIL_ADDRESS, EMAIL_TAKEN
 */
async function checkIdentity(
  req: RestRequest,
  app: AppContext,
  values: { username?: unknown; email?: unknown },
  exceptId?: string,
): Promise<void> {
  if (values.username !== undefined) {
    if (typeof values.username !== 'string' || values.username.length === 0) {
      throw new ParseError(ParseErrorCode.USERNAME_MISSING, 'bad or missing username');
    }
    await assertFree(req, app, 'username', values.username, exceptId);
  }
  if (values.email !== undefined && values.email !== null) {
    if (typeof values.email !== 'string' || !/^.+@.+$/.test(values.email)) {
      throw new ParseError(ParseErrorCode.INVALID_EMAIL_ADDRESS, 'Email address format is invalid.');
    }
    await assertFree(req, app, 'email', values.email, exceptId);
  }
}

/**
 * Fields clients may not write on `_User`.
 * @throws {ParseError} OPERATION_FORBIDDEN
 */
export function assertClientWritable(body: JsonObject, auth: Auth): void {
  if (!auth.isMaster && 'emailVerified' in body) {
    throw new ParseError(
      ParseErrorCode.OPERATION_FORBIDDEN,
      "Clients aren't allowed to manually update email verification.",
    );
  }
}

/** The value a `set` update gives, if the update is a `set`. */
function setValue(update: FieldUpdate | undefined): unknown {
  return update?.op === 'set' ? update.value : undefined;
}

function withPrincipal(list: unknown, principal: string): string[] {
  const principals = Array.isArray(list)
    ? list.filter((item): item is string => typeof item === 'string')
    : [];
  return principals.includes(principal) ? principals : [...principals, principal];
}

/**
 * A new user's ACL, as parse-server 9 sets it: the given ACL (or public read unless
 * `enforcePrivateUsers`), always with read and write for the user themself.
 */
function applyUserAcl(object: StorageObject, plan: PlannedWrite, app: AppContext): void {
  if (plan.decoded.acl) {
    object._rperm = withPrincipal(plan.decoded.acl._rperm, object.objectId);
    object._wperm = withPrincipal(plan.decoded.acl._wperm, object.objectId);
    return;
  }
  object._rperm = app.users.enforcePrivateUsers ? [object.objectId] : ['*', object.objectId];
  object._wperm = [object.objectId];
}

/** Maps a unique-index violation on `_User` to the error parse-server gives for it. */
export async function explainDuplicate(
  error: unknown,
  req: RestRequest,
  app: AppContext,
  values: { username?: unknown; email?: unknown },
  exceptId?: string,
): Promise<never> {
  if (isParseError(error) && error.code === ParseErrorCode.DUPLICATE_VALUE) {
    await checkIdentity(req, app, values, exceptId);
  }
  throw error;
}

/** Options of a user creation. */
export interface NewUserOptions {
  /** How the session is recorded (`signup`, with the auth provider). */
  readonly createdWith: CreatedWith;
  /** A username was generated (authData sign-ups): answer it. */
  readonly generatedUsername?: boolean;
}

/**
 * The `_User` create rules: identity checks, password hashing, the user's ACL, and a new
 * session whose token joins the answer.
 */
export function userCreateHooks(req: RestRequest, app: AppContext, options: NewUserOptions): CreateHooks {
  return {
    location: (objectId) => `/users/${objectId}`,
    async beforeInsert(object, answered, plan) {
      await checkIdentity(req, app, { username: object.username, email: object.email });
      if (object.password !== undefined) {
        if (typeof object.password !== 'string') {
          throw new ParseError(ParseErrorCode.PASSWORD_MISSING, 'password is required');
        }
        const username = typeof object.username === 'string' ? object.username : undefined;
        await checkPasswordPolicy(app, object.password, username);
        object._hashed_password = await hashPassword(object.password);
        delete object.password;
        if (app.users.passwordPolicy?.maxPasswordAge) object._password_changed_at = new Date();
      }
      if (typeof object.email === 'string') {
        for (const [name, update] of Object.entries(verificationFields(app) ?? {})) {
          if (update.op === 'set') object[name] = update.value;
        }
      }
      applyUserAcl(object, plan, app);
      if (options.generatedUsername) answered.username = object.username as string;
    },
    async afterInsert(object, answered) {
      await sendVerificationEmail(app, object);
      // An unverified user gets no session when unverified users may not log in.
      const email = app.users.email;
      if (email?.verifyUserEmails && email.preventLoginWithUnverifiedEmail && object.emailVerified !== true) {
        return;
      }
      const session = await createSession(app, req.storage, {
        userId: object.objectId,
        createdWith: options.createdWith,
        installationId: req.info.installationId,
      });
      answered.sessionToken = session.sessionToken;
    },
  };
}

/**
 * The `_User` update rules: identity checks, password hashing (revoking the user's sessions
 * and, for the user themself, answering a fresh session token), and an ACL that always keeps
 * the user's own access.
 */
export function userUpdateHooks(req: RestRequest, app: AppContext, objectId: string): UpdateHooks {
  let passwordChanged = false;
  let emailChanged = false;
  return {
    async beforeUpdate(update) {
      const password = update.password;
      const email = setValue(update.email);
      // The stored user, for the password policy and to tell a changed email from the same one.
      const [current] =
        password !== undefined || typeof email === 'string'
          ? await req.storage.find({
              className: USER_CLASS,
              where: { kind: 'compare', field: fieldRef('objectId'), op: 'eq', value: objectId },
              limit: 1,
            })
          : [];
      if (typeof email === 'string' && current && email !== current.email) {
        const verification = verificationFields(app);
        if (verification) {
          Object.assign(update, verification);
          emailChanged = true;
        }
      }
      if (password !== undefined) {
        const value = setValue(password);
        if (typeof value !== 'string') {
          throw new ParseError(ParseErrorCode.PASSWORD_MISSING, 'password is required');
        }
        const username = setValue(update.username) ?? current?.username;
        await checkPasswordPolicy(app, value, typeof username === 'string' ? username : undefined);
        Object.assign(update, await passwordChangeUpdates(app, value, current));
        delete update.password;
        update._hashed_password = { op: 'set', value: await hashPassword(value) };
        // A reset link or verification token must not outlive a password change.
        update._perishable_token = { op: 'unset' };
        update._perishable_token_expires_at = { op: 'unset' };
        passwordChanged = true;
      }
      if (update.authData !== undefined) {
        const authData = setValue(update.authData);
        if (!isJsonObject(authData)) {
          throw new ParseError(ParseErrorCode.INVALID_JSON, 'authData must be an object');
        }
        await validateAuthData(app, authData);
        await assertAuthDataFree(app, authData, objectId);
        delete update.authData;
        Object.assign(update, authDataUpdates(authData));
      }
      if (update.username !== undefined && update.username.op !== 'set') {
        throw new ParseError(ParseErrorCode.USERNAME_MISSING, 'bad or missing username');
      }
      await checkIdentity(
        req,
        app,
        { username: setValue(update.username), email: setValue(update.email) },
        objectId,
      );
      if (!req.auth.isMaster) {
        const rperm = setValue(update._rperm);
        if (rperm !== undefined) update._rperm = { op: 'set', value: withPrincipal(rperm, objectId) };
        const wperm = setValue(update._wperm);
        if (wperm !== undefined) update._wperm = { op: 'set', value: withPrincipal(wperm, objectId) };
      }
      return undefined;
    },
    async afterUpdate(after, body) {
      if (emailChanged) await sendVerificationEmail(app, after);
      if (!passwordChanged) return;
      if (app.users.revokeSessionOnPasswordReset) {
        await revokeSessions(app, req.storage, sessionsOfUser(objectId));
      }
      if (!req.auth.isMaster && req.auth.userId === objectId) {
        const session = await createSession(app, req.storage, {
          userId: objectId,
          createdWith: { action: 'login', authProvider: 'password' },
          installationId: req.info.installationId,
        });
        body.sessionToken = session.sessionToken;
      }
    },
  };
}

/**
 * A `_User` row as its owner sees it (every field but the internal ones), with the session
 * token of the answer when there is one.
 */
export function encodeUserForSelf(
  user: StorageObject,
  app: AppContext,
  sessionToken?: string,
): Record<string, JsonValue> {
  const encoded = encodeObject(user, { schema: app.schema.peek(USER_CLASS), fileUrl: app.fileUrl });
  delete encoded.password;
  cleanAuthData(encoded);
  if (sessionToken) encoded.sessionToken = sessionToken;
  return encoded;
}

/** Creates a `_User` with the user rules, mapping unique-index races to 202 / 203. */
export async function createUser(
  req: RestRequest,
  app: AppContext,
  body: JsonObject,
  options: NewUserOptions,
): Promise<RestResponse> {
  try {
    return await createObject({ ...req, body }, app, USER_CLASS, userCreateHooks(req, app, options));
  } catch (error) {
    return explainDuplicate(error, req, app, { username: body.username, email: body.email });
  }
}
