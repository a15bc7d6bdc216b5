import type { FieldRef, StorageObject } from '../contracts/values.js';
import { isJsonObject, type JsonObject } from '../encoding/values.js';
import { ParseError, ParseErrorCode } from '../errors.js';
import type { Condition } from '../query/types.js';
import { normalizeInstallationBody } from './installation-fields.js';
import { createObject, updateObject } from './object-write.js';
import type { AppContext, RestRequest, RestResponse } from './types.js';

const CLASS = '_Installation';
const field = (name: string): FieldRef => ({ name, path: [], type: 'String' });
const equals = (name: string, value: string): Condition => ({
  kind: 'compare',
  field: field(name),
  op: 'eq',
  value,
});

/** What the identity rules decided for one write. */
interface Resolution {
  /** Write into this existing installation instead of creating one. */
  readonly targetId?: string;
  /** Installations that hold the same device token and must go. */
  readonly remove?: Condition;
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
  if (objectId) conditions.push(equals('objectId', objectId));
  if (installationId) conditions.push(equals('installationId', installationId));
  if (deviceToken) conditions.push(equals('deviceToken', deviceToken));
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
  const othersWithToken = (keep: Condition): Condition => ({
    kind: 'and',
    conditions: [equals('deviceToken', deviceToken as string), keep, ...appIdentifier(body)],
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
    return {
      remove: othersWithToken({
        kind: 'compare',
        field: field('installationId'),
        op: 'ne',
        value: installationId as string,
      }),
    };
  }
  const [onlyToken] = byToken;
  if (
    byToken.length === 1 &&
    onlyToken &&
    !onlyToken.installationId &&
    onlyToken.objectId !== idMatch.objectId
  ) {
    // The token's row has no installationId: it is this device from before; keep it, drop the id match.
    return { targetId: onlyToken.objectId, remove: equals('objectId', idMatch.objectId) };
  }
  if (deviceToken && idMatch.deviceToken !== deviceToken) {
    if (body.installationId) {
      return {
        targetId: idMatch.objectId,
        remove: othersWithToken({
          kind: 'compare',
          field: field('installationId'),
          op: 'ne',
          value: body.installationId as string,
        }),
      };
    }
    if (objectId && idMatch.objectId === objectId) {
      return {
        targetId: idMatch.objectId,
        remove: othersWithToken({ kind: 'compare', field: field('objectId'), op: 'ne', value: objectId }),
      };
    }
  }
  return { targetId: idMatch.objectId };
}

function appIdentifier(body: JsonObject): Condition[] {
  return typeof body.appIdentifier === 'string' ? [equals('appIdentifier', body.appIdentifier)] : [];
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
  if (resolution.remove) await app.storage.deleteObjects({ className: CLASS, where: resolution.remove });
  if (resolution.targetId) {
    delete body.objectId;
    delete body.createdAt;
    delete body.deviceType;
    return updateObject({ ...req, body }, app, CLASS, resolution.targetId, true);
  }
  return createObject({ ...req, body }, app, CLASS, true);
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
  if (resolution.remove) await app.storage.deleteObjects({ className: CLASS, where: resolution.remove });
  const target = resolution.targetId ?? objectId;
  if (target !== objectId) delete body.deviceType;
  return updateObject({ ...req, body }, app, CLASS, target, true);
}
