import type { ClassSchema, FieldUpdate, ObjectUpdate } from '@openparse/core';
import { ParseError, ParseErrorCode } from '@openparse/core';
import { storedFieldOf } from './schema-json.js';
import { ident, type Params, pathLiteral } from './sql.js';
import { encodeForColumn, jsonOf } from './values.js';

/**
 * Compiles an update into `SET` assignments. Array operations run inside the database so
 * that concurrent updates never lose each other's items.
 */
export function compileUpdate(update: ObjectUpdate, schema: ClassSchema | undefined, params: Params): string {
  const assignments: string[] = [];
  const nested = new Map<string, [string[], FieldUpdate][]>();
  for (const [key, change] of Object.entries(update)) {
    const [root = key, ...path] = key.split('.');
    if (path.length > 0) {
      const list = nested.get(root) ?? [];
      list.push([path, change]);
      nested.set(root, list);
      continue;
    }
    assignments.push(`${ident(root)} = ${assignment(root, change, schema, params)}`);
  }
  for (const [root, changes] of nested) {
    let expression = `COALESCE(${ident(root)}, '{}'::jsonb)`;
    for (const [path, change] of changes) {
      const at = pathLiteral(path);
      switch (change.op) {
        case 'set':
          expression = `jsonb_set(${expression}, ${at}, ${params.add(JSON.stringify(jsonOf(change.value)), 'jsonb')}, true)`;
          break;
        case 'unset':
          expression = `(${expression} #- ${at})`;
          break;
        case 'increment':
          expression = `jsonb_set(${expression}, ${at}, to_jsonb(COALESCE((${expression} #>> ${at})::float8, 0) + ${params.add(change.amount, 'float8')}), true)`;
          break;
        default:
          throw new ParseError(ParseErrorCode.INVALID_JSON, `${change.op} is not supported on a nested key`);
      }
    }
    assignments.push(`${ident(root)} = ${expression}`);
  }
  return assignments.join(', ');
}

function assignment(
  name: string,
  change: FieldUpdate,
  schema: ClassSchema | undefined,
  params: Params,
): string {
  const column = ident(name);
  const field = storedFieldOf(schema, name);
  const add = (value: unknown, cast?: string) => params.add(value, cast);
  switch (change.op) {
    case 'set':
      return encodeForColumn(name, field, change.value, add);
    case 'unset':
      return 'NULL';
    case 'increment':
      return `COALESCE(${column}, 0) + ${params.add(change.amount, 'float8')}`;
    case 'add':
      return `COALESCE(${column}, '[]'::jsonb) || ${params.add(JSON.stringify(change.items.map(jsonOf)), 'jsonb')}`;
    case 'addUnique': {
      const items = params.add(JSON.stringify(change.items.map(jsonOf)), 'jsonb');
      return `COALESCE(${column}, '[]'::jsonb) || COALESCE((SELECT jsonb_agg(item ORDER BY position) FROM (
        SELECT DISTINCT ON (item) item, position FROM jsonb_array_elements(${items}) WITH ORDINALITY AS t(item, position)
        WHERE NOT EXISTS (SELECT 1 FROM jsonb_array_elements(COALESCE(${column}, '[]'::jsonb)) AS e(existing) WHERE existing = item)
        ORDER BY item, position) AS fresh), '[]'::jsonb)`;
    }
    case 'remove': {
      const items = params.add(JSON.stringify(change.items.map(jsonOf)), 'jsonb');
      return `COALESCE((SELECT jsonb_agg(item ORDER BY position) FROM jsonb_array_elements(COALESCE(${column}, '[]'::jsonb)) WITH ORDINALITY AS t(item, position)
        WHERE NOT EXISTS (SELECT 1 FROM jsonb_array_elements(${items}) AS r(removed) WHERE removed = item)), '[]'::jsonb)`;
    }
  }
}
