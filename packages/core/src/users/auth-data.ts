import type { FieldUpdate } from '../contracts/storage-adapter.js';
import type { JsonValue, StorageObject } from '../contracts/values.js';
import { isJsonObject, type JsonObject } from '../encoding/values.js';
import { ParseError, ParseErrorCode } from '../errors.js';
import type { Condition } from '../query/types.js';
import { runUserTrigger } from '../cloud/triggers.js';
import { newObjectId } from '../rest/object-id.js';
import { assertNoDeniedKeywords } from '../security/keyword-denylist.js';
import type { AppContext, RestRequest, RestResponse } from '../rest/types.js';
import { createSession } from './sessions.js';
import { createUser, encodeUserForSelf, USER_CLASS } from './user-rules.js';

/**
 * A third-party login provider, with parse-server's auth adapter interface: an adapter
 * written for parse-server (`validateAuthData`, `validateAppId`) works unchanged.
 */
export interface AuthProvider {
  /** Resolves when `authData` proves the user's identity with the provider; rejects otherwise. */
  validateAuthData(authData: JsonObject, options: JsonObject, request?: unknown): Promise<unknown> | unknown;
  /** Resolves when the token was issued to one of this app's ids at the provider. */
  validateAppId?(
    appIds: readonly string[],
    authData: JsonObject,
    options: JsonObject,
  ): Promise<unknown> | unknown;
}

/** A configured provider: its adapter and the options from the `auth` server option. */
export interface ConfiguredAuthProvider {
  readonly adapter: AuthProvider;
  readonly options: JsonObject;
}

/** The built-in `anonymous` provider: any id is accepted (the id is the secret). */
const ANONYMOUS: AuthProvider = { validateAuthData: () => undefined };

const UNSUPPORTED = (): ParseError =>
  new ParseError(ParseErrorCode.UNSUPPORTED_SERVICE, 'This authentication method is unsupported.');

function providerFor(app: AppContext, name: string): ConfiguredAuthProvider {
  const configured = app.authProviders[name];
  if (configured) return configured;
  if (name === 'anonymous' && app.users.enableAnonymousUsers) return { adapter: ANONYMOUS, options: {} };
  throw UNSUPPORTED();
}

/**
 * Checks every provider's data with its adapter. `null` data (an unlink) is not checked.
 * @throws {ParseError} UNSUPPORTED_SERVICE, INVALID_VALUE, SCRIPT_FAILED
 */
export async function validateAuthData(app: AppContext, authData: JsonObject): Promise<JsonObject> {
  const responses: JsonObject = {};
  for (const [name, data] of Object.entries(authData)) {
    if (data === null) continue;
    if (!isJsonObject(data)) throw UNSUPPORTED();
    const provider = providerFor(app, name);
    if (typeof data.id !== 'string' || data.id.length === 0) {
      throw new ParseError(ParseErrorCode.INVALID_VALUE, `Invalid authData id for provider '${name}'.`);
    }
    try {
      const appIds = provider.options.appIds;
      if (provider.adapter.validateAppId && Array.isArray(appIds)) {
        await provider.adapter.validateAppId(appIds as string[], data, provider.options);
      }
      const result = await provider.adapter.validateAuthData(data, provider.options);
      // An adapter may answer the client something (`authDataResponse`), as parse-server's may.
      if (isJsonObject(result) && result.response !== undefined) responses[name] = result.response;
    } catch (cause) {
      if (cause instanceof ParseError) throw cause;
      // parse-server adapters throw the Parse SDK's errors: keep their code and message.
      const { code, message } = (cause ?? {}) as { code?: unknown; message?: unknown };
      const known = (Object.values(ParseErrorCode) as number[]).includes(code as number);
      if (known && typeof message === 'string')
        throw new ParseError(code as ParseErrorCode, message, { cause });
      app.logger.warn({ err: cause, provider: name }, 'authData rejected by its provider');
      throw new ParseError(ParseErrorCode.OBJECT_NOT_FOUND, `${name} auth is invalid for this user.`, {
        cause,
      });
    }
  }
  return responses;
}

/** Users linked to one of the providers' ids. */
async function usersLinkedTo(app: AppContext, authData: JsonObject): Promise<StorageObject[]> {
  const conditions: Condition[] = [];
  for (const [name, data] of Object.entries(authData)) {
    if (!isJsonObject(data) || typeof data.id !== 'string') continue;
    conditions.push({
      kind: 'compare',
      field: { name: 'authData', path: [name, 'id'], type: 'Object' },
      op: 'eq',
      value: data.id,
    });
  }
  if (conditions.length === 0 || !(await app.schema.exists(USER_CLASS))) return [];
  return app.storage.find({ className: USER_CLASS, where: { kind: 'or', conditions }, limit: 2 });
}

/**
 * Refuses linking `authData` to `userId` when another user holds one of its ids.
 * @throws {ParseError} ACCOUNT_ALREADY_LINKED
 */
export async function assertAuthDataFree(
  app: AppContext,
  authData: JsonObject,
  userId: string,
): Promise<void> {
  const linked = await usersLinkedTo(app, authData);
  if (linked.some((user) => user.objectId !== userId)) {
    throw new ParseError(ParseErrorCode.ACCOUNT_ALREADY_LINKED, 'this auth is already used');
  }
}

/**
 * Turns an `authData` write into per-provider updates, so linking one provider keeps the
 * others and `null` unlinks.
 */
export function authDataUpdates(authData: JsonObject): Record<string, FieldUpdate> {
  const updates: Record<string, FieldUpdate> = {};
  for (const [name, data] of Object.entries(authData)) {
    updates[`authData.${name}`] = data === null ? { op: 'unset' } : { op: 'set', value: data };
  }
  return updates;
}

const providersOf = (authData: JsonObject): string =>
  Object.keys(authData)
    .filter((name) => authData[name] !== null)
    .join(',');

/**
 * `POST /users` with `authData`: logs in the user linked to it, or signs up a new one
 * (with a generated username unless one is given).
 */
export async function handleAuthData(
  req: RestRequest,
  app: AppContext,
  body: JsonObject,
): Promise<RestResponse> {
  const authData = body.authData as JsonObject;
  assertNoDeniedKeywords(body, app.keywordDenylist);
  const responses = await validateAuthData(app, authData);
  const withResponses = (answer: RestResponse): RestResponse =>
    Object.keys(responses).length === 0
      ? answer
      : { ...answer, body: { ...(answer.body as JsonObject), authDataResponse: responses } };
  const linked = await usersLinkedTo(app, authData);
  if (linked.length > 1) {
    throw new ParseError(ParseErrorCode.ACCOUNT_ALREADY_LINKED, 'this auth is already used');
  }
  const [user] = linked;
  const authProvider = providersOf(authData);
  if (user) {
    const changed = Object.entries(authData).some(
      ([name, data]) =>
        JSON.stringify((user.authData as JsonObject | undefined)?.[name]) !== JSON.stringify(data),
    );
    if (changed) {
      await app.storage.updateObjects({
        className: USER_CLASS,
        where: {
          kind: 'compare',
          field: { name: 'objectId', path: [], type: 'String' },
          op: 'eq',
          value: user.objectId,
        },
        update: { ...authDataUpdates(authData), updatedAt: { op: 'set', value: new Date() } },
      });
      user.authData = { ...(user.authData as JsonObject | undefined), ...authData };
    }
    await runUserTrigger(req, app, 'beforeLogin', encodeUserForSelf(user, app));
    const session = await createSession(app, app.storage, {
      userId: user.objectId,
      createdWith: { action: 'login', authProvider },
      installationId: req.info.installationId,
    });
    const answer = encodeUserForSelf(user, app, session.sessionToken);
    await runUserTrigger(req, app, 'afterLogin', answer);
    return withResponses({ body: answer });
  }
  const generatedUsername = typeof body.username !== 'string';
  const signUpBody: Record<string, JsonValue> = { ...body };
  // parse-server's generated usernames: 25 random alphanumerics.
  if (generatedUsername) signUpBody.username = newObjectId(25);
  return withResponses(
    await createUser(req, app, signUpBody, {
      createdWith: { action: 'signup', authProvider },
      generatedUsername,
    }),
  );
}
