import type { StorageObject } from '../contracts/values.js';
import { equalTo } from '../query/conditions.js';
import { isJsonObject, type JsonObject } from '../encoding/values.js';
import { isParseError, ParseError, ParseErrorCode } from '../errors.js';
import type { Condition } from '../query/types.js';
import { runUserTrigger } from '../cloud/triggers.js';
import { verifyPassword } from '../security/password.js';
import { requestPasswordReset, requestVerificationEmail } from '../users/email.js';
import { checkPasswordAge, recordLoginAttempt } from '../users/policies.js';
import { handleAuthData } from '../users/auth-data.js';
import { createSession, forgetSession, revokeSessions, sessionsOfUser } from '../users/sessions.js';
import {
  assertClientWritable,
  bodyObject,
  createUser,
  encodeUserForSelf,
  explainDuplicate,
  USER_CLASS,
  userUpdateHooks,
} from '../users/user-rules.js';
import { getObject } from './object-read.js';
import { deleteObject, updateObject } from './object-write.js';
import type { AppContext, RestRequest, RestResponse } from './types.js';

const INVALID_LOGIN = (): ParseError =>
  new ParseError(ParseErrorCode.OBJECT_NOT_FOUND, 'Invalid username/password.');

/** `POST /users` (and `POST /classes/_User`): sign-up, or sign-up / login with `authData`. */
export async function signUp(req: RestRequest, app: AppContext): Promise<RestResponse> {
  const body = bodyObject(req);
  assertClientWritable(body, req.auth);
  if (hasAuthData(body)) return handleAuthData(req, app, body);
  if (typeof body.username !== 'string' || body.username.length === 0) {
    throw new ParseError(ParseErrorCode.USERNAME_MISSING, 'bad or missing username');
  }
  if (typeof body.password !== 'string' || body.password.length === 0) {
    throw new ParseError(ParseErrorCode.PASSWORD_MISSING, 'password is required');
  }
  return createUser(req, app, body, { createdWith: { action: 'signup', authProvider: 'password' } });
}

function hasAuthData(body: JsonObject): boolean {
  const authData = body.authData;
  if (!isJsonObject(authData)) return false;
  return Object.values(authData).some((data) => isJsonObject(data) && Object.keys(data).length > 0);
}

/** `PUT /users/:objectId` (and `/classes/_User/:objectId`). */
export async function updateUser(req: RestRequest, app: AppContext, objectId: string): Promise<RestResponse> {
  if (!req.auth.isMaster && !req.auth.user) {
    throw new ParseError(ParseErrorCode.SESSION_MISSING, `Cannot modify user ${objectId}.`);
  }
  const body = bodyObject(req);
  assertClientWritable(body, req.auth);
  try {
    return await updateObject(req, app, USER_CLASS, objectId, userUpdateHooks(req, app, objectId));
  } catch (error) {
    if (isParseError(error) && error.code === ParseErrorCode.OBJECT_NOT_FOUND && !req.auth.isMaster) {
      throw new ParseError(ParseErrorCode.SESSION_MISSING, 'Insufficient auth.');
    }
    return explainDuplicate(error, req, app, { username: body.username, email: body.email }, objectId);
  }
}

/** `DELETE /users/:objectId`: the user and their sessions. */
export async function deleteUser(req: RestRequest, app: AppContext, objectId: string): Promise<RestResponse> {
  if (!req.auth.isMaster && !req.auth.user) {
    throw new ParseError(ParseErrorCode.SESSION_MISSING, 'Insufficient auth to delete user');
  }
  try {
    return await deleteObject(req, app, USER_CLASS, objectId, {
      afterDelete: async () => void (await revokeSessions(app, req.storage, sessionsOfUser(objectId))),
    });
  } catch (error) {
    if (isParseError(error) && error.code === ParseErrorCode.OBJECT_NOT_FOUND && !req.auth.isMaster) {
      throw new ParseError(ParseErrorCode.SESSION_MISSING, 'Insufficient auth.');
    }
    throw error;
  }
}

/** Credentials from the body, or (for `GET /login`) the query string. */
function credentials(req: RestRequest): JsonObject {
  const body = isJsonObject(req.body) ? req.body : {};
  const query = req.query as JsonObject;
  if ((!body.username && query.username) || (!body.email && query.email)) return query;
  return body;
}

/**
 * Finds the user the credentials name and checks the password, as `/login` and
 * `/verifyPassword` do. Unknown users take as long as wrong passwords.
 * @throws {ParseError} USERNAME_MISSING, PASSWORD_MISSING, OBJECT_NOT_FOUND
 */
async function authenticate(req: RestRequest, app: AppContext): Promise<StorageObject> {
  const { username, email, password } = credentials(req);
  if (!username && !email) {
    throw new ParseError(ParseErrorCode.USERNAME_MISSING, 'username/email is required.');
  }
  if (!password) throw new ParseError(ParseErrorCode.PASSWORD_MISSING, 'password is required.');
  if (
    typeof password !== 'string' ||
    (email !== undefined && typeof email !== 'string') ||
    (username !== undefined && typeof username !== 'string')
  ) {
    throw INVALID_LOGIN();
  }
  let where: Condition;
  if (typeof email === 'string' && typeof username === 'string') {
    where = { kind: 'and', conditions: [equalTo('email', email), equalTo('username', username)] };
  } else if (typeof email === 'string') where = equalTo('email', email);
  else {
    const name = username as string;
    where = { kind: 'or', conditions: [equalTo('username', name), equalTo('email', name)] };
  }
  const found = (await app.schema.exists(USER_CLASS))
    ? await app.storage.find({ className: USER_CLASS, where, limit: 2 })
    : [];
  // A user whose email is another user's username: the username wins, as in parse-server.
  const user = found.length > 1 ? found.find((row) => row.username === username) : found[0];
  const hashed = typeof user?._hashed_password === 'string' ? user._hashed_password : undefined;
  const valid = await verifyPassword(password, hashed);
  if (user) await recordLoginAttempt(app, user, valid);
  if (!user || !valid) throw INVALID_LOGIN();
  // A user with an empty ACL is locked: only the master key reaches them.
  const locked = Array.isArray(user._rperm) && user._rperm.length === 0 && Array.isArray(user._wperm);
  if (locked && (user._wperm as unknown[]).length === 0 && !req.auth.isMaster) throw INVALID_LOGIN();
  const mail = app.users.email;
  const skipCheck = req.auth.isMaster && credentials(req).ignoreEmailVerification === true;
  if (
    mail?.verifyUserEmails &&
    mail.preventLoginWithUnverifiedEmail &&
    !skipCheck &&
    user.emailVerified !== true
  ) {
    throw new ParseError(ParseErrorCode.EMAIL_NOT_FOUND, 'User email is not verified.');
  }
  return user;
}

/** `GET /login` and `POST /login`. */
export async function logIn(req: RestRequest, app: AppContext): Promise<RestResponse> {
  const user = await authenticate(req, app);
  await checkPasswordAge(app, user);
  await runUserTrigger(req, app, 'beforeLogin', encodeUserForSelf(user, app));
  const session = await createSession(app, app.storage, {
    userId: user.objectId,
    createdWith: { action: 'login', authProvider: 'password' },
    installationId: req.info.installationId,
  });
  const body = encodeUserForSelf(user, app, session.sessionToken);
  await runUserTrigger(req, app, 'afterLogin', body);
  return { body };
}

/** `GET /verifyPassword` and `POST /verifyPassword`: the user, without a new session. */
export async function verifyUserPassword(req: RestRequest, app: AppContext): Promise<RestResponse> {
  const user = await authenticate(req, app);
  return { body: encodeUserForSelf(user, app) };
}

/** `POST /loginAs` (master key): a session for any user, without their password. */
export async function logInAs(req: RestRequest, app: AppContext): Promise<RestResponse> {
  if (!req.auth.isMaster || req.auth.isReadOnly || req.auth.isMaintenance) {
    throw new ParseError(ParseErrorCode.OPERATION_FORBIDDEN, 'master key is required');
  }
  const { userId } = bodyObject(req);
  if (typeof userId !== 'string' || userId.length === 0) {
    throw new ParseError(ParseErrorCode.INVALID_VALUE, 'userId must not be empty, null, or undefined');
  }
  const [user] = (await app.schema.exists(USER_CLASS))
    ? await app.storage.find({ className: USER_CLASS, where: equalTo('objectId', userId), limit: 1 })
    : [];
  if (!user) throw new ParseError(ParseErrorCode.OBJECT_NOT_FOUND, 'user not found');
  const session = await createSession(app, app.storage, {
    userId,
    createdWith: { action: 'login', authProvider: 'masterkey' },
    installationId: req.info.installationId,
  });
  return { body: encodeUserForSelf(user, app, session.sessionToken) };
}

/** `GET /users/me`: the session's user, with the token. */
export async function me(req: RestRequest, app: AppContext): Promise<RestResponse> {
  const user = req.auth.user;
  if (!user) throw new ParseError(ParseErrorCode.INVALID_SESSION_TOKEN, 'Invalid session token');
  let answer: RestResponse;
  try {
    answer = await getObject(req, app, USER_CLASS, user.id);
  } catch (error) {
    if (isParseError(error) && error.code === ParseErrorCode.OBJECT_NOT_FOUND) {
      throw new ParseError(ParseErrorCode.INVALID_SESSION_TOKEN, 'Invalid session token');
    }
    throw error;
  }
  // The answer is this request's own object: the token is added in place.
  (answer.body as JsonObject).sessionToken = user.sessionToken;
  return answer;
}

/** `POST /logout`: deletes the session of the token the request carries. */
export async function logOut(req: RestRequest, app: AppContext): Promise<RestResponse> {
  const user = req.auth.user;
  if (user) {
    await forgetSession(app, user.sessionToken);
    await app.storage.deleteObjects({ className: '_Session', where: equalTo('objectId', user.sessionId) });
    await runUserTrigger(req, app, 'afterLogout', {
      objectId: user.sessionId,
      sessionToken: user.sessionToken,
      user: { __type: 'Pointer', className: USER_CLASS, objectId: user.id },
    });
  }
  return { body: {} };
}

/**
 * `POST /upgradeToRevocableSession`: a revocable session for the user of the request's
 * session (parse-server's answer for a session that is already revocable, too).
 */
export async function upgradeToRevocableSession(req: RestRequest, app: AppContext): Promise<RestResponse> {
  const user = req.auth.user;
  if (!user) throw new ParseError(ParseErrorCode.OBJECT_NOT_FOUND, 'invalid session');
  const input = {
    userId: user.id,
    createdWith: { action: 'upgrade' as const },
    installationId: req.info.installationId,
  };
  const session = await createSession(app, app.storage, input);
  return {
    body: {
      objectId: session.objectId,
      createdAt: session.createdAt.toISOString(),
      sessionToken: session.sessionToken,
      user: { __type: 'Pointer', className: USER_CLASS, objectId: user.id },
      createdWith: { action: 'upgrade' },
      expiresAt: { __type: 'Date', iso: session.expiresAt.toISOString() },
      ...(input.installationId ? { installationId: input.installationId } : {}),
    },
  };
}

/** `POST /verificationEmailRequest`: sends a new verification email. */
export async function verificationEmailRequest(req: RestRequest, app: AppContext): Promise<RestResponse> {
  await requestVerificationEmail(app, bodyObject(req).email);
  return { body: {} };
}

/** `POST /requestPasswordReset`: emails a link to choose a new password. */
export async function passwordResetRequest(req: RestRequest, app: AppContext): Promise<RestResponse> {
  await requestPasswordReset(app, bodyObject(req).email, (user) =>
    runUserTrigger(req, app, 'beforePasswordResetRequest', encodeUserForSelf(user, app)),
  );
  return { body: {} };
}
