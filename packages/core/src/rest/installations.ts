import type { StorageObject } from '../contracts/values.js';
import { equalTo, fieldRef } from '../query/conditions.js';
import { isJsonObject, type JsonObject } from '../encoding/values.js';
import { ParseError, ParseErrorCode } from '../errors.js';
import type { Condition } from '../query/types.js';
import { normalizeInstallationBody } from './installation-fields.js';
import { aclCondition, createObject, updateObject } from './object-write.js';
import type { AppContext, RestRequest, RestResponse } from './types.js';

const CLASS = '_Installation';

/** Rows that conflict with the write: deleted, or stripped of `field` (`duplicateDeviceTokenAction`). */
interface Conflict {
  readonly where: Condition;
  readonly field: 'deviceToken' | 'installationId';
}

/** What the identity rules decided for one write. */
interface Resolution {
  /** Write into this existing installation instead of creating one. */
  readonly targetId?: string;
  readonly conflict?: Conflict;
}

function bodyOf(req: RestRequest): JsonObject {
  if (!isJsonObject(req.body))
    throw new ParseError(ParseErrorCode.INVALID_JSON, 'The request body must be a JSON object');
  return { ...req.body };
}

async function existingMatches(app: AppContext, conditions: Condition[]): Promise<StorageObject[]> {
  if (!(await app.schema.exists(CLASS))) return [];
  return app.storage.find({ className: CLASS, where: { kind: 'or', conditions } });
}

/**
 * parse-server's identity rules: an installation is the same device when its objectId,
 * installationId or (absent an installationId) deviceToken matches; a device token moves
 * to the installation that claims it last.
 */
async function resolve(
  req: RestRequest,
  app: AppContext,
  body: JsonObject,
  objectId?: string,
): Promise<Resolution> {
  const installationId =
    (body.installationId as string | undefined) ??
    (req.auth.isMaster ? undefined : req.info.installationId?.toLowerCase());
  const deviceToken = typeof body.deviceToken === 'string' ? body.deviceToken : undefined;
  if (objectId && !deviceToken && !installationId && body.deviceType === undefined) return {};
  const conditions: Condition[] = [];
  if (objectId) conditions.push(equalTo('objectId', objectId));
  if (installationId) conditions.push(equalTo('installationId', installationId));
  if (deviceToken) conditions.push(equalTo('deviceToken', deviceToken));
  if (conditions.length === 0) return {};
  const found = await existingMatches(app, conditions);
  const byObjectId = objectId ? found.find((row) => row.objectId === objectId) : undefined;
  const byInstallationId = installationId
    ? found.find((row) => row.installationId === installationId)
    : undefined;
  const byToken = deviceToken ? found.filter((row) => row.deviceToken === deviceToken) : [];
  if (objectId) {
    if (!byObjectId) throw new ParseError(ParseErrorCode.OBJECT_NOT_FOUND, 'Object not found for update.');
    const immutable = (message: string) =>
      new ParseError(ParseErrorCode.CHANGED_IMMUTABLE_FIELD_ERROR, message);
    if (
      body.installationId &&
      byObjectId.installationId &&
      body.installationId !== byObjectId.installationId
    ) {
      throw immutable('installationId may not be changed in this operation');
    }
    if (
      deviceToken &&
      byObjectId.deviceToken &&
      deviceToken !== byObjectId.deviceToken &&
      !body.installationId &&
      !byObjectId.installationId
    ) {
      throw immutable('deviceToken may not be changed in this operation');
    }
    if (body.deviceType !== undefined && body.deviceType !== byObjectId.deviceType) {
      throw immutable('deviceType may not be changed in this operation');
    }
  }
  const idMatch = byInstallationId ?? byObjectId;
  if (!objectId && body.deviceType === undefined && !idMatch) {
    throw new ParseError(
      ParseErrorCode.MISSING_REQUIRED_FIELD_ERROR,
      'deviceType must be specified in this operation',
    );
  }
  const othersWithToken = (keep: Condition): Conflict => ({
    field: 'deviceToken',
    where: {
      kind: 'and',
      conditions: [equalTo('deviceToken', deviceToken as string), keep, ...appIdentifier(body)],
    },
  });
  const notEqual = (name: string, value: string): Condition => ({
    kind: 'compare',
    field: fieldRef(name),
    op: 'ne',
    value,
  });
  if (!idMatch) {
    if (byToken.length === 0) return {};
    const [only] = byToken;
    if (byToken.length === 1 && only && (!only.installationId || !installationId))
      return { targetId: only.objectId };
    if (!body.installationId) {
      throw new ParseError(
        ParseErrorCode.INVALID_INSTALLATION_ID,
        'Must specify installationId when deviceToken matches multiple Installation objects',
      );
    }
    return { conflict: othersWithToken(notEqual('installationId', installationId as string)) };
  }
  const [onlyToken] = byToken;
  if (byToken.length === 1 && onlyToken && !onlyToken.installationId) {
    // Two rows are the same install: the token's row (no installationId) and the id match.
    if (onlyToken.objectId === idMatch.objectId) return { targetId: idMatch.objectId };
    return app.installation.duplicateDeviceTokenMergePriority === 'installationId'
      ? {
          targetId: idMatch.objectId,
          conflict: { where: equalTo('objectId', onlyToken.objectId), field: 'deviceToken' },
        }
      : {
          targetId: onlyToken.objectId,
          conflict: { where: equalTo('objectId', idMatch.objectId), field: 'installationId' },
        };
  }
  if (deviceToken && idMatch.deviceToken !== deviceToken) {
    if (body.installationId) {
      return {
        targetId: idMatch.objectId,
        conflict: othersWithToken(notEqual('installationId', body.installationId as string)),
      };
    }
    if (objectId && idMatch.objectId === objectId) {
      return { targetId: idMatch.objectId, conflict: othersWithToken(notEqual('objectId', objectId)) };
    }
  }
  return { targetId: idMatch.objectId };
}

/** Deletes the conflicting rows, or clears their conflicting field, per the `installation` options. */
async function settle(req: RestRequest, app: AppContext, conflict: Conflict | undefined): Promise<void> {
  if (!conflict) return;
  const options = app.installation;
  const acl = options.duplicateDeviceTokenActionEnforceAuth ? aclCondition(req.auth, 'write') : undefined;
  const where: Condition = acl ? { kind: 'and', conditions: [conflict.where, acl] } : conflict.where;
  if (options.duplicateDeviceTokenAction === 'update') {
    await app.storage.updateObjects({
      className: CLASS,
      where,
      update: { [conflict.field]: { op: 'unset' }, updatedAt: { op: 'set', value: new Date() } },
    });
  } else {
    await app.storage.deleteObjects({ className: CLASS, where });
  }
}

function appIdentifier(body: JsonObject): Condition[] {
  return typeof body.appIdentifier === 'string' ? [equalTo('appIdentifier', body.appIdentifier)] : [];
}

/** `POST /installations` and `POST /classes/_Installation`. */
export async function createInstallation(req: RestRequest, app: AppContext): Promise<RestResponse> {
  const body = bodyOf(req);
  if (!body.deviceToken && !body.installationId && !req.info.installationId) {
    throw new ParseError(
      ParseErrorCode.MISSING_REQUIRED_FIELD_ERROR,
      'at least one ID field (deviceToken, installationId) must be specified in this operation',
    );
  }
  normalizeInstallationBody(body);
  if (!body.installationId && req.info.installationId) {
    normalizeInstallationBody(Object.assign(body, { installationId: req.info.installationId }));
  }
  const resolution = await resolve(req, app, body);
  await settle(req, app, resolution.conflict);
  if (resolution.targetId) {
    delete body.objectId;
    delete body.createdAt;
    delete body.deviceType;
    return updateObject({ ...req, body }, app, CLASS, resolution.targetId, {});
  }
  return createObject({ ...req, body }, app, CLASS, {});
}

/** `PUT /installations/:objectId` and `PUT /classes/_Installation/:objectId`. */
export async function updateInstallation(
  req: RestRequest,
  app: AppContext,
  objectId: string,
): Promise<RestResponse> {
  const body = bodyOf(req);
  normalizeInstallationBody(body);
  const resolution = await resolve(req, app, body, objectId);
  await settle(req, app, resolution.conflict);
  const target = resolution.targetId ?? objectId;
  if (target !== objectId) delete body.deviceType;
  return updateObject({ ...req, body }, app, CLASS, target, {});
}
