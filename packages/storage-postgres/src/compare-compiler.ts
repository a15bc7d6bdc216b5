import type { CompareOperator, StorageValue } from '@openparse/core';
import { ParseError, ParseErrorCode } from '@openparse/core';
import type { ResolvedField } from './field-kinds.js';
import type { Params } from './sql.js';
import { jsonOf, rawScalar } from './values.js';

const SQL_OPERATOR: Readonly<Record<CompareOperator, string>> = {
  eq: '=',
  ne: '<>',
  lt: '<',
  lte: '<=',
  gt: '>',
  gte: '>=',
};

/** The error for operators this adapter cannot run yet. */
export function notYet(what: string): ParseError {
  return new ParseError(ParseErrorCode.INVALID_QUERY, `${what} is not supported yet by storage-postgres`);
}

function isPrimitive(value: StorageValue): value is string | number | boolean {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
}

function isDateValue(value: StorageValue): boolean {
  return (
    value instanceof Date ||
    (typeof value === 'object' && value !== null && '__type' in value && value.__type === 'Date')
  );
}

/** `ne` is the negation of `eq` that also keeps objects without the field. */
function orMissing(field: ResolvedField, match: string): string {
  return `(${field.sql} IS NULL OR NOT ${match})`;
}

/** Ordering inside jsonb: like compares with like only (jsonb orders across types otherwise). */
function jsonOrder(sql: string, op: CompareOperator, param: string): string {
  return `(jsonb_typeof(${sql}) = jsonb_typeof(${param}) AND ${sql} ${SQL_OPERATOR[op]} ${param})`;
}

/** A Parse JSON date inside jsonb, as a timestamp (NULL when it is not one). */
function jsonDate(sql: string): string {
  return `(CASE WHEN ${sql}->>'__type' = 'Date' THEN (${sql}->>'iso')::timestamptz END)`;
}

/** Equality of a value with a jsonb value that may be an array holding it. */
function jsonEquals(sql: string, value: StorageValue, params: Params): string {
  const param = params.add(JSON.stringify(jsonOf(value)), 'jsonb');
  // For primitives `@>` is equality, and also matches arrays containing the value.
  return isPrimitive(value) ? `${sql} @> ${param}` : `${sql} = ${param}`;
}

/** A `compare` condition on a resolved field. */
export function compileCompare(
  field: ResolvedField,
  op: CompareOperator,
  value: StorageValue,
  params: Params,
): string {
  if (value === null) {
    if (field.kind === 'missing') return op === 'eq' ? 'TRUE' : 'FALSE';
    if (op === 'eq') return `${field.sql} IS NULL`;
    if (op === 'ne') return `${field.sql} IS NOT NULL`;
    return 'FALSE';
  }
  if (field.kind === 'missing') return op === 'ne' ? 'TRUE' : 'FALSE';
  const match = (eqOp: 'eq' | CompareOperator): string => compileMatch(field, eqOp, value, params);
  if (op === 'ne') return orMissing(field, match('eq'));
  return match(op);
}

function compileMatch(
  field: ResolvedField,
  op: CompareOperator,
  value: StorageValue,
  params: Params,
): string {
  const sqlOp = SQL_OPERATOR[op];
  switch (field.kind) {
    case 'scalar':
      return `${field.sql} ${sqlOp} ${params.add(rawScalar(value), field.cast)}`;
    case 'json':
    case 'jsonPath': {
      if (isDateValue(value) && op !== 'eq') {
        return `${jsonDate(field.sql)} ${sqlOp} ${params.add(rawScalar(value), 'timestamptz')}`;
      }
      if (op === 'eq') {
        return field.kind === 'jsonPath'
          ? jsonEquals(field.sql, value, params)
          : `${field.sql} = ${params.add(JSON.stringify(jsonOf(value)), 'jsonb')}`;
      }
      return jsonOrder(field.sql, op, params.add(JSON.stringify(jsonOf(value)), 'jsonb'));
    }
    case 'jsonArray': {
      if (op === 'eq') {
        return Array.isArray(value)
          ? `${field.sql} = ${params.add(JSON.stringify(value.map(jsonOf)), 'jsonb')}`
          : `${field.sql} @> ${params.add(JSON.stringify([jsonOf(value)]), 'jsonb')}`;
      }
      // Mongo semantics: an array matches a range when one of its elements does.
      const param = params.add(JSON.stringify(jsonOf(value)), 'jsonb');
      return `EXISTS (SELECT 1 FROM jsonb_array_elements(${field.sql}) AS element WHERE ${jsonOrder('element', op, param)})`;
    }
    case 'textArray': {
      if (op !== 'eq') throw notYet(`$${op} on an array of strings`);
      return Array.isArray(value)
        ? `${field.sql} = ${params.add(value, 'text[]')}`
        : `${field.sql} @> ARRAY[${params.add(rawScalar(value), 'text')}]`; // GIN-indexable
    }
    case 'point': {
      if (op !== 'eq') throw notYet(`$${op} on a GeoPoint`);
      const point = value as { latitude: number; longitude: number };
      return `${field.sql} ~= point(${params.add(point.longitude, 'float8')}, ${params.add(point.latitude, 'float8')})`;
    }
    case 'polygon':
      throw notYet(`comparing a Polygon`);
    case 'missing':
      return 'FALSE';
  }
}

/** `in` / `nin`. A null among the values stands for a missing field. */
export function compileIn(
  field: ResolvedField,
  values: readonly StorageValue[],
  negated: boolean,
  params: Params,
): string {
  const hasNull = values.includes(null);
  const present = values.filter((value) => value !== null);
  if (field.kind === 'missing') return hasNull !== negated ? 'TRUE' : 'FALSE';
  let match: string;
  if (present.length === 0) match = 'FALSE';
  else if (field.kind === 'scalar') {
    match = `${field.sql} = ANY(${params.add(present.map(rawScalar), `${field.cast}[]`)})`;
  } else if (field.kind === 'textArray') {
    match = `${field.sql} && ${params.add(present.map(rawScalar), 'text[]')}`;
  } else if (field.kind === 'jsonArray') {
    const wrapped = present.map((value) => JSON.stringify(Array.isArray(value) ? value : [jsonOf(value)]));
    match = `${field.sql} @> ANY(${params.add(wrapped, 'jsonb[]')})`;
  } else {
    match = `(${present.map((value) => compileMatch(field, 'eq', value, params)).join(' OR ')})`;
  }
  if (negated) return hasNull ? `(${field.sql} IS NOT NULL AND NOT ${match})` : orMissing(field, match);
  return hasNull ? `(${field.sql} IS NULL OR ${match})` : match;
}

/** `all` (contains every value) and `containedBy` (holds nothing else). */
export function compileArraySet(
  field: ResolvedField,
  kind: 'all' | 'containedBy',
  values: readonly StorageValue[],
  params: Params,
): string {
  const operator = kind === 'all' ? '@>' : '<@';
  switch (field.kind) {
    case 'missing':
      return 'FALSE';
    case 'textArray':
      return `${field.sql} ${operator} ${params.add(values.map(rawScalar), 'text[]')}`;
    case 'jsonArray':
    case 'jsonPath':
    case 'json':
      return `${field.sql} ${operator} ${params.add(JSON.stringify(values.map(jsonOf)), 'jsonb')}`;
    default:
      throw notYet(`$${kind === 'all' ? 'all' : 'containedBy'} on a field that is not an array`);
  }
}

/** `exists`. */
export function compileExists(field: ResolvedField, exists: boolean): string {
  if (field.kind === 'missing') return exists ? 'FALSE' : 'TRUE';
  return `${field.sql} IS ${exists ? 'NOT NULL' : 'NULL'}`;
}
