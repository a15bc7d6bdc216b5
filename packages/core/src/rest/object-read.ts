import { newWeakMap, remembered } from '../remembered.js';
import type { FieldRef, JsonValue, StorageObject } from '../contracts/values.js';
import type { JsonObject } from '../encoding/values.js';
import type { ClassSchema } from '../schema/types.js';
import { ParseError, ParseErrorCode } from '../errors.js';
import { assertIncludeComplexity } from '../query/complexity.js';
import { type FindRequest, parseFindRequest } from '../query/options-parser.js';
import type { WhereContext } from '../query/where-parser.js';
import type { Condition, ParseQuery } from '../query/types.js';
import { assertClassName } from '../schema/names.js';
import type { Auth } from '../security/auth.js';
import { assertClassAccess } from '../security/class-access.js';
import { assertClpAllows } from '../security/class-level-permissions.js';
import { assertQueryable, objectEncoder, type ReadSettings, readCondition } from '../security/read-policy.js';
import { applyIncludes, encodeWithIncludes, type IncludeSplit, planIncludes } from './include.js';
import type { AppContext, RestRequest, RestResponse } from './types.js';

/** What encoding a read needs from the app. */
export function readSettings(app: AppContext): ReadSettings {
  return {
    protectedFields: app.users.protectedFields,
    protectedFieldsOwnerExempt: app.users.protectedFieldsOwnerExempt,
    fileUrl: app.fileUrl,
  };
}

/** Lets subqueries (`$inQuery`, `$select`) see other classes, under the request's permissions. */
export function whereContext(req: RestRequest, app: AppContext): WhereContext {
  const auth = req.auth;
  const contexts = remembered(whereContexts, app, newWeakMap<Auth, WhereContext>);
  let context = contexts.get(auth);
  if (!context) {
    const limited = !auth.isMaster && !auth.isMaintenance;
    context = {
      ...(limited ? { limits: app.complexity } : {}),
      lookup: (className) => app.schema.peek(className),
      subqueryAccess: (className, where) => {
        assertClassAccess('find', className, auth);
        const schema = app.schema.peek(className);
        assertClpAllows(schema, className, 'find', auth);
        assertQueryable(className, schema, auth, readSettings(app), where, undefined);
        return readCondition(className, schema, auth, 'find');
      },
    };
    contexts.set(auth, context);
  }
  return context;
}

/**
 * The where contexts made, per app and Auth: an Auth is shared by a session's requests (and
 * the public and master ones by every request), and a context depends on nothing else.
 */
const whereContexts = new WeakMap<AppContext, WeakMap<Auth, WhereContext>>();

/** `explain`: the storage's plan for the query (master key, or `allowPublicExplain`). */
async function explain(req: RestRequest, query: ParseQuery): Promise<JsonValue[]> {
  if (!req.storage.explain) {
    throw new ParseError(ParseErrorCode.INVALID_QUERY, 'This storage adapter cannot explain queries');
  }
  return req.storage.explain(query);
}

/** The objects of a find and, with `count`, the total: one storage call where the adapter can. */
async function readPage(
  req: RestRequest,
  query: ParseQuery,
  count: boolean,
): Promise<[StorageObject[], number | undefined]> {
  if (!count) return [query.limit === 0 ? [] : await req.storage.find(query), undefined];
  const counted = { ...query, include: undefined };
  if (query.limit === 0) return [[], await req.storage.count(counted)];
  if (req.storage.findWithCount) {
    const { objects, count: total } = await req.storage.findWithCount(query);
    return [objects, total];
  }
  return Promise.all([req.storage.find(query), req.storage.count(counted)]);
}

/**
 * The includes the storage resolves in its read (when it can), the others left for core.
 * Undefined when there are none, or the storage cannot.
 */
async function splitIncludes(
  schema: ClassSchema,
  include: FindRequest['include'],
  req: RestRequest,
  app: AppContext,
): Promise<IncludeSplit | undefined> {
  if (include.length === 0 || !app.storage.capabilities.include) return undefined;
  return planIncludes(schema, include, req, app);
}

function readEncoder(
  className: string,
  schema: ClassSchema,
  req: RestRequest,
  app: AppContext,
  request: FindRequest,
  split: IncludeSplit | undefined,
): (object: StorageObject) => Record<string, JsonValue> {
  const encode = objectEncoder(className, schema, req.auth, readSettings(app), request);
  if (!split || split.plans.length === 0) return encode;
  return (object) => encodeWithIncludes(object, encode, split.plans, split.encoderOf);
}

/** Resolves the include paths the storage did not, after the read (one read per class and level). */
async function applyRemainingIncludes(
  results: JsonObject[],
  include: FindRequest['include'],
  split: IncludeSplit | undefined,
  req: RestRequest,
  app: AppContext,
): Promise<void> {
  const rest = split ? split.rest : include;
  if (rest.length > 0 && results.length > 0) await applyIncludes(results, rest, req, app);
}

function assertMayExplain(req: RestRequest, app: AppContext): void {
  if (req.auth.isMaster || app.allowPublicExplain) return;
  throw new ParseError(
    ParseErrorCode.INVALID_QUERY,
    'Using the explain query parameter requires the master key',
  );
}

function assertIncludeLimits(include: FindRequest['include'], req: RestRequest, app: AppContext): void {
  if (!req.auth.isMaster && !req.auth.isMaintenance) assertIncludeComplexity(include, app.complexity);
}

/**
 * A client that could not create a class may not learn whether it exists either: reads of a
 * missing class answer 119, as parse-server 9 does (the master key reads it as empty).
 */
function assertMayReadMissingClass(req: RestRequest, app: AppContext, className: string): void {
  if (req.auth.isMaster || app.allowClientClassCreation) return;
  throw new ParseError(
    ParseErrorCode.OPERATION_FORBIDDEN,
    `This user is not allowed to access non-existent class: ${className}`,
  );
}

/**
 * The fields a read asks the storage for. `_User` rows also carry internal columns (the password
 * hash, tokens, lockout counters) that only the maintenance key is answered, so any other read
 * of `_User` without `keys` asks for the schema's fields only; the storage adds its system fields.
 */
function storedKeys(
  className: string,
  schema: ClassSchema,
  query: ParseQuery,
  req: RestRequest,
): ParseQuery['keys'] {
  // The maintenance key is answered the internal fields too.
  if (query.keys || className !== '_User' || req.auth.isMaintenance) return query.keys;
  return remembered(schemaKeys, schema, answerableKeys);
}

/** A `_User` schema's field names but `password`: it is never answered, so its hash is not read. */
function answerableKeys(schema: ClassSchema): readonly string[] {
  return Object.freeze(Object.keys(schema.fields).filter((name) => name !== 'password'));
}

/** The field names of a schema (schemas are replaced, never changed, when a field is added). */
const schemaKeys = new WeakMap<ClassSchema, readonly string[]>();

function withCondition(where: Condition, extra: Condition | undefined): Condition {
  if (!extra) return where;
  if (where.kind === 'and') return { kind: 'and', conditions: [...where.conditions, extra] };
  return { kind: 'and', conditions: [where, extra] };
}

/** `GET /classes/:className` (and `POST` with `_method: GET`). */
export async function findObjects(
  req: RestRequest,
  app: AppContext,
  className: string,
): Promise<RestResponse> {
  assertClassName(className);
  const schema = await app.schema.get(className);
  const request = parseFindRequest(
    className,
    req.query,
    schema,
    { defaultLimit: app.defaultLimit, maxLimit: app.maxLimit },
    whereContext(req, app),
  );
  assertIncludeLimits(request.include, req, app);
  if (request.explain) assertMayExplain(req, app);
  assertClassAccess('find', className, req.auth);
  assertClpAllows(schema, className, 'find', req.auth);
  if (request.count) assertClpAllows(schema, className, 'count', req.auth);
  assertQueryable(className, schema, req.auth, readSettings(app), req.query.where, req.query.order);
  const exists = schema !== undefined && (await app.schema.exists(className));
  if (!exists) assertMayReadMissingClass(req, app, className);
  const condition = readCondition(className, schema, req.auth, 'find');
  if (!schema || !exists) {
    return { body: request.count ? { results: [], count: 0 } : { results: [] } };
  }
  const split = await splitIncludes(schema, request.include, req, app);
  const where = withCondition(request.query.where, condition);
  const keys = storedKeys(className, schema, request.query, req);
  const query: ParseQuery = {
    ...request.query,
    where,
    ...(keys ? { keys } : {}),
    ...(split?.plans.length ? { include: split.plans } : {}),
  };
  if (request.explain) return { body: { results: await explain(req, query) } };
  const [objects, count] = await readPage(req, query, request.count);
  const results = objects.map(readEncoder(className, schema, req, app, request, split));
  await applyRemainingIncludes(results, request.include, split, req, app);
  return { body: count === undefined ? { results } : { results, count } };
}

/** `GET /classes/:className/:objectId` */
export async function getObject(
  req: RestRequest,
  app: AppContext,
  className: string,
  objectId: string,
): Promise<RestResponse> {
  assertClassName(className);
  // The schema cache is warm on the hot path: no wait for it.
  if (!app.schema.warm) await app.schema.get(className);
  const schema = app.schema.peek(className);
  // `where` does not apply to a get; every other parameter is validated as for a find.
  const params = req.query.where === undefined ? req.query : { ...req.query, where: undefined };
  const request = parseFindRequest(className, params, schema, { defaultLimit: 1 });
  assertIncludeLimits(request.include, req, app);
  assertClassAccess('get', className, req.auth);
  assertClpAllows(schema, className, 'get', req.auth);
  const exists = schema !== undefined && app.schema.has(className);
  if (!exists) assertMayReadMissingClass(req, app, className);
  const condition = readCondition(className, schema, req.auth, 'get');
  if (!schema || !exists) throw new ParseError(ParseErrorCode.OBJECT_NOT_FOUND, 'Object not found.');
  const byId: Condition = {
    kind: 'compare',
    field: OBJECT_ID_FIELD,
    op: 'eq',
    value: objectId,
  };
  const split =
    request.include.length > 0 ? await splitIncludes(schema, request.include, req, app) : undefined;
  const keys = storedKeys(className, schema, request.query, req);
  const query = request.query;
  // One object shape for every get (spreading the parsed query made each a new one).
  const [object] = await req.storage.find({
    className: query.className,
    where: withCondition(byId, condition),
    sort: query.sort,
    limit: 1,
    skip: 0,
    keys,
    hint: query.hint,
    score: query.score,
    include: split?.plans.length ? split.plans : undefined,
  });
  if (!object) throw new ParseError(ParseErrorCode.OBJECT_NOT_FOUND, 'Object not found.');
  const encoded = readEncoder(className, schema, req, app, request, split)(object);
  if (request.include.length > 0) await applyRemainingIncludes([encoded], request.include, split, req, app);
  return { body: encoded };
}

/** The field a get pins (shared: conditions are never changed). */
const OBJECT_ID_FIELD: FieldRef = Object.freeze({
  name: 'objectId',
  path: Object.freeze([] as string[]),
  type: 'String',
});
