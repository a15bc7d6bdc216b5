import { remembered } from '../remembered.js';
import type { Logger } from '../contracts/logger.js';
import type { JsonValue } from '../contracts/values.js';
import { byObjectId } from '../query/conditions.js';
import { readSettings } from '../rest/object-read.js';
import type { AppContext, RestRequest } from '../rest/types.js';
import { MASTER_AUTH } from '../security/auth.js';
import { objectEncoder } from '../security/read-policy.js';
import { type ParseSdk, parseSdk } from './parse-sdk.js';
import type { CloudRequest } from './registry.js';

/** The `request.log` cloud code writes to: parse-server's `(message, meta)` over core's logger. */
export interface CloudLog {
  info(message: unknown, meta?: Record<string, unknown>): void;
  warn(message: unknown, meta?: Record<string, unknown>): void;
  error(message: unknown, meta?: Record<string, unknown>): void;
  debug(message: unknown, meta?: Record<string, unknown>): void;
  verbose(message: unknown, meta?: Record<string, unknown>): void;
}

const logs = new WeakMap<Logger, CloudLog>();

/** The {@link CloudLog} writing to `logger` (one per logger, shared by its requests). */
export function cloudLog(logger: Logger): CloudLog {
  return remembered(logs, logger, newCloudLog);
}

function newCloudLog(logger: Logger): CloudLog {
  const write =
    (level: keyof Logger) =>
    (message: unknown, meta: Record<string, unknown> = {}) =>
      logger[level](
        { ...meta, source: 'cloud' },
        typeof message === 'string' ? message : JSON.stringify(message),
      );
  return {
    info: write('info'),
    warn: write('warn'),
    error: write('error'),
    debug: write('debug'),
    verbose: write('debug'),
  };
}

const USER_ROLES = Symbol('userRoles');

/** The role names of the request's user (direct and inherited), as the session resolved them. */
export function userRolesOf(request: CloudRequest): readonly string[] {
  return ((request as Record<symbol, unknown>)[USER_ROLES] as readonly string[] | undefined) ?? [];
}

/**
 * The members every cloud request carries: who asks, from where, and the request's context.
 * `request.user` is the signed-in user as parse-server gives it: every stored field as the master
 * key reads it (no password hash), plus the session token; one read by objectId.
 */
export async function baseRequest(req: RestRequest, app: AppContext): Promise<CloudRequest> {
  const request: CloudRequest = {
    master: req.auth.isMaster,
    log: cloudLog(app.logger),
    headers: req.headers ?? {},
    ip: req.ip ?? '',
    context: req.info.context ?? {},
  };
  if (req.info.installationId !== undefined) request.installationId = req.info.installationId;
  const user = req.auth.user;
  if (user) {
    request.user = parseSdk().Object.fromJSON({
      ...(await storedUser(app, user.id)),
      className: '_User',
      objectId: user.id,
      sessionToken: user.sessionToken,
    });
    // For validators' requireAnyUserRoles / requireAllUserRoles. A symbol key: copied by spreads,
    // invisible to Object.keys and JSON, so not part of the request's shape for cloud code.
    (request as Record<symbol, unknown>)[USER_ROLES] = user.roles;
  }
  return request;
}

/** The user's stored fields in REST JSON, as the master key reads them (empty when it is gone). */
async function storedUser(app: AppContext, userId: string): Promise<Record<string, JsonValue>> {
  const schema = await app.schema.get('_User');
  // The schema's fields only: the internal columns (password hash, tokens) are never answered.
  const keys = schema ? Object.keys(schema.fields) : undefined;
  const [found] = await app.storage.find({
    className: '_User',
    where: byObjectId(userId),
    limit: 1,
    ...(keys ? { keys } : {}),
  });
  return found ? objectEncoder('_User', schema, MASTER_AUTH, readSettings(app))(found) : {};
}

/**
 * Function and job parameters as cloud code receives them (parse-server with
 * `encodeParseObjectInCloudFunction: true`, 9's default): Dates become `Date`s, Files
 * `Parse.File`s, Pointers `Parse.Object`s; everything else stays plain JSON.
 */
export function decodeParams(Parse: ParseSdk, value: JsonValue | undefined): unknown {
  if (Array.isArray(value)) return value.map((item) => decodeParams(Parse, item));
  if (value === null || typeof value !== 'object') return value;
  if (value.__type === 'Date' && typeof value.iso === 'string')
    return Object.assign(new Date(value.iso), value);
  if (value.__type === 'File') return Parse.File.fromJSON(value);
  if (value.__type === 'Pointer' && typeof value.className === 'string') {
    return Parse.Object.fromJSON({ __type: 'Pointer', className: value.className, objectId: value.objectId });
  }
  const decoded: Record<string, unknown> = {};
  for (const key in value) decoded[key] = decodeParams(Parse, value[key] as JsonValue);
  return decoded;
}
