import type { ClassSchema, FieldDefinition } from '@openparse/core';
import { storedFieldOf } from './schema-json.js';
import { ident, literal, type Params } from './sql.js';

/** `jsonb_build_object` takes at most 100 arguments: objects are built in chunks joined by `||`. */
const PAIRS_PER_CALL = 50;

/** A timestamptz as Parse JSON's Date: the same text `Date.prototype.toISOString` writes. */
export function dateJson(sql: string): string {
  return `CASE WHEN ${sql} IS NULL THEN NULL ELSE jsonb_build_object('__type', 'Date', 'iso', to_char(${sql} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')) END`;
}

/** One column as a Parse JSON value, or undefined when the field cannot be read as a document value. */
function columnJson(column: string, field: FieldDefinition, params: Params): string | undefined {
  switch (field.type) {
    case 'String':
    case 'Number':
    case 'Boolean':
      return `to_jsonb(${column})`;
    case 'Date':
      return dateJson(column);
    case 'Pointer':
      return `CASE WHEN ${column} IS NULL THEN NULL ELSE jsonb_build_object('__type', 'Pointer', 'className', ${params.add(field.targetClass ?? '', 'text')}, 'objectId', ${column}) END`;
    case 'File':
      return `CASE WHEN ${column} IS NULL THEN NULL ELSE jsonb_build_object('__type', 'File', 'name', ${column}) END`;
    case 'GeoPoint':
      // Stored as (longitude, latitude).
      return `CASE WHEN ${column} IS NULL THEN NULL ELSE jsonb_build_object('__type', 'GeoPoint', 'latitude', ${column}[1], 'longitude', ${column}[0]) END`;
    case 'Array':
      return (field as { contents?: { type?: string } }).contents?.type === 'String'
        ? `to_jsonb(${column})`
        : column;
    case 'Object':
    case 'Bytes':
      return column;
    default:
      // Polygons have no cheap JSON form without PostGIS; relations and the ACL have no column.
      return undefined;
  }
}

/**
 * The SQL building a class's rows as pipeline documents (see core's `AggregateRequest`):
 * every readable column under its Parse name, missing values left out. `qualifier` prefixes
 * the columns (`f.`) where another relation is in scope.
 */
export function documentOf(schema: ClassSchema, params: Params, qualifier = ''): string {
  const names = new Set([
    'objectId',
    'createdAt',
    'updatedAt',
    ...Object.keys(schema.fields),
    '_rperm',
    '_wperm',
  ]);
  const pairs: [string, string][] = [];
  for (const name of names) {
    if (name.startsWith('_') && name !== '_rperm' && name !== '_wperm') continue;
    const field = storedFieldOf(schema, name);
    if (!field) continue;
    const json = columnJson(`${qualifier}${ident(name)}`, field, params);
    if (json !== undefined) pairs.push([name, json]);
  }
  const chunks: string[] = [];
  for (let at = 0; at < pairs.length; at += PAIRS_PER_CALL) {
    const chunk = pairs.slice(at, at + PAIRS_PER_CALL);
    chunks.push(`jsonb_build_object(${chunk.map(([name, json]) => `${literal(name)}, ${json}`).join(', ')})`);
  }
  // Absent fields are left out (MongoDB documents have no key for them), not answered as null.
  const nulls = pairs.map(
    ([name]) => `CASE WHEN ${qualifier}${ident(name)} IS NULL THEN ${literal(name)} END`,
  );
  return `((${chunks.join(' || ')}) - array_remove(ARRAY[${nulls.join(', ')}]::text[], NULL))`;
}
