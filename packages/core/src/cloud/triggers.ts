import { isDeepStrictEqual } from 'node:util';
import type { JsonValue } from '../contracts/values.js';
import { isJsonObject, type JsonObject } from '../encoding/values.js';
import { ParseErrorCode } from '../errors.js';
import type { AppContext, RestRequest } from '../rest/types.js';
import { resolveCloudError } from './errors.js';
import { parseSdk, type SdkObject, type SdkQuery } from './parse-sdk.js';
import {
  type CloudRequest,
  type ObjectTrigger,
  type Registered,
  USER_TRIGGERS,
  type UserTrigger,
} from './registry.js';
import { baseRequest } from './request.js';
import { runValidator } from './validator.js';

/** What a beforeSave left to write, and what the answer must add because of it. */
export interface BeforeSaveOutcome {
  /** The body to write: the object's changes after the trigger, in REST format. */
  readonly body: JsonObject;
  /** Fields the trigger set or changed (their new values go into the answer). */
  readonly changed: readonly string[];
  /** Fields the client sent that the trigger removed from the save. */
  readonly dropped: readonly string[];
  /** The object as the trigger left it (afterSave starts from it). */
  readonly object: SdkObject;
}

function registered(app: AppContext, type: ObjectTrigger, className: string): Registered | undefined {
  return app.cloud?.registry.trigger(type, className);
}

/** True when `className` has one of these triggers (call sites skip all work otherwise). */
export function hasTrigger(app: AppContext, className: string, ...types: ObjectTrigger[]): boolean {
  return app.cloud?.registry.hasTrigger(className, ...types) ?? false;
}

/** Runs the validator, then the handler (unless a master-key request skips it), as this server's code. */
/**
 * Runs a trigger's validator and handler. What the handler throws becomes a ParseError with
 * `code` (a thrown string keeps its text), as parse-server resolves it for that kind of trigger.
 */
export async function invoke(
  app: AppContext,
  entry: Registered,
  request: CloudRequest,
  code: ParseErrorCode = ParseErrorCode.SCRIPT_FAILED,
  fallback = 'Script failed. Unknown error.',
): Promise<unknown> {
  const runtime = app.cloud;
  if (!runtime) return undefined;
  return runtime.runHandler(`${String(request.triggerName)} trigger`, async () => {
    await runValidator(entry.validator, request, app.logger);
    if (request.skipWithMasterKey) return undefined;
    try {
      return await entry.handler(request);
    } catch (error) {
      throw resolveCloudError(error, code, fallback, app.logger);
    }
  });
}

async function triggerRequest(req: RestRequest, app: AppContext, type: ObjectTrigger): Promise<CloudRequest> {
  const request = await baseRequest(req, app);
  // Triggers get a copy of the context; what save and delete triggers change flows back.
  request.context = { ...(req.info.context ?? {}) };
  request.triggerName = type;
  return request;
}

/** A Parse.Object of `className` holding `stored` (REST JSON of the stored object) as server data. */
export function inflate(className: string, stored: JsonObject | undefined): SdkObject {
  return parseSdk().Object.fromJSON({ ...(stored ?? {}), className });
}

/** Applies a REST write body (values and `__op`s, dotted keys) to `object`, as unsaved changes. */
export function applyBody(object: SdkObject, body: JsonObject): void {
  const Parse = parseSdk();
  const plain: Record<string, JsonValue> = {};
  for (const [key, value] of Object.entries(body)) {
    if (key === 'objectId' || key === 'createdAt' || key === 'updatedAt') continue;
    const dot = key.indexOf('.');
    if (dot > 0 && !(isJsonObject(value) && typeof value.__op === 'string')) {
      const root = key.slice(0, dot);
      const current = object.get(root);
      const parent = isJsonObject(current as JsonValue) ? { ...(current as JsonObject) } : {};
      parent[key.slice(dot + 1)] = value;
      object.set(root, parent);
      continue;
    }
    plain[key] = value;
  }
  object.set(Parse._decode(null, plain) as never);
}

/**
 * Runs `beforeSave` for a create (`original` undefined) or an update of `className`.
 * @throws {ParseError} the trigger's or validator's error (141 / 142 / its own code).
 */
export async function runBeforeSave(
  req: RestRequest,
  app: AppContext,
  className: string,
  body: JsonObject,
  original: JsonObject | undefined,
): Promise<BeforeSaveOutcome> {
  const object = inflate(className, original);
  applyBody(object, body);
  const entry = registered(app, 'beforeSave', className);
  if (!entry) return { body, changed: [], dropped: [], object };
  const request = await triggerRequest(req, app, 'beforeSave');
  request.object = object;
  if (original) request.original = inflate(className, original);
  const result = (await invoke(app, entry, request)) as { object?: unknown } | undefined;
  Object.assign(req.info.context, request.context as object);
  // A webhook answers the object to save as JSON; cloud code changes request.object.
  const saved = (
    result && isJsonObject(result.object as JsonValue) ? result.object : object._getSaveJSON()
  ) as JsonObject;
  const next: JsonObject = { ...saved };
  if (!original && object.id !== undefined) next.objectId = object.id;
  const changed = Object.keys(next).filter((key) => !isDeepStrictEqual(body[key], next[key]));
  const dropped = Object.keys(body).filter((key) => !(key in next) && !key.includes('.'));
  // Dotted keys arrive folded into their root field; keep the client's form when untouched.
  for (const key of Object.keys(body)) {
    const root = key.split('.')[0] as string;
    if (key.includes('.') && !changed.includes(root)) {
      next[key] = body[key] as JsonValue;
      delete next[root];
    }
  }
  return { body: next, changed: changed.filter((key) => key in next), dropped, object };
}

/**
 * Adds to a save's answer what the beforeSave changed, as parse-server answers it: new values
 * of fields the trigger set (never `__op`s), and for fields it dropped the stored value (update)
 * or a `Delete` op for JS SDK clients (create).
 */
export function answerBeforeSave(
  answer: Record<string, JsonValue>,
  outcome: BeforeSaveOutcome,
  original: JsonObject | undefined,
  jsClient: boolean,
): void {
  for (const key of outcome.changed) {
    if (key in answer) continue;
    const value = outcome.body[key];
    if (value === undefined || (isJsonObject(value) && typeof value.__op === 'string')) continue;
    answer[key] = value;
  }
  for (const key of outcome.dropped) {
    if (original) {
      if (original[key] !== undefined) answer[key] = original[key] as JsonValue;
    } else if (jsClient) answer[key] = { __op: 'Delete' };
  }
}

/**
 * Runs `afterSave` with the saved object. Its failure is logged; the save's answer stands.
 */
export async function runAfterSave(
  req: RestRequest,
  app: AppContext,
  object: SdkObject,
  original: JsonObject | undefined,
): Promise<void> {
  const entry = registered(app, 'afterSave', object.className);
  if (!entry) return;
  const request = await triggerRequest(req, app, 'afterSave');
  request.object = object;
  if (original) request.original = inflate(object.className, original);
  try {
    await invoke(app, entry, request);
  } catch (error) {
    app.logger.warn({ err: error, className: object.className }, 'afterSave failed');
  }
}

/** Runs `beforeDelete` or `afterDelete` for the stored object. @throws {ParseError} its error. */
export async function runDeleteTrigger(
  req: RestRequest,
  app: AppContext,
  type: 'beforeDelete' | 'afterDelete',
  className: string,
  stored: JsonObject,
): Promise<void> {
  const entry = registered(app, type, className);
  if (!entry) return;
  const request = await triggerRequest(req, app, type);
  request.object = inflate(className, stored);
  await invoke(app, entry, request);
  Object.assign(req.info.context, request.context as object);
}

/** REST query parameters as `Parse.Query#withJSON` takes them (a `where` object, numbers). */
function queryJson(params: Readonly<Record<string, JsonValue | undefined>>): Record<string, unknown> {
  const json: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined) continue;
    if (key === 'where' && typeof value === 'string') json.where = JSON.parse(value);
    else if ((key === 'limit' || key === 'skip') && typeof value === 'string') json[key] = Number(value);
    else json[key] = value;
  }
  return json;
}

const REWRITABLE = ['where', 'limit', 'skip', 'include', 'excludeKeys', 'keys', 'order', 'hint'] as const;

/**
 * Runs `beforeFind`: the trigger sees the query as a Parse.Query and may change it or return a
 * new one; answers the query parameters to run.
 * @throws {ParseError} the trigger's error; INVALID_JSON for a `where` that is not JSON.
 */
export async function runBeforeFind(
  req: RestRequest,
  app: AppContext,
  className: string,
  params: Readonly<Record<string, JsonValue | undefined>>,
  isGet: boolean,
): Promise<Record<string, JsonValue | undefined>> {
  const entry = registered(app, 'beforeFind', className);
  if (!entry) return { ...params };
  let json: Record<string, unknown>;
  try {
    json = queryJson(params);
  } catch (cause) {
    throw resolveCloudError(cause, ParseErrorCode.INVALID_JSON, 'where must be JSON');
  }
  const query = new (parseSdk().Query)(className);
  query.withJSON({ ...json, where: json.where ?? {} });
  const request = await triggerRequest(req, app, 'beforeFind');
  delete request.triggerName;
  Object.assign(request, { triggerName: 'beforeFind', query, count: Boolean(json.count), isGet });
  const result = await invoke(app, entry, request);
  const chosen =
    result &&
    typeof (result as SdkQuery).toJSON === 'function' &&
    typeof (result as SdkQuery).withJSON === 'function'
      ? (result as SdkQuery)
      : query;
  const rewritten = chosen.toJSON() as Record<string, JsonValue | undefined>;
  const next: Record<string, JsonValue | undefined> = { ...params };
  for (const key of REWRITABLE) {
    if (rewritten[key] !== undefined) next[key] = rewritten[key];
  }
  return next;
}

/**
 * Runs `afterFind` on the answered objects (REST JSON); answers the objects the trigger returns
 * (or the ones it was given, changed in place).
 */
export async function runAfterFind(
  req: RestRequest,
  app: AppContext,
  className: string,
  results: readonly JsonObject[],
): Promise<JsonObject[]> {
  const entry = registered(app, 'afterFind', className);
  if (!entry) return [...results];
  const request = await triggerRequest(req, app, 'afterFind');
  const objects = results.map((result) => inflate(className, result));
  request.objects = objects;
  const returned = await invoke(app, entry, request);
  const list = Array.isArray(returned) ? (returned as SdkObject[]) : objects;
  return list.map((object) => {
    if (!object || typeof object.toJSON !== 'function') return (object ?? {}) as unknown as JsonObject;
    // parse-server answers objects that went through afterFind with their className.
    const json: JsonObject = { ...(object.toJSON() as JsonObject), className: object.className };
    // Pointers set by the trigger are answered as full objects, as parse-server does.
    for (const [key, value] of Object.entries(json)) {
      const live = object.get(key) as { _toFullJSON?: () => JsonObject } | undefined;
      if (isJsonObject(value) && value.__type === 'Pointer' && live?._toFullJSON)
        json[key] = live._toFullJSON();
    }
    return json;
  });
}

/**
 * Runs a user-flow trigger (`beforeLogin`, `afterLogin`, `afterLogout`,
 * `beforePasswordResetRequest`) with `stored` (REST JSON) as `request.object`. A `before` trigger
 * that throws refuses the operation; an `after` trigger's failure is logged, the answer stands.
 */
export async function runUserTrigger(
  req: RestRequest,
  app: AppContext,
  type: UserTrigger,
  stored: JsonObject,
): Promise<void> {
  const className = USER_TRIGGERS[type];
  const entry = app.cloud?.registry.trigger(type, className);
  if (!entry) return;
  const request = await baseRequest(req, app);
  request.triggerName = type;
  request.object = inflate(className, stored);
  if (type === 'afterLogin') request.user = request.object;
  if (type.startsWith('before')) {
    await invoke(app, entry, request);
    return;
  }
  await invoke(app, entry, request).catch((error: unknown) => {
    app.logger.error({ err: error, trigger: type }, `${type} trigger failed`);
  });
}
