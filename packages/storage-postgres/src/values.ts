import {
  type ClassSchema,
  type FieldDefinition,
  parseUtcTimestamp,
  type StorageObject,
  type StorageValue,
} from '@openparse/core';
import { storedFieldOf } from './schema-json.js';

/** A value as it sits inside a jsonb document: top-level dates become Parse JSON `{__type: 'Date'}`. */
export function jsonOf(value: StorageValue): unknown {
  return value instanceof Date ? { __type: 'Date', iso: value.toISOString() } : value;
}

/** A scalar as a query parameter: pointers by objectId, files by name, dates as ISO text. */
export function rawScalar(value: StorageValue): unknown {
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'object' && value !== null && !Array.isArray(value) && '__type' in value) {
    const typed = value as { __type: string; objectId?: string; name?: string; iso?: string };
    if (typed.__type === 'Pointer') return typed.objectId;
    if (typed.__type === 'File') return typed.name;
    if (typed.__type === 'Date') return typed.iso;
  }
  return value;
}

type AddParam = (value: unknown, cast?: string) => string;

/** The SQL expression that stores `value` in the column of `field` (undefined: inferred from the value). */
export function encodeForColumn(
  name: string,
  field: FieldDefinition | undefined,
  value: StorageValue,
  add: AddParam,
): string {
  if (value === null) return 'NULL';
  if (name === '_rperm' || name === '_wperm') return add(value, 'text[]');
  switch (field?.type) {
    case 'Date':
      return add(rawScalar(value), 'timestamptz');
    case 'Pointer':
    case 'File':
      return add(rawScalar(value), 'text');
    case 'Object':
    case 'Bytes':
      return add(JSON.stringify(value), 'jsonb');
    case 'Array':
      return columnIsTextArray(field)
        ? add(value, 'text[]')
        : add(JSON.stringify((value as StorageValue[]).map(jsonOf)), 'jsonb');
    case 'GeoPoint': {
      const point = value as { latitude: number; longitude: number };
      // parse-server stores points as (longitude, latitude).
      return `point(${add(point.longitude, 'float8')}, ${add(point.latitude, 'float8')})`;
    }
    case 'Polygon':
      return add(
        polygonText((value as { coordinates: readonly (readonly [number, number])[] }).coordinates),
        'polygon',
      );
    case 'Number':
      return add(value, 'float8');
    case 'Boolean':
      return add(value, 'boolean');
    case 'String':
      return add(value, 'text');
    default:
      return add(value instanceof Date ? value.toISOString() : value);
  }
}

function columnIsTextArray(field: FieldDefinition): boolean {
  return (field as { contents?: { type?: string } }).contents?.type === 'String';
}

/** A Polygon's `[lat, lng]` pairs as PostgreSQL `(lng, lat)` points, closed like parse-server closes it. */
function polygonText(coordinates: readonly (readonly [number, number])[]): string {
  const points = coordinates.map(([lat, lng]) => `(${lng},${lat})`);
  const first = coordinates[0];
  const last = coordinates[coordinates.length - 1];
  if (first && last && (first[0] !== last[0] || first[1] !== last[1]))
    points.push(`(${first[1]},${first[0]})`);
  return `(${points.join(',')})`;
}

function parsePoints(text: string): [number, number][] {
  const numbers = text.match(/-?\d+(?:\.\d+)?(?:e[-+]?\d+)?/gi)?.map(Number) ?? [];
  const points: [number, number][] = [];
  for (let i = 0; i + 1 < numbers.length; i += 2)
    points.push([numbers[i] as number, numbers[i + 1] as number]);
  return points;
}

/** Decodes one row by the class's field types. NULL columns are left out. */
export function decodeRow(row: Record<string, unknown>, schema: ClassSchema | undefined): StorageObject {
  const object: StorageObject = { objectId: String(row.objectId) };
  for (const name in row) {
    const raw = row[name];
    if (raw === null || raw === undefined || name === 'objectId' || isResultColumn(name)) continue;
    object[name] = decodeColumn(raw, storedFieldOf(schema, name));
  }
  return object;
}

/**
 * A column a statement adds to its rows for the adapter (`__count`, `__include_<field>`), never
 * a field: field names cannot start with `__`. Skipped here rather than deleted later, which
 * would leave each object in V8's slow dictionary mode.
 */
function isResultColumn(name: string): boolean {
  return name.charCodeAt(0) === 95 && name.charCodeAt(1) === 95;
}

/** Decodes one column value. */
export function decodeColumn(raw: unknown, field: FieldDefinition | undefined): StorageValue {
  switch (field?.type) {
    case 'Date':
      return raw instanceof Date ? raw : (parseUtcTimestamp(String(raw)) ?? new Date(String(raw)));
    case 'Pointer':
      return { __type: 'Pointer', className: field.targetClass ?? '', objectId: String(raw) };
    case 'File':
      return { __type: 'File', name: String(raw) };
    case 'Number':
      return typeof raw === 'number' ? raw : Number(raw);
    case 'GeoPoint': {
      const xy = raw as { x?: unknown; y?: unknown };
      const [point] =
        typeof xy.x === 'number' && typeof xy.y === 'number'
          ? [[xy.x, xy.y] as [number, number]]
          : parsePoints(String(raw));
      return { __type: 'GeoPoint', latitude: point?.[1] ?? 0, longitude: point?.[0] ?? 0 };
    }
    case 'Polygon': {
      const points = parsePoints(String(raw)).map(([lng, lat]) => [lat, lng] as [number, number]);
      return { __type: 'Polygon', coordinates: points };
    }
    case 'Object':
    case 'Array':
    case 'Bytes':
      return (typeof raw === 'string' ? JSON.parse(raw) : raw) as StorageValue;
    default:
      return raw as StorageValue;
  }
}
