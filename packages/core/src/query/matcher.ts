import type { FieldRef, GeoPointValue, StorageObject, StorageValue } from '../contracts/values.js';
import { ParseError, ParseErrorCode } from '../errors.js';
import { angularDistance, pointInPolygon } from './geo.js';
import { unquoteRegex } from './regex.js';
import type { CompareOperator, Condition, SortKey } from './types.js';

/**
 * Evaluates a {@link Condition} against one object in memory, with the semantics storage
 * adapters must implement. LiveQuery uses it to decide which subscriptions an update
 * concerns; tests use it as the reference for adapters.
 * @throws {ParseError} INVALID_QUERY for conditions that need the database (`inQuery`, `select`, `relatedTo`, `text`).
 */
export function matches(object: StorageObject, condition: Condition): boolean {
  switch (condition.kind) {
    case 'and':
      return condition.conditions.every((inner) => matches(object, inner));
    case 'or':
      return condition.conditions.some((inner) => matches(object, inner));
    case 'nor':
      return !condition.conditions.some((inner) => matches(object, inner));
    case 'constant':
      return condition.value;
    case 'compare':
      return compareField(readField(object, condition.field), condition.op, condition.value, condition.field);
    case 'in': {
      const value = readField(object, condition.field);
      const found = condition.values.some((candidate) => equalsForQuery(value, candidate, condition.field));
      return condition.negated ? !found : found;
    }
    case 'exists':
      return (readField(object, condition.field) !== undefined) === condition.exists;
    case 'all': {
      const value = readField(object, condition.field);
      return Array.isArray(value) && condition.values.every((item) => value.some((v) => sameValue(v, item)));
    }
    case 'containedBy': {
      const value = readField(object, condition.field);
      return Array.isArray(value) && value.every((v) => condition.values.some((item) => sameValue(v, item)));
    }
    case 'regex': {
      const value = readField(object, condition.field);
      const regex = compiledRegex(condition);
      // On an Array field, one matching string element is enough (MongoDB's semantics).
      if (Array.isArray(value)) return value.some((item) => typeof item === 'string' && regex.test(item));
      return typeof value === 'string' && regex.test(value);
    }
    case 'acl': {
      const permissions = condition.access === 'read' ? object._rperm : object._wperm;
      return permissions === undefined || permissions.some((p) => condition.principals.includes(p));
    }
    case 'pointerPermission': {
      const value = readField(object, condition.field);
      const ids = (Array.isArray(value) ? value : [value]).map(pointerId);
      return ids.includes(condition.userId);
    }
    case 'nearSphere': {
      const point = geoPointOf(readField(object, condition.field));
      if (!point) return false;
      const limit = condition.maxDistanceRadians;
      return limit === undefined || angularDistance(point, condition.point) <= limit;
    }
    case 'withinCenterSphere': {
      const point = geoPointOf(readField(object, condition.field));
      return point !== undefined && angularDistance(point, condition.center) <= condition.radiusRadians;
    }
    case 'withinBox': {
      const point = geoPointOf(readField(object, condition.field));
      const { southwest, northeast } = condition;
      return (
        point !== undefined &&
        point.latitude >= southwest.latitude &&
        point.latitude <= northeast.latitude &&
        point.longitude >= southwest.longitude &&
        point.longitude <= northeast.longitude
      );
    }
    case 'withinPolygon': {
      const point = geoPointOf(readField(object, condition.field));
      return point !== undefined && pointInPolygon(point, condition.polygon);
    }
    case 'intersectsPoint': {
      const value = readField(object, condition.field) as { __type?: unknown; coordinates?: unknown };
      if (value?.__type !== 'Polygon' || !Array.isArray(value.coordinates)) return false;
      const vertices = (value.coordinates as [number, number][]).map(
        ([latitude, longitude]): GeoPointValue => ({ __type: 'GeoPoint', latitude, longitude }),
      );
      return pointInPolygon(condition.point, vertices);
    }
    default:
      throw new ParseError(ParseErrorCode.INVALID_QUERY, `${condition.kind} cannot be evaluated in memory`);
  }
}

function readField(object: StorageObject, field: FieldRef): StorageValue | undefined {
  let value: StorageValue | undefined = object[field.name];
  for (const segment of field.path) {
    if (value === null || typeof value !== 'object' || Array.isArray(value) || value instanceof Date)
      return undefined;
    value = (value as Record<string, StorageValue>)[segment];
  }
  return value === null ? undefined : value;
}

function geoPointOf(value: StorageValue | undefined): GeoPointValue | undefined {
  const point = value as Partial<GeoPointValue> | undefined;
  return point?.__type === 'GeoPoint' &&
    typeof point.latitude === 'number' &&
    typeof point.longitude === 'number'
    ? (point as GeoPointValue)
    : undefined;
}

function pointerId(value: StorageValue | undefined): string | undefined {
  if (value && typeof value === 'object' && !Array.isArray(value) && 'objectId' in value) {
    return String((value as { objectId: unknown }).objectId);
  }
  return undefined;
}

function comparable(value: StorageValue | undefined): number | string | boolean | undefined {
  if (value instanceof Date) return value.getTime();
  if (typeof value === 'number' || typeof value === 'string' || typeof value === 'boolean') return value;
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    const record = value as Record<string, unknown>;
    if (record.__type === 'Date' && typeof record.iso === 'string') return new Date(record.iso).getTime();
    if (record.__type === 'Pointer') return String(record.objectId);
  }
  return undefined;
}

function sameValue(a: StorageValue | undefined, b: StorageValue | undefined): boolean {
  const left = comparable(a);
  const right = comparable(b);
  if (left !== undefined || right !== undefined) return left === right;
  return JSON.stringify(a) === JSON.stringify(b);
}

function equalsForQuery(value: StorageValue | undefined, expected: StorageValue, field: FieldRef): boolean {
  if (expected === null) return value === undefined;
  if (value === undefined) return false;
  if (Array.isArray(value) && !Array.isArray(expected) && field.path.length === 0) {
    return value.some((item) => sameValue(item, expected));
  }
  return sameValue(value, expected);
}

function compareField(
  value: StorageValue | undefined,
  op: CompareOperator,
  expected: StorageValue,
  field: FieldRef,
): boolean {
  if (op === 'eq') return equalsForQuery(value, expected, field);
  if (op === 'ne') return !equalsForQuery(value, expected, field);
  const left = comparable(value);
  const right = comparable(expected);
  if (left === undefined || right === undefined || typeof left !== typeof right) return false;
  switch (op) {
    case 'lt':
      return left < right;
    case 'lte':
      return left <= right;
    case 'gt':
      return left > right;
    case 'gte':
      return left >= right;
  }
}

/** Sorts objects in memory by `sort`; missing values sort last ascending, first descending (as PostgreSQL). */
export function compareObjects(sort: readonly SortKey[]): (a: StorageObject, b: StorageObject) => number {
  return (a, b) => {
    for (const key of sort) {
      if (key.field === '$score') continue;
      const left = comparable(readField(a, key.field));
      const right = comparable(readField(b, key.field));
      if (left === right) continue;
      const order = left === undefined ? 1 : right === undefined ? -1 : left < right ? -1 : 1;
      return key.descending ? -order : order;
    }
    return 0;
  };
}

const REGEXES = new WeakMap<Condition, RegExp>();

/** The condition's pattern as a JavaScript RegExp, compiled once per condition. */
function compiledRegex(condition: Extract<Condition, { kind: 'regex' }>): RegExp {
  let regex = REGEXES.get(condition);
  if (!regex) {
    let pattern = unquoteRegex(condition.pattern);
    if (condition.flags.includes('x')) pattern = withoutExtendedSyntax(pattern);
    regex = new RegExp(pattern, condition.flags.replace(/[^ims]/g, ''));
    REGEXES.set(condition, regex);
  }
  return regex;
}

/** The `x` option: whitespace and `#` comments outside bracket expressions are not part of the pattern. */
function withoutExtendedSyntax(pattern: string): string {
  let result = '';
  let inBrackets = false;
  for (let index = 0; index < pattern.length; index += 1) {
    const char = pattern[index] as string;
    if (char === '\\') {
      result += pattern.slice(index, index + 2);
      index += 1;
    } else if (inBrackets) {
      if (char === ']') inBrackets = false;
      result += char;
    } else if (char === '[') {
      inBrackets = true;
      result += char;
    } else if (char === '#') {
      const end = pattern.indexOf('\n', index);
      index = end < 0 ? pattern.length : end;
    } else if (!/\s/.test(char)) {
      result += char;
    }
  }
  return result;
}
