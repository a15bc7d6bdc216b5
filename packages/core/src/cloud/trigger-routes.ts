import type { JsonValue } from '../contracts/values.js';
import { encodeObject } from '../encoding/object-encoder.js';
import { isJsonObject, type JsonObject } from '../encoding/values.js';
import { ParseError, ParseErrorCode } from '../errors.js';
import { findObjects } from '../rest/object-read.js';
import type { Condition } from '../query/types.js';
import { readCondition, writeCondition } from '../security/read-policy.js';
import type { AppContext, RestRequest, RestResponse } from '../rest/types.js';
import type { RateLimitOptions } from './rate-limit.js';
import {
  answerBeforeSave,
  type BeforeSaveOutcome,
  hasTrigger,
  runAfterFind,
  runAfterSave,
  runBeforeFind,
  runBeforeSave,
  runDeleteTrigger,
} from './triggers.js';

type Step = (req: RestRequest) => Promise<RestResponse>;

const NOT_FOUND = () => new ParseError(ParseErrorCode.OBJECT_NOT_FOUND, 'Object not found.');

/** The stored object as REST JSON, if the request may `access` it. @throws {ParseError} 101 */
async function loadStored(
  req: RestRequest,
  app: AppContext,
  className: string,
  objectId: string,
  access: 'read' | 'write',
): Promise<JsonObject> {
  const schema = await app.schema.get(className);
  if (!schema || !(await app.schema.exists(className))) throw NOT_FOUND();
  const byId: Condition = {
    kind: 'compare',
    field: { name: 'objectId', path: [], type: 'String' },
    op: 'eq',
    value: objectId,
  };
  const allowed =
    access === 'read'
      ? readCondition(className, schema, req.auth, 'get')
      : writeCondition(schema, req.auth, 'update');
  const [object] = await req.storage.find({
    className,
    where: allowed ? { kind: 'and', conditions: [byId, allowed] } : byId,
    limit: 1,
    skip: 0,
  });
  if (!object) throw NOT_FOUND();
  return encodeObject(object, { schema, fileUrl: app.fileUrl });
}

/** beforeSave outcomes computed before a transactional batch opened, by request body. */
const prepared = new WeakMap<object, { outcome: BeforeSaveOutcome; original: JsonObject | undefined }>();

/**
 * The schema half of a save in a transactional batch: runs the beforeSave first (its changes may
 * need new fields, and schema changes cannot run inside the transaction), then `plan` on what the
 * trigger left; the save itself reuses that outcome.
 */
export async function prepareSaveWithTriggers(
  req: RestRequest,
  app: AppContext,
  className: string,
  objectId: string | undefined,
  plan: (req: RestRequest) => Promise<unknown>,
): Promise<void> {
  if (!hasTrigger(app, className, 'beforeSave') || !isJsonObject(req.body)) {
    await plan(req);
    return;
  }
  const original = objectId ? await loadStored(req, app, className, objectId, 'write') : undefined;
  const outcome = await runBeforeSave(req, app, className, req.body, original);
  prepared.set(req.body, { outcome, original });
  await plan({ ...req, body: outcome.body });
}

/**
 * A create (`objectId` undefined) or update with `beforeSave` and `afterSave` around `write`.
 * Costs nothing when the class has neither trigger.
 */
export async function saveWithTriggers(
  req: RestRequest,
  app: AppContext,
  className: string,
  objectId: string | undefined,
  write: Step,
): Promise<RestResponse> {
  if (!hasTrigger(app, className, 'beforeSave', 'afterSave')) return write(req);
  const validator = app.cloud?.registry.trigger('beforeSave', className)?.validator;
  const limit =
    typeof validator === 'object' ? (validator.rateLimit as RateLimitOptions | undefined) : undefined;
  if (limit && app.cloud) {
    // A beforeSave's rateLimit counts creates and updates of the class (parse-server: POST, PUT).
    app.cloud.limiter.hit(`/classes/${className}`, limit, req, { requestMethods: ['POST', 'PUT'] });
  }
  const body = isJsonObject(req.body) ? req.body : {};
  const ready = prepared.get(body);
  prepared.delete(body);
  const original = ready
    ? ready.original
    : objectId
      ? await loadStored(req, app, className, objectId, 'write')
      : undefined;
  const outcome = ready?.outcome ?? (await runBeforeSave(req, app, className, body, original));
  const response = await write({ ...req, body: outcome.body });
  const answer = { ...(response.body as Record<string, JsonValue>) };
  const jsClient = req.info.clientVersion?.startsWith('js') ?? false;
  answerBeforeSave(answer, outcome, original, jsClient);
  if (hasTrigger(app, className, 'afterSave')) {
    outcome.object._getId();
    outcome.object._handleSaveResponse(response.body as JsonObject, response.status ?? 200);
    const afterSave = runAfterSave(req, app, outcome.object, original);
    // In a transactional batch the row stays locked until the batch commits: an afterSave that
    // writes it would wait on the batch while the batch waits on it. There it runs unawaited
    // (runAfterSave logs its failures).
    if (req.storage === app.storage) await afterSave;
  }
  return { ...response, body: answer };
}

/** A delete with `beforeDelete` (which can refuse it) and `afterDelete` around `remove`. */
export async function deleteWithTriggers(
  req: RestRequest,
  app: AppContext,
  className: string,
  objectId: string,
  remove: Step,
): Promise<RestResponse> {
  if (!hasTrigger(app, className, 'beforeDelete', 'afterDelete')) return remove(req);
  const stored = await loadStored(req, app, className, objectId, 'read');
  await runDeleteTrigger(req, app, 'beforeDelete', className, stored);
  const response = await remove(req);
  if (req.storage === app.storage) await runDeleteTrigger(req, app, 'afterDelete', className, stored);
  else {
    // Unawaited inside a transactional batch, for the same reason as afterSave.
    runDeleteTrigger(req, app, 'afterDelete', className, stored).catch((error: unknown) =>
      app.logger.warn({ err: error, className }, 'afterDelete failed'),
    );
  }
  return response;
}

/** A query with `beforeFind` (which can rewrite it) and `afterFind` (which can change results). */
export async function findWithTriggers(
  req: RestRequest,
  app: AppContext,
  className: string,
  find: Step,
): Promise<RestResponse> {
  if (!hasTrigger(app, className, 'beforeFind', 'afterFind')) return find(req);
  const query = await runBeforeFind(req, app, className, req.query, false);
  const response = await find({ ...req, query });
  if (!hasTrigger(app, className, 'afterFind') || !isJsonObject(response.body)) return response;
  const results = (response.body.results ?? []) as JsonObject[];
  return {
    ...response,
    body: { ...response.body, results: await runAfterFind(req, app, className, results) },
  };
}

/** A get by id, with `beforeFind` (`isGet`) and `afterFind`. */
export async function getWithTriggers(
  req: RestRequest,
  app: AppContext,
  className: string,
  objectId: string,
  get: Step,
): Promise<RestResponse> {
  if (!hasTrigger(app, className, 'beforeFind', 'afterFind')) return get(req);
  let response: RestResponse;
  if (hasTrigger(app, className, 'beforeFind')) {
    const byId = { objectId };
    const query = await runBeforeFind(req, app, className, { ...req.query, where: byId }, true);
    const where = isJsonObject(query.where) ? query.where : byId;
    // The trigger may narrow the get: it runs as a query for this id under the new constraints.
    const constrained = { ...query, where: { $and: [where, byId] }, limit: 1 };
    const found = await findObjects({ ...req, query: constrained }, app, className);
    const [first] = ((found.body as JsonObject).results ?? []) as JsonObject[];
    if (!first) throw NOT_FOUND();
    response = { body: first };
  } else response = await get(req);
  if (!hasTrigger(app, className, 'afterFind')) return response;
  const [object] = await runAfterFind(req, app, className, [response.body as JsonObject]);
  if (!object) throw NOT_FOUND();
  return { ...response, body: object };
}
