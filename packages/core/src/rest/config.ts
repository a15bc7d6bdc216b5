import type { FieldUpdate } from '../contracts/storage-adapter.js';
import type { JsonValue } from '../contracts/values.js';
import { isJsonObject, type JsonObject } from '../encoding/values.js';
import { isParseError, ParseError, ParseErrorCode } from '../errors.js';
import type { Condition } from '../query/types.js';
import type { AppContext, RestRequest, RestResponse } from './types.js';

const CLASS = '_GlobalConfig';
/** parse-server keeps the whole config in one row with this objectId. */
const ROW_ID = '1';
const BY_ROW: Condition = {
  kind: 'compare',
  field: { name: 'objectId', path: [], type: 'String' },
  op: 'eq',
  value: ROW_ID,
};

/**
 * The config is read far more often than written (every `Parse.Config.get()`): it is kept in the
 * cache adapter, dropped on every write. A cache shared by the server's processes (Redis) sees
 * the drop at once; a per-process cache holds a value at most this long.
 */
const CACHE_TTL_MS = 10_000;
const cacheKey = (app: AppContext) => `config:${app.appId}`;

async function readRow(app: AppContext): Promise<JsonObject | undefined> {
  const cached = await app.cache.get<{ row: JsonObject | null }>(cacheKey(app)).catch(() => undefined);
  if (cached) return cached.row ?? undefined;
  const schema = await app.schema.get(CLASS);
  let row: JsonObject | undefined;
  if (schema && (await app.schema.exists(CLASS))) {
    [row] = (await app.storage.find({ className: CLASS, where: BY_ROW, limit: 1, skip: 0 })) as JsonObject[];
  }
  await app.cache.set(cacheKey(app), { row: row ?? null }, CACHE_TTL_MS).catch(() => undefined);
  return row;
}

async function forgetConfig(app: AppContext): Promise<void> {
  await app.cache.delete(cacheKey(app)).catch(() => undefined);
}

/**
 * `GET /config`: `{ params, masterKeyOnly }`. Without the master key, the master-key-only
 * parameters are left out. Values are Parse JSON as they were saved (Dates, Files, GeoPoints…).
 */
export async function getConfig(req: RestRequest, app: AppContext): Promise<RestResponse> {
  const row = await readRow(app);
  if (!row) return { body: { params: {} } };
  const params: JsonObject = isJsonObject(row.params) ? { ...row.params } : {};
  const masterKeyOnly: JsonObject | undefined = isJsonObject(row.masterKeyOnly)
    ? { ...row.masterKeyOnly }
    : undefined;
  if (!req.auth.isMaster && masterKeyOnly) {
    for (const key of Object.keys(params)) {
      if (masterKeyOnly[key] === true) {
        delete params[key];
        delete masterKeyOnly[key];
      }
    }
  }
  return { body: masterKeyOnly ? { params, masterKeyOnly } : { params } };
}

function isDelete(value: JsonValue | undefined): boolean {
  return isJsonObject(value) && value.__op === 'Delete';
}

/**
 * `PUT /config` (master key): merges `params` into the stored config (`{ "__op": "Delete" }`
 * removes one) and records for each given parameter whether it is master-key-only.
 * @throws {ParseError} OPERATION_FORBIDDEN for the read-only master key; INVALID_JSON when
 * `params` is not an object.
 */
export async function updateConfig(req: RestRequest, app: AppContext): Promise<RestResponse> {
  if (req.auth.isReadOnly) {
    throw new ParseError(
      ParseErrorCode.OPERATION_FORBIDDEN,
      "read-only masterKey isn't allowed to update the config.",
    );
  }
  const body = isJsonObject(req.body) ? req.body : {};
  if (!isJsonObject(body.params))
    throw new ParseError(ParseErrorCode.INVALID_JSON, 'params must be an object');
  const masterKeyOnly = isJsonObject(body.masterKeyOnly) ? body.masterKeyOnly : {};
  await app.schema.ensureFields(CLASS, {}, { allowCreateClass: true, allowAddField: true });
  const update: Record<string, FieldUpdate> = {};
  for (const [key, value] of Object.entries(body.params)) {
    if (isDelete(value)) {
      update[`params.${key}`] = { op: 'unset' };
      update[`masterKeyOnly.${key}`] = { op: 'unset' };
    } else {
      update[`params.${key}`] = { op: 'set', value };
      update[`masterKeyOnly.${key}`] = { op: 'set', value: masterKeyOnly[key] === true };
    }
  }
  if (Object.keys(update).length === 0) return { body: { result: true } };
  try {
    return await writeConfig(req, update, body.params, masterKeyOnly);
  } finally {
    await forgetConfig(app);
  }
}

async function writeConfig(
  req: RestRequest,
  update: Record<string, FieldUpdate>,
  given: JsonObject,
  masterKeyOnly: JsonObject,
): Promise<RestResponse> {
  for (let attempt = 0; attempt < 2; attempt++) {
    const updated = await req.storage.findOneAndUpdate({ className: CLASS, where: BY_ROW, update });
    if (updated) return { body: { result: true } };
    const params: JsonObject = {};
    const flags: JsonObject = {};
    for (const [key, value] of Object.entries(given)) {
      if (isDelete(value)) continue;
      params[key] = value;
      flags[key] = masterKeyOnly[key] === true;
    }
    try {
      const now = new Date();
      const row = { objectId: ROW_ID, createdAt: now, updatedAt: now, params, masterKeyOnly: flags };
      await req.storage.createObject(CLASS, row);
      return { body: { result: true } };
    } catch (error) {
      // Another request created the row first: merge into it.
      if (!isParseError(error) || error.code !== ParseErrorCode.DUPLICATE_VALUE) throw error;
    }
  }
  throw new ParseError(ParseErrorCode.INTERNAL_SERVER_ERROR, 'the config could not be saved');
}
