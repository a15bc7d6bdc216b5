import type { FieldRef, JsonValue, PointerValue, StorageValue } from '../contracts/values.js';
import { decodeValue, isJsonObject, type JsonObject } from '../encoding/values.js';
import { ParseError, ParseErrorCode } from '../errors.js';
import { isValidClassName } from '../schema/names.js';
import type { ClassSchema } from '../schema/types.js';
import {
  assertLogicalDepth,
  assertRegexAllowed,
  assertSubqueryDepth,
  type RequestComplexity,
} from './complexity.js';
import { GEO_OPERATORS, parseGeoConstraints } from './geo.js';
import { resolveRelativeTime } from './relative-time.js';
import { parseTextSearch } from './text-search.js';
import type { CompareOperator, Condition, ParseQuery } from './types.js';

const KEY_PATTERN = /^[a-zA-Z][a-zA-Z0-9_.]*$/;
const COMPARE: Readonly<Record<string, CompareOperator>> = {
  $eq: 'eq',
  $ne: 'ne',
  $lt: 'lt',
  $lte: 'lte',
  $gt: 'gt',
  $gte: 'gte',
};
const RANGE = new Set(['$lt', '$lte', '$gt', '$gte']);
const REGEX_OPTIONS = /^[imxs]*$/;

/** What parsing needs beyond the class's own schema: other classes, for subqueries. */
export interface WhereContext {
  /** The schema of another class (subqueries, relations). */
  readonly lookup: (className: string) => ClassSchema | undefined;
  /**
   * Checks that the request may read `className` and answers the condition it may read
   * under (its ACL), added to every subquery. Throws 119 when it may not.
   */
  readonly subqueryAccess: (className: string, where: JsonValue | undefined) => Condition | undefined;
  /** `requestComplexity` limits; undefined for the master and maintenance keys. */
  readonly limits?: RequestComplexity;
  /** How deep the parser is in `$or`/`$and`/`$nor` (set by the parser while it recurses). */
  readonly logicalDepth?: number;
  /** How deep the parser is in subqueries (set by the parser while it recurses). */
  readonly subqueryDepth?: number;
}

const NO_CONTEXT: WhereContext = {
  lookup: () => undefined,
  subqueryAccess: () => undefined,
};

function invalid(message: string): ParseError {
  return new ParseError(ParseErrorCode.INVALID_QUERY, message);
}

/**
 * Turns a REST `where` object into a validated {@link Condition} for `schema`.
 * Conditions on fields the class does not declare are resolved here (they can only match
 * "missing"), so adapters only ever see declared fields.
 * @throws {ParseError} INVALID_QUERY, INVALID_KEY_NAME, INVALID_JSON, OPERATION_FORBIDDEN
 */
export function parseWhere(
  where: unknown,
  schema: ClassSchema | undefined,
  context: WhereContext = NO_CONTEXT,
): Condition {
  if (where === undefined || where === null) return { kind: 'and', conditions: [] };
  if (!isJsonObject(where)) throw invalid('where must be a JSON object');
  const conditions: Condition[] = [];
  for (const [key, value] of Object.entries(where)) {
    conditions.push(parseKey(key, value, schema, context));
  }
  return conditions.length === 1 ? (conditions[0] as Condition) : { kind: 'and', conditions };
}

function parseKey(
  key: string,
  value: JsonValue,
  schema: ClassSchema | undefined,
  context: WhereContext,
): Condition {
  if (key === '$or' || key === '$and' || key === '$nor') {
    if (!Array.isArray(value) || value.length === 0) throw invalid(`Bad ${key} format - use an array value.`);
    const kind = key === '$or' ? 'or' : key === '$and' ? 'and' : 'nor';
    const logicalDepth = (context.logicalDepth ?? 0) + 1;
    assertLogicalDepth(logicalDepth, context.limits);
    const nested = { ...context, logicalDepth };
    return { kind, conditions: value.map((clause) => parseWhere(clause, schema, nested)) };
  }
  if (key === '$relatedTo') return parseRelatedTo(value, context);
  if (!KEY_PATTERN.test(key))
    throw new ParseError(ParseErrorCode.INVALID_KEY_NAME, `Invalid key name: ${key}`);
  const field = fieldRef(key, schema);
  if (
    isJsonObject(value) &&
    value.__type === undefined &&
    Object.keys(value).some((k) => k.startsWith('$'))
  ) {
    return parseConstraints(field, value, context);
  }
  return resolve({ kind: 'compare', field, op: 'eq', value: queryValue(field, value) });
}

function fieldRef(key: string, schema: ClassSchema | undefined): FieldRef {
  const [name = key, ...path] = key.split('.');
  const definition = schema?.fields[name];
  const ref: FieldRef = { name, path, type: definition?.type };
  return definition?.targetClass ? { ...ref, targetClass: definition.targetClass } : ref;
}

function parseConstraints(field: FieldRef, constraints: JsonObject, context: WhereContext): Condition {
  const parts: Condition[] = [];
  if (Object.keys(constraints).some((operator) => GEO_OPERATORS.has(operator))) {
    parts.push(...parseGeoConstraints(field, constraints).map(resolve));
  }
  for (const [operator, operand] of Object.entries(constraints)) {
    if (GEO_OPERATORS.has(operator)) continue;
    const compare = COMPARE[operator];
    if (compare) {
      const value =
        RANGE.has(operator) && isJsonObject(operand) && '$relativeTime' in operand
          ? relativeTime(field, operand.$relativeTime)
          : queryValue(field, operand);
      parts.push(resolve({ kind: 'compare', field, op: compare, value }));
      continue;
    }
    switch (operator) {
      case '$in':
      case '$nin':
        if (!Array.isArray(operand))
          throw new ParseError(ParseErrorCode.INVALID_JSON, `bad ${operator} value`);
        parts.push(
          resolve({
            kind: 'in',
            field,
            values: operand.map((item) => queryValue(field, item)),
            negated: operator === '$nin',
          }),
        );
        break;
      case '$all':
      case '$containedBy':
        if (!Array.isArray(operand)) throw invalid(`bad ${operator} value`);
        parts.push(
          resolve({
            kind: operator === '$all' ? 'all' : 'containedBy',
            field,
            values: operand.map((item) => queryValue(field, item)),
          }),
        );
        break;
      case '$exists':
        if (typeof operand !== 'boolean') throw invalid('$exists must be a boolean');
        parts.push(resolve({ kind: 'exists', field, exists: operand }));
        break;
      case '$regex': {
        assertRegexAllowed(context.limits);
        if (typeof operand !== 'string') throw invalid('bad $regex: it must be a string');
        const flags = constraints.$options ?? '';
        if (typeof flags !== 'string' || !REGEX_OPTIONS.test(flags)) {
          throw invalid('Only the i, m, x and s options are supported for $regex');
        }
        parts.push(resolve({ kind: 'regex', field, pattern: operand, flags }));
        break;
      }
      case '$options':
        if (constraints.$regex === undefined) throw invalid('$options needs a $regex');
        break;
      case '$text':
        parts.push(parseTextSearch(field, operand));
        break;
      case '$inQuery':
      case '$notInQuery':
        parts.push(
          resolve({
            kind: 'inQuery',
            field,
            query: subquery(operand, operator, context),
            negated: operator === '$notInQuery',
          }),
        );
        break;
      case '$select':
      case '$dontSelect': {
        if (!isJsonObject(operand) || typeof operand.key !== 'string' || !isJsonObject(operand.query)) {
          throw invalid(`bad ${operator} value: it needs a query and a key`);
        }
        const query = subquery(operand.query, operator, context);
        const key = fieldRef(operand.key, context.lookup(query.className));
        const negated = operator === '$dontSelect';
        // A key the subquery's class does not have selects nothing.
        parts.push(
          key.type === undefined
            ? { kind: 'constant', value: negated }
            : resolve({ kind: 'select', field, query, key, negated }),
        );
        break;
      }
      default:
        throw invalid(`bad constraint: ${operator}`);
    }
  }
  return parts.length === 1 ? (parts[0] as Condition) : { kind: 'and', conditions: parts };
}

function relativeTime(field: FieldRef, phrase: JsonValue | undefined): StorageValue {
  if (field.type !== 'Date' || field.path.length > 0)
    throw invalid('$relativeTime can only be used with Date fields');
  return resolveRelativeTime(phrase);
}

/** `{ className, where }` of `$inQuery` / `$select`, parsed for its own class, with its ACL. */
function subquery(value: JsonValue, operator: string, context: WhereContext): ParseQuery {
  if (!isJsonObject(value) || typeof value.className !== 'string')
    throw invalid(`bad ${operator} value: it needs a className`);
  const className = value.className;
  if (!isValidClassName(className)) throw invalid(`bad ${operator} value: invalid className ${className}`);
  const subqueryDepth = (context.subqueryDepth ?? 0) + 1;
  assertSubqueryDepth(subqueryDepth, context.limits);
  const access = context.subqueryAccess(className, value.where);
  // A subquery counts its own `$or` nesting from zero, as parse-server's do.
  const inner = { ...context, subqueryDepth, logicalDepth: 0 };
  const where = parseWhere(value.where ?? {}, context.lookup(className), inner);
  const limit = context.limits?.subqueryLimit ?? -1;
  return {
    className,
    where: access ? { kind: 'and', conditions: [where, access] } : where,
    ...(limit === -1 ? {} : { limit }),
  };
}

function parseRelatedTo(value: JsonValue, context: WhereContext): Condition {
  if (!isJsonObject(value) || typeof value.key !== 'string' || !isJsonObject(value.object)) {
    throw invalid('bad $relatedTo value: it needs an object pointer and a key');
  }
  const owner = value.object;
  if (
    owner.__type !== 'Pointer' ||
    typeof owner.className !== 'string' ||
    typeof owner.objectId !== 'string'
  ) {
    throw new ParseError(ParseErrorCode.INVALID_POINTER, '$relatedTo needs a pointer to the owning object');
  }
  const relation = context.lookup(owner.className)?.fields[value.key];
  if (relation?.type !== 'Relation') return { kind: 'constant', value: false };
  const pointer: PointerValue = { __type: 'Pointer', className: owner.className, objectId: owner.objectId };
  return { kind: 'relatedTo', owner: pointer, key: value.key };
}

/** Decodes a constraint operand; on Pointer fields an objectId string stands for the pointer. */
function queryValue(field: FieldRef, value: JsonValue): StorageValue {
  if (field.path.length > 0) return value;
  if (field.type === 'Pointer' && typeof value === 'string' && field.targetClass) {
    return { __type: 'Pointer', className: field.targetClass, objectId: value };
  }
  if (isJsonObject(value) && value.__type === undefined) {
    if (Object.keys(value).some((k) => k.startsWith('$'))) throw invalid('bad constraint value');
    return value;
  }
  return decodeValue(value);
}

/**
 * Conditions on a field the class does not have: the field is missing on every object,
 * so the answer is known without asking storage.
 */
function resolve(condition: Condition): Condition {
  if (!('field' in condition) || condition.field.type !== undefined) return condition;
  switch (condition.kind) {
    case 'compare':
      if (condition.op === 'ne') return { kind: 'constant', value: condition.value !== null };
      return { kind: 'constant', value: condition.op === 'eq' && condition.value === null };
    case 'in':
      return { kind: 'constant', value: condition.negated || condition.values.includes(null) };
    case 'exists':
      return { kind: 'constant', value: !condition.exists };
    case 'inQuery':
    case 'select':
      return { kind: 'constant', value: condition.negated };
    default:
      return { kind: 'constant', value: false };
  }
}
