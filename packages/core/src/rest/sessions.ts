import type { StorageValue } from '../contracts/values.js';
import type { JsonValue } from '../contracts/values.js';
import { valueForCreate } from '../encoding/write-decoder.js';
import { ParseError, ParseErrorCode } from '../errors.js';
import type { Condition } from '../query/types.js';
import { createdSessionBody, createSession, forgetSession, type NewSession } from '../users/sessions.js';
import { bodyObject } from '../users/user-rules.js';
import { getObject } from './object-read.js';
import {
  assertSessionMayWrite,
  createObject,
  deleteObject,
  planWrite,
  updateObject,
} from './object-write.js';
import type { AppContext, RestRequest, RestResponse } from './types.js';

const SESSION_CLASS = '_Session';

/** Fields only the server sets on a session. */
const SERVER_FIELDS = ['user', 'sessionToken', 'expiresAt', 'createdWith', 'restricted'] as const;

function sessionRequired(): ParseError {
  return new ParseError(ParseErrorCode.INVALID_SESSION_TOKEN, 'Session token required.');
}

/**
 * `POST /sessions`: a client with a session creates a restricted session for its user (the
 * "Parse for IoT" flow of the guide); the master key creates a session object as given.
 */
export async function createSessionObject(req: RestRequest, app: AppContext): Promise<RestResponse> {
  if (req.auth.isMaster) return createObject(req, app, SESSION_CLASS, {});
  const user = req.auth.user;
  if (!user) throw sessionRequired();
  assertSessionMayWrite(SESSION_CLASS, req.auth);
  const body = bodyObject(req);
  if ('ACL' in body) throw new ParseError(ParseErrorCode.INVALID_KEY_NAME, 'Cannot set ACL on a Session.');
  const custom: Record<string, JsonValue> = {};
  for (const [key, value] of Object.entries(body)) {
    if (key === 'objectId' || key === 'installationId') continue;
    if (!(SERVER_FIELDS as readonly string[]).includes(key)) custom[key] = value;
  }
  // Custom fields are checked and typed (CLP create, addField) like any object write.
  const plan = await planWrite({ ...req, body: custom }, app, SESSION_CLASS, true, true);
  const extra: Record<string, StorageValue> = {};
  for (const [key, update] of Object.entries(plan.decoded.updates)) {
    const value = valueForCreate(update);
    if (value !== undefined) extra[key] = value;
  }
  const installationId = typeof body.installationId === 'string' ? body.installationId : undefined;
  const input: NewSession = {
    userId: user.id,
    createdWith: { action: 'create' },
    restricted: true,
    extra,
    ...(installationId ? { installationId } : {}),
  };
  const session = await createSession(app, req.storage, input);
  return {
    status: 201,
    body: createdSessionBody(session, input, body),
    headers: { Location: `${app.serverURL}/classes/${SESSION_CLASS}/${session.objectId}` },
  };
}

/** `GET /sessions/me`: the session of the request's token. */
export async function getCurrentSession(req: RestRequest, app: AppContext): Promise<RestResponse> {
  const user = req.auth.user;
  if (!user) throw new ParseError(ParseErrorCode.INVALID_SESSION_TOKEN, 'Session token required.');
  return getObject(req, app, SESSION_CLASS, user.sessionId);
}

/**
 * `PUT /sessions/:objectId`: custom fields only, on the user's own sessions; the server's
 * fields are the master key's to change.
 */
export async function updateSessionObject(
  req: RestRequest,
  app: AppContext,
  objectId: string,
): Promise<RestResponse> {
  const body = bodyObject(req);
  if (!req.auth.isMaster) {
    if (!req.auth.user) throw sessionRequired();
    if ('ACL' in body) throw new ParseError(ParseErrorCode.INVALID_KEY_NAME, 'Cannot set ACL on a Session.');
    for (const key of [...SERVER_FIELDS, 'installationId']) {
      if (key in body) throw new ParseError(ParseErrorCode.INVALID_KEY_NAME, `Invalid key name: ${key}`);
    }
  }
  return updateObject(req, app, SESSION_CLASS, objectId, {
    beforeUpdate: async (_update, _plan, where) => ownSessions(req, where),
    afterUpdate: async (after) => {
      if (typeof after.sessionToken === 'string') await forgetSession(app, after.sessionToken);
    },
  });
}

/**
 * `PUT /sessions/me`: pairs a restricted session with the installation that sends the
 * request (`X-Parse-Installation-Id`), once; custom fields may be set at the same time.
 */
export async function pairCurrentSession(req: RestRequest, app: AppContext): Promise<RestResponse> {
  const user = req.auth.user;
  if (!user) throw sessionRequired();
  if (!user.restricted) {
    throw new ParseError(
      ParseErrorCode.OPERATION_FORBIDDEN,
      'Only a restricted session can be paired with an installation through /sessions/me.',
    );
  }
  const installationId = req.info.installationId?.toLowerCase();
  if (!installationId) {
    throw new ParseError(
      ParseErrorCode.MISSING_REQUIRED_FIELD_ERROR,
      'Pairing a session needs the X-Parse-Installation-Id header.',
    );
  }
  if (user.installationId && user.installationId !== installationId) {
    throw new ParseError(
      ParseErrorCode.CHANGED_IMMUTABLE_FIELD_ERROR,
      'This session is already paired with another installation.',
    );
  }
  const body = bodyObject(req);
  for (const key of [...SERVER_FIELDS, 'installationId', 'ACL']) {
    if (key in body) throw new ParseError(ParseErrorCode.INVALID_KEY_NAME, `Invalid key name: ${key}`);
  }
  // The session is the request's own: the restricted-session write rule does not apply here.
  const pairing = { ...req, auth: { ...req.auth, user: { ...user, restricted: false } } };
  const answer = await updateObject(pairing, app, SESSION_CLASS, user.sessionId, {
    beforeUpdate: async (update, _plan, where) => {
      update.installationId = { op: 'set', value: installationId };
      return ownSessions(req, where);
    },
  });
  await forgetSession(app, user.sessionToken);
  return { body: { ...(answer.body as Record<string, never>), installationId } };
}

/** `DELETE /sessions/:objectId`: one of the user's own sessions (others are not found). */
export async function deleteSessionObject(
  req: RestRequest,
  app: AppContext,
  objectId: string,
): Promise<RestResponse> {
  if (!req.auth.isMaster && !req.auth.user) throw sessionRequired();
  let token: unknown;
  const answer = await deleteObject(req, app, SESSION_CLASS, objectId, {
    beforeDelete: async (where) => {
      const own = await ownSessions(req, where);
      const [session] = await req.storage.find({
        className: SESSION_CLASS,
        where: own,
        limit: 1,
        keys: ['sessionToken'],
      });
      token = session?.sessionToken;
      return own;
    },
  });
  if (typeof token === 'string') await forgetSession(app, token);
  return answer;
}

/** Narrows a session write to the request's user (and restricted sessions to restricted ones). */
async function ownSessions(req: RestRequest, where: Condition): Promise<Condition> {
  if (req.auth.isMaster) return where;
  const user = req.auth.user;
  if (!user) throw sessionRequired();
  return {
    kind: 'and',
    conditions: [
      where,
      {
        kind: 'compare',
        field: { name: 'user', path: [], type: 'Pointer' },
        op: 'eq',
        value: { __type: 'Pointer', className: '_User', objectId: user.id },
      },
    ],
  };
}
