import type { FieldRef, JsonValue, StorageValue } from '../contracts/values.js';
import { decodeValue, isJsonObject, type JsonObject } from '../encoding/values.js';
import { ParseError, ParseErrorCode } from '../errors.js';
import type { ClassSchema } from '../schema/types.js';
import type { CompareOperator, Condition } from './types.js';

const KEY_PATTERN = /^[a-zA-Z][a-zA-Z0-9_.]*$/;
const COMPARE: Readonly<Record<string, CompareOperator>> = {
  $eq: 'eq',
  $ne: 'ne',
  $lt: 'lt',
  $lte: 'lte',
  $gt: 'gt',
  $gte: 'gte',
};
/** Operators of the query language that a later slice implements. */
const NOT_YET = new Set([
  '$regex',
  '$options',
  '$all',
  '$containedBy',
  '$select',
  '$dontSelect',
  '$inQuery',
  '$notInQuery',
  '$text',
  '$nearSphere',
  '$maxDistance',
  '$maxDistanceInRadians',
  '$maxDistanceInMiles',
  '$maxDistanceInKilometers',
  '$within',
  '$geoWithin',
  '$geoIntersects',
  '$relativeTime',
]);

function invalid(message: string): ParseError {
  return new ParseError(ParseErrorCode.INVALID_QUERY, message);
}

/**
 * Turns a REST `where` object into a validated {@link Condition} for `schema`.
 * Conditions on fields the class does not declare are resolved here (they can only match
 * "missing"), so adapters only ever see declared fields.
 * @throws {ParseError} INVALID_QUERY, INVALID_KEY_NAME, INVALID_JSON
 */
export function parseWhere(where: unknown, schema: ClassSchema | undefined): Condition {
  if (where === undefined || where === null) return { kind: 'and', conditions: [] };
  if (!isJsonObject(where)) throw new ParseError(ParseErrorCode.INVALID_JSON, 'where must be a JSON object');
  const conditions: Condition[] = [];
  for (const [key, value] of Object.entries(where)) {
    conditions.push(parseKey(key, value, schema));
  }
  return conditions.length === 1 ? (conditions[0] as Condition) : { kind: 'and', conditions };
}

function parseKey(key: string, value: JsonValue, schema: ClassSchema | undefined): Condition {
  if (key === '$or' || key === '$and' || key === '$nor') {
    if (!Array.isArray(value) || value.length === 0) {
      throw invalid(`Bad ${key} format - use an array value.`);
    }
    const kind = key === '$or' ? 'or' : key === '$and' ? 'and' : 'nor';
    return { kind, conditions: value.map((clause) => parseWhere(clause, schema)) };
  }
  if (key === '$relatedTo') throw invalid('$relatedTo is not supported yet');
  if (!KEY_PATTERN.test(key)) {
    throw new ParseError(ParseErrorCode.INVALID_KEY_NAME, `Invalid key name: ${key}`);
  }
  const field = fieldRef(key, schema);
  if (
    isJsonObject(value) &&
    value.__type === undefined &&
    Object.keys(value).some((k) => k.startsWith('$'))
  ) {
    return parseConstraints(field, value);
  }
  return resolve({ kind: 'compare', field, op: 'eq', value: queryValue(field, value) });
}

function fieldRef(key: string, schema: ClassSchema | undefined): FieldRef {
  const [name = key, ...path] = key.split('.');
  const definition = schema?.fields[name];
  const ref: FieldRef = { name, path, type: definition?.type };
  return definition?.targetClass ? { ...ref, targetClass: definition.targetClass } : ref;
}

function parseConstraints(field: FieldRef, constraints: JsonObject): Condition {
  const parts: Condition[] = [];
  for (const [operator, operand] of Object.entries(constraints)) {
    const compare = COMPARE[operator];
    if (compare) {
      parts.push(resolve({ kind: 'compare', field, op: compare, value: queryValue(field, operand) }));
      continue;
    }
    switch (operator) {
      case '$in':
      case '$nin': {
        if (!Array.isArray(operand)) throw invalid(`bad ${operator} value`);
        const values = operand.map((item) => queryValue(field, item));
        parts.push(resolve({ kind: 'in', field, values, negated: operator === '$nin' }));
        break;
      }
      case '$exists':
        if (typeof operand !== 'boolean') throw invalid('$exists must be a boolean');
        parts.push(resolve({ kind: 'exists', field, exists: operand }));
        break;
      default:
        if (NOT_YET.has(operator)) throw invalid(`${operator} is not supported yet`);
        throw invalid(`bad constraint: ${operator}`);
    }
  }
  return parts.length === 1 ? (parts[0] as Condition) : { kind: 'and', conditions: parts };
}

/** Decodes a constraint operand; on Pointer fields an objectId string stands for the pointer. */
function queryValue(field: FieldRef, value: JsonValue): StorageValue {
  if (field.path.length > 0) return value;
  if (field.type === 'Pointer' && typeof value === 'string' && field.targetClass) {
    return { __type: 'Pointer', className: field.targetClass, objectId: value };
  }
  if (isJsonObject(value) && value.__type === undefined) {
    if (Object.keys(value).some((k) => k.startsWith('$'))) throw invalid(`bad constraint value`);
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
    default:
      return condition;
  }
}
