import type { ClassSchema, FieldDefinition, FieldRef, StorageValue } from '@openparse/core';
import { storedFieldOf } from './schema-json.js';
import { ident, pathLiteral } from './sql.js';

/**
 * How a field is stored, which decides how each operator compiles:
 * - `scalar`: a text / double / boolean / timestamptz column, compared with a typed parameter;
 * - `json`: a jsonb Object or Bytes column;
 * - `jsonArray`: a jsonb Array column (Mongo's "array contains" semantics apply);
 * - `jsonPath`: a value inside a jsonb column (`a.b`), any JSON type;
 * - `textArray`: a `text[]` column (`_rperm`, `_wperm`);
 * - `point` / `polygon`: geometric columns;
 * - `missing`: the class has no such column, so every object lacks the field.
 */
export type FieldKind =
  | 'scalar'
  | 'json'
  | 'jsonArray'
  | 'jsonPath'
  | 'textArray'
  | 'point'
  | 'polygon'
  | 'missing';

/** A field resolved against its class: the SQL expression, its kind and, for scalars, the cast. */
export interface ResolvedField {
  readonly kind: FieldKind;
  /** The column, or `column #> path` for jsonPath. */
  readonly sql: string;
  /** `column #>> path`: the value as text (jsonPath only). */
  readonly textSql: string;
  /** The PostgreSQL type parameters are cast to (scalar kinds). */
  readonly cast: string;
}

const SCALAR_CASTS: Readonly<Record<string, string>> = {
  String: 'text',
  Pointer: 'text',
  File: 'text',
  Number: 'float8',
  Boolean: 'boolean',
  Date: 'timestamptz',
};

/** The cast a value implies when the schema cannot tell (internal `_User` columns, say). */
function castOfValue(value: StorageValue | undefined): string {
  if (typeof value === 'number') return 'float8';
  if (typeof value === 'boolean') return 'boolean';
  if (value instanceof Date) return 'timestamptz';
  return 'text';
}

function definitionOf(field: FieldRef, schema: ClassSchema | undefined): FieldDefinition | undefined {
  const stored = storedFieldOf(schema, field.name);
  if (stored) return stored;
  if (schema === undefined && field.type && field.type !== 'ACL' && field.type !== 'Relation') {
    return field.targetClass ? { type: field.type, targetClass: field.targetClass } : { type: field.type };
  }
  return undefined;
}

/**
 * Resolves `field` against `schema` (the class being queried; undefined when it is unknown).
 * `sample` is a value the field is compared with, used only when nothing else tells the type.
 */
export function resolveField(
  field: FieldRef,
  schema: ClassSchema | undefined,
  sample?: StorageValue,
): ResolvedField {
  const column = ident(field.name);
  const definition = definitionOf(field, schema);
  if (!definition) {
    // Internal columns (`_perishable_token`…) of a class we know nothing about: trust the value.
    const internal = field.name.startsWith('_') && schema === undefined;
    if (!internal || field.path.length > 0)
      return { kind: 'missing', sql: 'NULL', textSql: 'NULL', cast: 'text' };
    return { kind: 'scalar', sql: column, textSql: column, cast: castOfValue(sample) };
  }
  if (field.path.length > 0) {
    const path = pathLiteral(field.path);
    if (definition.type !== 'Object') return { kind: 'missing', sql: 'NULL', textSql: 'NULL', cast: 'text' };
    return { kind: 'jsonPath', sql: `${column}#>${path}`, textSql: `${column}#>>${path}`, cast: 'jsonb' };
  }
  if (field.name === '_rperm' || field.name === '_wperm') {
    return { kind: 'textArray', sql: column, textSql: column, cast: 'text[]' };
  }
  const cast = SCALAR_CASTS[definition.type];
  if (cast) return { kind: 'scalar', sql: column, textSql: column, cast };
  switch (definition.type) {
    case 'Array':
      return (definition as { contents?: { type?: string } }).contents?.type === 'String'
        ? { kind: 'textArray', sql: column, textSql: column, cast: 'text[]' }
        : { kind: 'jsonArray', sql: column, textSql: column, cast: 'jsonb' };
    case 'GeoPoint':
      return { kind: 'point', sql: column, textSql: column, cast: 'point' };
    case 'Polygon':
      return { kind: 'polygon', sql: column, textSql: column, cast: 'polygon' };
    default:
      return { kind: 'json', sql: column, textSql: column, cast: 'jsonb' };
  }
}
