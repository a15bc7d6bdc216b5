import type { ClassSchema, FieldDefinition, StorageObject, StorageValue } from '@openparse/core';
import { DEFAULT_CLASS_LEVEL_PERMISSIONS } from '@openparse/core';

/** Columns parse-server keeps on `_User` beyond its declared fields. */
export const USER_INTERNAL_COLUMNS: Readonly<Record<string, FieldDefinition>> = {
  _hashed_password: { type: 'String' },
  _email_verify_token_expires_at: { type: 'Date' },
  _email_verify_token: { type: 'String' },
  _account_lockout_expires_at: { type: 'Date' },
  _failed_login_count: { type: 'Number' },
  _perishable_token: { type: 'String' },
  _perishable_token_expires_at: { type: 'Date' },
  _password_changed_at: { type: 'Date' },
  _password_history: { type: 'Array' },
};

const PERMISSION_FIELD: FieldDefinition & { contents: { type: 'String' } } = {
  type: 'Array',
  contents: { type: 'String' },
};

/** The PostgreSQL column type parse-server uses for a Parse field, or undefined for relations. */
export function columnType(name: string, field: FieldDefinition): string | undefined {
  if (name === '_rperm' || name === '_wperm') return 'text[]';
  switch (field.type) {
    case 'String':
    case 'File':
    case 'Pointer':
      return 'text';
    case 'Date':
      return 'timestamp with time zone';
    case 'Object':
    case 'Array':
    case 'Bytes':
      return 'jsonb';
    case 'Boolean':
      return 'boolean';
    case 'Number':
      return 'double precision';
    case 'GeoPoint':
      return 'point';
    case 'Polygon':
      return 'polygon';
    case 'Relation':
    case 'ACL':
      return undefined;
  }
}

/** The name parse-server gives a relation's join table. */
export function joinTableName(className: string, field: string): string {
  return `_Join:${field}:${className}`;
}

/** Core's schema → the JSON parse-server stores in `_SCHEMA` (ACL as `_rperm`/`_wperm`). */
export function toStoredSchema(schema: ClassSchema): Record<string, unknown> {
  const fields: Record<string, unknown> = {};
  for (const [name, field] of Object.entries(schema.fields)) {
    if (field.type !== 'ACL') fields[name] = field;
  }
  fields._rperm = PERMISSION_FIELD;
  fields._wperm = PERMISSION_FIELD;
  if (schema.className === '_User') {
    fields._hashed_password = { type: 'String' };
    fields._password_history = { type: 'Array' };
  }
  return {
    className: schema.className,
    fields,
    classLevelPermissions: schema.classLevelPermissions,
    indexes: schema.indexes ?? {},
  };
}

/** A `_SCHEMA` row → core's schema (permission arrays shown as the ACL field, internals hidden). */
export function fromStoredSchema(className: string, stored: Record<string, unknown>): ClassSchema {
  const storedFields = (stored.fields ?? {}) as Record<string, FieldDefinition>;
  const fields: Record<string, FieldDefinition> = {};
  for (const [name, field] of Object.entries(storedFields)) {
    if (name === '_rperm' || name === '_wperm' || name === '_hashed_password' || name === '_password_history')
      continue;
    fields[name] = field;
  }
  fields.ACL = { type: 'ACL' };
  const clp = stored.classLevelPermissions as ClassSchema['classLevelPermissions'] | undefined;
  return {
    className,
    fields,
    classLevelPermissions: clp ?? DEFAULT_CLASS_LEVEL_PERMISSIONS,
    indexes: (stored.indexes ?? {}) as ClassSchema['indexes'],
  };
}

/** The SQL expression and parameters that store `value` in a column of `field`'s type. */
export function encodeForColumn(
  name: string,
  field: FieldDefinition | undefined,
  value: StorageValue,
  add: (value: unknown, cast?: string) => string,
): string {
  if (value === null) return 'NULL';
  if (name === '_rperm' || name === '_wperm') return add(value, 'text[]');
  switch (field?.type) {
    case 'Date':
      return add(value instanceof Date ? value.toISOString() : value, 'timestamptz');
    case 'Pointer':
      return add((value as { objectId: string }).objectId);
    case 'File':
      return add((value as { name: string }).name);
    case 'Object':
    case 'Array':
    case 'Bytes':
      return add(JSON.stringify(value), 'jsonb');
    case 'GeoPoint': {
      const point = value as { latitude: number; longitude: number };
      return `point(${add(point.longitude, 'float8')}, ${add(point.latitude, 'float8')})`;
    }
    case 'Polygon': {
      const coordinates = (value as { coordinates: readonly (readonly [number, number])[] }).coordinates;
      return add(polygonText(coordinates), 'polygon');
    }
    default:
      return add(value instanceof Date ? value.toISOString() : value);
  }
}

/** parse-server stores a Polygon's `[lat, lng]` pairs as PostgreSQL `(lng, lat)` points, closed. */
function polygonText(coordinates: readonly (readonly [number, number])[]): string {
  const points = coordinates.map(([lat, lng]) => `(${lng}, ${lat})`);
  const first = coordinates[0];
  const last = coordinates[coordinates.length - 1];
  if (first && last && (first[0] !== last[0] || first[1] !== last[1]))
    points.push(`(${first[1]}, ${first[0]})`);
  return `(${points.join(', ')})`;
}

function parsePoints(text: string): [number, number][] {
  const numbers = text.match(/-?\d+(?:\.\d+)?(?:e[-+]?\d+)?/gi)?.map(Number) ?? [];
  const points: [number, number][] = [];
  for (let i = 0; i + 1 < numbers.length; i += 2)
    points.push([numbers[i] as number, numbers[i + 1] as number]);
  return points;
}

/** Decodes one row into a stored object, by the class's field types. NULL columns are left out. */
export function decodeRow(row: Record<string, unknown>, schema: ClassSchema | undefined): StorageObject {
  const object: StorageObject = { objectId: String(row.objectId) };
  for (const [name, raw] of Object.entries(row)) {
    if (raw === null || raw === undefined || name === 'objectId') continue;
    const field = schema?.fields[name];
    object[name] = decodeColumn(raw, field);
  }
  return object;
}

function decodeColumn(raw: unknown, field: FieldDefinition | undefined): StorageValue {
  switch (field?.type) {
    case 'Date':
      return raw instanceof Date ? raw : new Date(String(raw));
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
    default:
      return raw as StorageValue;
  }
}
