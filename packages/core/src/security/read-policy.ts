import { newWeakMap, remembered } from '../remembered.js';
import type { JsonValue, StorageObject } from '../contracts/values.js';
import { fieldRef } from '../query/conditions.js';
import {
  type EncodeOptions,
  encodeObject,
  type FileUrlBuilder,
  relationFieldsOf,
} from '../encoding/object-encoder.js';
import { isJsonObject } from '../encoding/values.js';
import { ParseError, ParseErrorCode } from '../errors.js';
import type { Condition } from '../query/types.js';
import type { ClassSchema, ClpOperation } from '../schema/types.js';
import type { Auth } from './auth.js';
import { pointerFieldsOf } from './class-level-permissions.js';

/** The app settings reads depend on. */
export interface ReadSettings {
  /** Protected fields from the server options, per class and principal. */
  readonly protectedFields: Readonly<Record<string, Readonly<Record<string, readonly string[]>>>>;
  readonly protectedFieldsOwnerExempt: boolean;
  readonly fileUrl: FileUrlBuilder;
}

/**
 * The conditions a non-master read of `className` must add: the ACL, the session rules
 * (only the user's own sessions; a restricted session sees restricted ones only) and CLP
 * pointer permissions (`pointerFields`, `readUserFields`) when they are what grants access.
 * @throws {ParseError} INVALID_SESSION_TOKEN when `_Session` is read without a user.
 */
export function readCondition(
  className: string,
  schema: ClassSchema | undefined,
  auth: Auth,
  operation: ClpOperation = 'find',
): Condition | undefined {
  if (auth.isMaster) return undefined;
  const conditions: Condition[] = [{ kind: 'acl', access: 'read', principals: auth.principals }];
  if (className === '_Session') {
    if (!auth.user) throw new ParseError(ParseErrorCode.INVALID_SESSION_TOKEN, 'Invalid session token');
    conditions.push({
      kind: 'compare',
      field: fieldRef('user', 'Pointer'),
      op: 'eq',
      value: { __type: 'Pointer', className: '_User', objectId: auth.user.id },
    });
    if (auth.user.restricted) {
      conditions.push({ kind: 'compare', field: fieldRef('restricted', 'Boolean'), op: 'eq', value: true });
    }
  }
  const pointer = pointerPermissionCondition(schema, auth, operation);
  if (pointer) conditions.push(pointer);
  return conditions.length === 1 ? conditions[0] : { kind: 'and', conditions };
}

/**
 * The write-side counterpart of {@link readCondition}: the ACL and, when CLP grants the
 * operation only through pointer fields (`pointerFields`, `writeUserFields`), that condition.
 */
export function writeCondition(
  schema: ClassSchema | undefined,
  auth: Auth,
  operation: 'update' | 'delete',
): Condition | undefined {
  if (auth.isMaster) return undefined;
  const acl: Condition = { kind: 'acl', access: 'write', principals: auth.principals };
  const pointer = pointerPermissionCondition(schema, auth, operation);
  return pointer ? { kind: 'and', conditions: [acl, pointer] } : acl;
}

/**
 * When a CLP operation is open to the request only through pointer fields, the condition
 * that one of those fields holds the user. `undefined` when the CLP grants the operation
 * outright (or names no pointer fields).
 */
function pointerPermissionCondition(
  schema: ClassSchema | undefined,
  auth: Auth,
  operation: ClpOperation,
): Condition | undefined {
  const clp = schema?.classLevelPermissions;
  if (!clp) return undefined;
  const permissions = clp[operation];
  const grantedOutright =
    !permissions ||
    permissions['*'] === true ||
    (permissions.requiresAuthentication === true && auth.userId !== undefined) ||
    auth.principals.some((principal) => principal !== '*' && permissions[principal] === true);
  if (grantedOutright) return undefined;
  const fields = pointerFieldsOf(clp, operation);
  if (fields.length === 0) return undefined;
  // Without a user no pointer can hold them: nothing matches.
  if (!auth.userId) return { kind: 'constant', value: false };
  const conditions: Condition[] = fields.map((name) => ({
    kind: 'pointerPermission',
    field: fieldRef(name, schema?.fields[name]?.type ?? 'Pointer'),
    userId: auth.userId as string,
  }));
  return conditions.length === 1 ? conditions[0] : { kind: 'or', conditions };
}

/** Protected-field sets that apply to `auth`, before per-object rules. */
interface ProtectionPlan {
  /** Fields hidden by the principals that apply (intersection of their sets), or none. */
  readonly hidden: ReadonlySet<string> | undefined;
  /** `userField:<field>` rules: when the object's field holds the user, intersect with these. */
  readonly userFields: readonly { readonly field: string; readonly hidden: readonly string[] }[];
}

/** A plan worked out for one principal set of a schema, with what else it depended on. */
interface KnownPlan {
  readonly className: string;
  readonly userId: string | undefined;
  readonly protectedFields: ReadSettings['protectedFields'];
  readonly plan: ProtectionPlan | undefined;
}

/**
 * Plans by schema, then by principal set. Schemas are replaced when they change, and a
 * session's requests share one principals array (see `userAuth`), so a plan is worked out once
 * per schema and session rather than on every read.
 */
const knownPlans = new WeakMap<ClassSchema, WeakMap<readonly string[], KnownPlan>>();

function protectionPlan(
  className: string,
  schema: ClassSchema | undefined,
  auth: Auth,
  settings: ReadSettings,
): ProtectionPlan | undefined {
  if (auth.isMaster) return undefined;
  if (!schema) return workOutPlan(className, schema, auth, settings);
  const byPrincipals = remembered(knownPlans, schema, newWeakMap<readonly string[], KnownPlan>);
  const known = byPrincipals.get(auth.principals);
  if (
    known &&
    known.className === className &&
    known.userId === auth.userId &&
    known.protectedFields === settings.protectedFields
  ) {
    return known.plan;
  }
  const plan = workOutPlan(className, schema, auth, settings);
  byPrincipals.set(auth.principals, {
    className,
    userId: auth.userId,
    protectedFields: settings.protectedFields,
    plan,
  });
  return plan;
}

function workOutPlan(
  className: string,
  schema: ClassSchema | undefined,
  auth: Auth,
  settings: ReadSettings,
): ProtectionPlan | undefined {
  const merged: Record<string, Set<string>> = {};
  const add = (source: Readonly<Record<string, readonly string[]>> | undefined) => {
    for (const [principal, fields] of Object.entries(source ?? {})) {
      const set = merged[principal] ?? new Set<string>();
      merged[principal] = set;
      for (const name of fields) set.add(name);
    }
  };
  add(schema?.classLevelPermissions.protectedFields);
  add(settings.protectedFields[className]);
  const applicable: Set<string>[] = [];
  const userFields: { field: string; hidden: string[] }[] = [];
  for (const [principal, fields] of Object.entries(merged)) {
    if (principal.startsWith('userField:')) {
      if (auth.userId) userFields.push({ field: principal.slice('userField:'.length), hidden: [...fields] });
      continue;
    }
    const applies =
      principal === '*' ||
      (auth.userId !== undefined &&
        (principal === 'authenticated' || principal === auth.userId || auth.principals.includes(principal)));
    if (applies) applicable.push(fields);
  }
  let hidden: Set<string> | undefined;
  for (const set of applicable) {
    hidden = hidden ? new Set([...hidden].filter((name) => set.has(name))) : new Set(set);
  }
  if ((!hidden || hidden.size === 0) && userFields.length === 0) return undefined;
  return { hidden, userFields };
}

function holdsUser(value: unknown, userId: string): boolean {
  const items = Array.isArray(value) ? value : [value];
  return items.some((item) => isJsonObject(item) && item.objectId === userId);
}

/**
 * Refuses a query that filters or sorts on a field hidden from the request, which would reveal
 * its values (parse-server 9 refuses them the same way). A user querying their own `_User`
 * object by id is exempt like their reads are.
 * @throws {ParseError} OPERATION_FORBIDDEN
 */
export function assertQueryable(
  className: string,
  schema: ClassSchema | undefined,
  auth: Auth,
  settings: ReadSettings,
  where: unknown,
  order: unknown,
): void {
  const plan = protectionPlan(className, schema, auth, settings);
  const hidden = plan?.hidden;
  if (!hidden || hidden.size === 0) return;
  const parsed = typeof where === 'string' ? safeParse(where) : where;
  if (
    className === '_User' &&
    settings.protectedFieldsOwnerExempt &&
    isJsonObject(parsed) &&
    parsed.objectId !== undefined &&
    parsed.objectId === auth.userId
  ) {
    return;
  }
  const refuse = (key: string, what: string) => {
    if (hidden.has(key) || hidden.has(key.split('.')[0] as string)) {
      throw new ParseError(
        ParseErrorCode.OPERATION_FORBIDDEN,
        `This user is not allowed to ${what} ${key} on class ${className}`,
      );
    }
  };
  const check = (clause: unknown): void => {
    if (!isJsonObject(clause)) return;
    for (const [key, value] of Object.entries(clause)) {
      if (key === '$or' || key === '$and' || key === '$nor') {
        if (Array.isArray(value)) for (const inner of value) check(inner);
      } else refuse(key, 'query');
    }
  };
  check(parsed);
  if (typeof order === 'string') {
    for (const key of order.split(',')) refuse(key.trim().replace(/^-/, ''), 'sort by');
  }
}

function safeParse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/**
 * Encodes the objects of one read as the request may see them: protected fields removed
 * (with `_User`'s owner exemption and `userField:` rules), `authData` only for its owner,
 * `excludeKeys` and `keys` applied.
 */
export function objectEncoder(
  className: string,
  schema: ClassSchema | undefined,
  auth: Auth,
  settings: ReadSettings,
  request: { keys?: ReadonlySet<string>; excludeKeys?: Iterable<string> } = {},
): (object: StorageObject) => Record<string, JsonValue> {
  const plan = protectionPlan(className, schema, auth, settings);
  const isUser = className === '_User';
  const { baseOmit, options, plain } =
    request.keys === undefined && noneExcluded(request.excludeKeys)
      ? plainEncoding(className, schema, settings.fileUrl)
      : encoding(className, schema, settings.fileUrl, request);
  return (object) => {
    const ownUser = isUser && auth.userId !== undefined && object.objectId === auth.userId;
    let omit: Set<string> | undefined;
    if (plan && !(ownUser && settings.protectedFieldsOwnerExempt)) {
      let hidden = plan.hidden;
      for (const rule of plan.userFields) {
        if (!holdsUser(object[rule.field], auth.userId as string)) continue;
        hidden = hidden ? new Set(rule.hidden.filter((name) => hidden?.has(name))) : new Set(rule.hidden);
      }
      if (hidden && hidden.size > 0) omit = new Set([...baseOmit, ...hidden]);
    }
    const encoded = encodeObject(object, omit ? { ...options, omit } : plain);
    if (auth.isMaintenance) {
      // Maintenance tools see the internal fields, `_User`'s hash as `password` (as parse-server).
      for (const [key, value] of Object.entries(object)) {
        if (!key.startsWith('_') || key === '_rperm' || key === '_wperm' || value === undefined) continue;
        const name = key === '_hashed_password' ? 'password' : key;
        encoded[name] = (
          value instanceof Date ? { __type: 'Date', iso: value.toISOString() } : value
        ) as JsonValue;
      }
    }
    if (isUser) {
      if (!auth.isMaster && !ownUser) delete encoded.authData;
      else cleanAuthData(encoded);
    }
    return encoded;
  };
}

/** What an encoder passes to {@link encodeObject} when no protected field applies. */
interface Encoding {
  /** Removed from every object: `excludeKeys`, and `_User`'s `password`. */
  readonly baseOmit: ReadonlySet<string>;
  /** The options without `omit` (an object's own protected fields are added to `baseOmit`). */
  readonly options: EncodeOptions;
  /** The options with `baseOmit`. */
  readonly plain: EncodeOptions;
}

function encoding(
  className: string,
  schema: ClassSchema | undefined,
  fileUrl: FileUrlBuilder,
  request: { keys?: ReadonlySet<string>; excludeKeys?: Iterable<string> },
): Encoding {
  const baseOmit = new Set<string>(request.excludeKeys ?? []);
  if (className === '_User') baseOmit.add('password');
  const options = { schema, fileUrl, keys: request.keys, relations: relationFieldsOf(schema) };
  return { baseOmit, options, plain: { ...options, omit: baseOmit.size > 0 ? baseOmit : undefined } };
}

function noneExcluded(excludeKeys: Iterable<string> | undefined): boolean {
  if (excludeKeys === undefined) return true;
  if (excludeKeys instanceof Set) return excludeKeys.size === 0;
  return Array.isArray(excludeKeys) && excludeKeys.length === 0;
}

/** The encodings of reads without `keys` or `excludeKeys`, per schema (schemas are replaced, never changed). */
const plainEncodings = new WeakMap<ClassSchema, Encoding>();

function plainEncoding(
  className: string,
  schema: ClassSchema | undefined,
  fileUrl: FileUrlBuilder,
): Encoding {
  if (!schema) return encoding(className, schema, fileUrl, {});
  let known = plainEncodings.get(schema);
  if (known?.options.fileUrl !== fileUrl) {
    known = encoding(className, schema, fileUrl, {});
    plainEncodings.set(schema, known);
  }
  return known;
}

/** Drops unlinked (null) providers from `authData`, and `authData` itself when it ends up empty. */
export function cleanAuthData(user: Record<string, JsonValue>): void {
  const authData = user.authData;
  if (!isJsonObject(authData)) return;
  for (const [provider, data] of Object.entries(authData)) if (data === null) delete authData[provider];
  if (Object.keys(authData).length === 0) delete user.authData;
}
