import { encodeObject } from '../encoding/object-encoder.js';
import { ParseError, ParseErrorCode } from '../errors.js';
import { parseFindRequest } from '../query/options-parser.js';
import type { WhereContext } from '../query/where-parser.js';
import type { Condition, ParseQuery } from '../query/types.js';
import { assertClassName } from '../schema/names.js';
import { assertClassAccess } from '../security/class-access.js';
import { assertClpAllows, protectedFieldsFor } from '../security/class-level-permissions.js';
import { applyIncludes } from './include.js';
import { aclCondition, byIdCondition } from './object-write.js';
import type { AppContext, RestRequest, RestResponse } from './types.js';

/** Classes only the master key may read until users and sessions exist (enforcePrivateUsers). */
const PRIVATE_CLASSES = new Set(['_User', '_Session']);

/** Lets subqueries (`$inQuery`, `$select`) see other classes, under the request's permissions. */
export function whereContext(req: RestRequest, app: AppContext): WhereContext {
  return {
    lookup: (className) => app.schema.peek(className),
    subqueryAccess: (className) => {
      assertClassAccess('find', className, req.auth);
      assertClpAllows(app.schema.peek(className), className, 'find', req.auth);
      return aclCondition(req.auth, 'read');
    },
  };
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
  assertClassAccess('find', className, req.auth);
  assertClpAllows(schema, className, 'find', req.auth);
  if (request.count) assertClpAllows(schema, className, 'count', req.auth);
  const exists = schema !== undefined && (await app.schema.exists(className));
  if (!exists) assertMayReadMissingClass(req, app, className);
  if (!schema || !exists || (PRIVATE_CLASSES.has(className) && !req.auth.isMaster)) {
    return { body: request.count ? { results: [], count: 0 } : { results: [] } };
  }
  const query: ParseQuery = {
    ...request.query,
    where: withCondition(request.query.where, aclCondition(req.auth, 'read')),
  };
  const [objects, count] = await Promise.all([
    query.limit === 0 ? Promise.resolve([]) : req.storage.find(query),
    request.count ? req.storage.count(query) : Promise.resolve(undefined),
  ]);
  const omit = protectedFieldsFor(schema, req.auth);
  for (const key of request.excludeKeys) omit.add(key);
  const encodeOptions = { schema, fileUrl: app.fileUrl, omit, keys: request.keys };
  const results = objects.map((object) => encodeObject(object, encodeOptions));
  if (request.include.length > 0) await applyIncludes(results, request.include, req, app);
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
  const schema = await app.schema.get(className);
  const params = { ...req.query };
  delete params.where;
  const request = parseFindRequest(className, params, schema, { defaultLimit: 1 });
  assertClassAccess('get', className, req.auth);
  assertClpAllows(schema, className, 'get', req.auth);
  const exists = schema !== undefined && (await app.schema.exists(className));
  if (!exists) assertMayReadMissingClass(req, app, className);
  if (!schema || !exists || (PRIVATE_CLASSES.has(className) && !req.auth.isMaster)) {
    throw new ParseError(ParseErrorCode.OBJECT_NOT_FOUND, 'Object not found.');
  }
  const [object] = await req.storage.find({
    ...request.query,
    where: byIdCondition(objectId, req.auth, 'read'),
    limit: 1,
    skip: 0,
  });
  if (!object) throw new ParseError(ParseErrorCode.OBJECT_NOT_FOUND, 'Object not found.');
  const omit = protectedFieldsFor(schema, req.auth);
  for (const key of request.excludeKeys) omit.add(key);
  const encoded = encodeObject(object, { schema, fileUrl: app.fileUrl, omit, keys: request.keys });
  if (request.include.length > 0) await applyIncludes([encoded], request.include, req, app);
  return { body: encoded };
}
