import { aclToPermissions } from '../encoding/acl.js';
import type { FieldUpdate, StorageObjects } from '../contracts/storage-adapter.js';
import type { FieldRef, JsonValue, StorageObject } from '../contracts/values.js';
import {
  type DecodedWrite,
  decodeWrite,
  type RelationEdit,
  valueForCreate,
} from '../encoding/write-decoder.js';
import { decodeValue, isJsonObject } from '../encoding/values.js';
import { ParseError, ParseErrorCode } from '../errors.js';
import type { Condition } from '../query/types.js';
import { assertClassName } from '../schema/names.js';
import type { ClassSchema, FieldDefinition } from '../schema/types.js';
import type { Auth } from '../security/auth.js';
import { assertClassAccess } from '../security/class-access.js';
import { assertClpAllows, clpAllows, defaultAclFor } from '../security/class-level-permissions.js';
import { assertNoDeniedKeywords } from '../security/keyword-denylist.js';
import { writeCondition } from '../security/read-policy.js';
import { newObjectId } from './object-id.js';
import type { AppContext, RestRequest, RestResponse } from './types.js';

/** A write checked against the schema, ready to run. */
export interface PlannedWrite {
  readonly className: string;
  readonly schema: ClassSchema;
  readonly decoded: DecodedWrite;
}

const OBJECT_NOT_FOUND = (): ParseError =>
  new ParseError(ParseErrorCode.OBJECT_NOT_FOUND, 'Object not found.');

/**
 * System classes whose writes carry rules of their own (password hashing, session tokens,
 * installation de-duplication, role names): a write that reaches the generic path without
 * its class's rules is a bug, refused rather than stored without them.
 */
const RULE_BOUND_CLASSES = new Set(['_User', '_Session', '_Installation', '_Role']);

/** Classes a restricted session may read but never write (REST guide, Sessions). */
const RESTRICTED_SESSION_READ_ONLY = new Set(['_User', '_Session', '_Role']);

function assertNotRuleBound(className: string, rulesApplied: boolean): void {
  if (!rulesApplied && RULE_BOUND_CLASSES.has(className)) {
    throw new ParseError(
      ParseErrorCode.INTERNAL_SERVER_ERROR,
      `${className} writes must go through their class rules`,
    );
  }
}

/**
 * Refuses writes a restricted session may not make.
 * @throws {ParseError} OPERATION_FORBIDDEN
 */
export function assertSessionMayWrite(className: string, auth: Auth): void {
  if (auth.user?.restricted && RESTRICTED_SESSION_READ_ONLY.has(className)) {
    throw new ParseError(
      ParseErrorCode.OPERATION_FORBIDDEN,
      `A restricted session cannot modify ${className} objects.`,
    );
  }
}

/** Class-specific steps around a create (the `_User`, `_Role`… rules). */
export interface CreateHooks {
  /** Checks and completes the object before it is stored; may add to the answer. */
  beforeInsert?(
    object: StorageObject,
    answered: Record<string, JsonValue>,
    plan: PlannedWrite,
  ): Promise<void>;
  /** Runs once the object is stored; may add to the answer (a session token…). */
  afterInsert?(object: StorageObject, answered: Record<string, JsonValue>): Promise<void>;
  /** The `Location` of the new object, when not under `/classes`. */
  location?(objectId: string): string;
}

/** Class-specific steps around a delete. */
export interface DeleteHooks {
  /** Runs before the delete; may narrow `where` (returned). */
  beforeDelete?(where: Condition): Promise<Condition | undefined>;
  /** Runs once the object is deleted. */
  afterDelete?(): Promise<void>;
}

/** Class-specific steps around an update. */
export interface UpdateHooks {
  /** Checks and completes the update before it runs; may narrow `where` (returned). */
  beforeUpdate?(
    update: Record<string, FieldUpdate>,
    plan: PlannedWrite,
    where: Condition,
  ): Promise<Condition | undefined>;
  /** Runs once the update is stored; may add to the answer. */
  afterUpdate?(after: StorageObject, body: Record<string, JsonValue>): Promise<void>;
}

/** Decodes a write and brings the schema up to what it needs (classes and fields). */
export async function planWrite(
  req: RestRequest,
  app: AppContext,
  className: string,
  isCreate: boolean,
  rulesApplied = false,
): Promise<PlannedWrite> {
  assertClassName(className);
  assertNotRuleBound(className, rulesApplied);
  assertClassAccess(isCreate ? 'create' : 'update', className, req.auth);
  assertSessionMayWrite(className, req.auth);
  assertNoDeniedKeywords(req.body, app.keywordDenylist);
  const decoded = decodeWrite(req.body ?? {}, { isCreate, objectId: req.params.objectId });
  const existing = await app.schema.get(className);
  if (existing && (await app.schema.exists(className))) {
    assertClpAllows(existing, className, isCreate ? 'create' : 'update', req.auth);
  }
  const fieldTypes: Record<string, FieldDefinition> = { ...decoded.fieldTypes };
  for (const relation of decoded.relations) {
    fieldTypes[relation.field] = { type: 'Relation', targetClass: relation.targetClass };
  }
  const schema = await app.schema.ensureFields(className, fieldTypes, {
    allowCreateClass: req.auth.isMaster || app.allowClientClassCreation,
    allowAddField: clpAllows(existing, 'addField', req.auth),
  });
  return { className, schema, decoded };
}

/** `POST /classes/:className` */
export async function createObject(
  req: RestRequest,
  app: AppContext,
  className: string,
  hooks?: CreateHooks,
): Promise<RestResponse> {
  const plan = await planWrite(req, app, className, true, hooks !== undefined);
  const now = new Date();
  const object: StorageObject = { objectId: newObjectId(), createdAt: now, updatedAt: now };
  const answered: Record<string, JsonValue> = {};
  for (const [field, update] of Object.entries(plan.decoded.updates)) {
    const value = valueForCreate(update);
    if (value === undefined) continue;
    object[field] = value;
    if (update.op !== 'set') answered[field] = value as JsonValue;
  }
  for (const field of applyDefaultsAndRequired(plan.schema, object))
    answered[field] = plan.schema.fields[field]?.defaultValue as JsonValue;
  let acl = plan.decoded.acl;
  if (!acl) {
    const inherited = defaultAclFor(plan.schema, req.auth.userId);
    if (inherited) {
      acl = aclToPermissions(inherited as JsonValue);
      answered.ACL = inherited as JsonValue;
    }
  }
  if (acl) {
    object._rperm = acl._rperm;
    object._wperm = acl._wperm;
  }
  await hooks?.beforeInsert?.(object, answered, plan);
  await req.storage.createObject(className, object);
  await applyRelations(req.storage, className, object.objectId, plan.decoded.relations);
  await hooks?.afterInsert?.(object, answered);
  const path = hooks?.location?.(object.objectId) ?? `/classes/${className}/${object.objectId}`;
  return {
    status: 201,
    body: { objectId: object.objectId, createdAt: now.toISOString(), ...answered },
    headers: { Location: `${app.serverURL}${path}` },
  };
}

/** Fills default values (answering the fields it filled) and refuses missing required fields. */
function applyDefaultsAndRequired(schema: ClassSchema, object: StorageObject): string[] {
  const defaulted: string[] = [];
  for (const [field, definition] of Object.entries(schema.fields)) {
    if (object[field] !== undefined) continue;
    if (definition.defaultValue !== undefined && definition.defaultValue !== null) {
      object[field] = decodeValue(definition.defaultValue as JsonValue);
      defaulted.push(field);
    } else if (definition.required) {
      throw new ParseError(ParseErrorCode.VALIDATION_ERROR, `${field} is required`);
    }
  }
  return defaulted;
}

/** The ACL condition for `access` unless the request is master. */
export function aclCondition(auth: Auth, access: 'read' | 'write'): Condition | undefined {
  return auth.isMaster ? undefined : { kind: 'acl', access, principals: auth.principals };
}

/** `objectId = id`, plus the write conditions (ACL, pointer permissions) of the request. */
function writableById(
  objectId: string,
  schema: ClassSchema | undefined,
  auth: Auth,
  operation: 'update' | 'delete',
): Condition {
  const byId: Condition = { kind: 'compare', field: OBJECT_ID_FIELD, op: 'eq', value: objectId };
  const condition = writeCondition(schema, auth, operation);
  return condition ? { kind: 'and', conditions: [byId, condition] } : byId;
}

const OBJECT_ID_FIELD: FieldRef = { name: 'objectId', path: [], type: 'String' };
const ANSWERED_OPS = new Set<FieldUpdate['op']>(['increment', 'add', 'addUnique', 'remove']);

/** `PUT /classes/:className/:objectId` */
export async function updateObject(
  req: RestRequest,
  app: AppContext,
  className: string,
  objectId: string,
  hooks?: UpdateHooks,
): Promise<RestResponse> {
  const plan = await planWrite(req, app, className, false, hooks !== undefined);
  for (const [field, update] of Object.entries(plan.decoded.updates)) {
    if (update.op === 'unset' && plan.schema.fields[field]?.required) {
      throw new ParseError(ParseErrorCode.VALIDATION_ERROR, `${field} is required`);
    }
  }
  const updatedAt = new Date();
  const update: Record<string, FieldUpdate> = {
    ...plan.decoded.updates,
    updatedAt: { op: 'set', value: updatedAt },
  };
  if (plan.decoded.acl) {
    update._rperm = { op: 'set', value: plan.decoded.acl._rperm };
    update._wperm = { op: 'set', value: plan.decoded.acl._wperm };
  }
  let where = writableById(objectId, plan.schema, req.auth, 'update');
  where = (await hooks?.beforeUpdate?.(update, plan, where)) ?? where;
  const after = await req.storage.findOneAndUpdate({ className, where, update });
  if (!after) throw OBJECT_NOT_FOUND();
  await applyRelations(req.storage, className, objectId, plan.decoded.relations);
  const body: Record<string, JsonValue> = { updatedAt: updatedAt.toISOString() };
  for (const [field, change] of Object.entries(plan.decoded.updates)) {
    if (!ANSWERED_OPS.has(change.op)) continue;
    const [root = field, ...path] = field.split('.');
    if (path.length === 0) {
      body[field] = (after[field] ?? null) as JsonValue;
      continue;
    }
    // A nested operation is answered nested, as in the object: { settings: { visits: 2 } }.
    let source = after[root] as JsonValue | undefined;
    for (const segment of path) source = isJsonObject(source) ? source[segment] : undefined;
    body[root] = setPath(isJsonObject(body[root]) ? body[root] : {}, path, source ?? null);
  }
  await hooks?.afterUpdate?.(after, body);
  return { body };
}

/** `DELETE /classes/:className/:objectId` */
export async function deleteObject(
  req: RestRequest,
  app: AppContext,
  className: string,
  objectId: string,
  hooks?: DeleteHooks,
): Promise<RestResponse> {
  assertClassName(className);
  assertNotRuleBound(className, hooks !== undefined);
  assertClassAccess('delete', className, req.auth);
  assertSessionMayWrite(className, req.auth);
  const schema = await app.schema.get(className);
  if (!schema || !(await app.schema.exists(className))) throw OBJECT_NOT_FOUND();
  assertClpAllows(schema, className, 'delete', req.auth);
  let where = writableById(objectId, schema, req.auth, 'delete');
  where = (await hooks?.beforeDelete?.(where)) ?? where;
  const deleted = await req.storage.deleteObjects({ className, where });
  if (deleted === 0) throw OBJECT_NOT_FOUND();
  await hooks?.afterDelete?.();
  return { body: {} };
}

async function applyRelations(
  storage: StorageObjects,
  className: string,
  owningId: string,
  relations: readonly RelationEdit[],
): Promise<void> {
  for (const relation of relations) {
    const change = { className, field: relation.field, targetClass: relation.targetClass, owningId };
    if (relation.add.length > 0) await storage.addRelations({ ...change, relatedIds: relation.add });
    if (relation.remove.length > 0) await storage.removeRelations({ ...change, relatedIds: relation.remove });
  }
}

/** `object` with `value` at `path`, creating the objects on the way. */
function setPath(
  object: Record<string, JsonValue>,
  path: readonly string[],
  value: JsonValue,
): Record<string, JsonValue> {
  const [head, ...rest] = path;
  if (head === undefined) return object;
  const inner = object[head];
  object[head] = rest.length === 0 ? value : setPath(isJsonObject(inner) ? inner : {}, rest, value);
  return object;
}
