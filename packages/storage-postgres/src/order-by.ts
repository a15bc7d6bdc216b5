import type { ClassSchema, ParseQuery, SortKey } from '@openparse/core';
import { resolveField } from './field-kinds.js';
import type { Params } from './sql.js';

/**
 * ` ORDER BY …` for the sort keys that can be ordered: fields the class lacks and geometric
 * columns are left out; `$score` orders by `rank` (most relevant first) when there is one.
 * `distance` (a `$nearSphere`'s distance, nearest first) comes before the keys.
 */
export function orderBy(
  sort: readonly SortKey[] | undefined,
  schema: ClassSchema | undefined,
  rank?: string,
  distance?: string,
): string {
  const keys: string[] = distance ? [distance] : [];
  for (const key of sort ?? []) {
    if (key.field === '$score') {
      if (rank) keys.push(`${rank} DESC`);
      continue;
    }
    const field = resolveField(key.field, schema);
    if (field.kind === 'missing' || field.kind === 'point' || field.kind === 'polygon') continue;
    keys.push(`${field.sql} ${key.descending ? 'DESC' : 'ASC'}`);
  }
  return keys.length > 0 ? ` ORDER BY ${keys.join(', ')}` : '';
}

/**
 * ` LIMIT n OFFSET …`. The limit is written into the statement: PostgreSQL plans a prepared
 * statement once (a generic plan) only when that plan's estimate is close to a plan made for
 * the actual values, and a limit it cannot see makes every ordered, limited read look costlier
 * than it is, so it was planned afresh on every execution. A page's limit takes few values;
 * the offset, which takes many, stays a parameter.
 */
export function limitOffset(query: Pick<ParseQuery, 'limit' | 'skip'>, params: Params): string {
  let sql = '';
  if (query.limit !== undefined) sql += ` LIMIT ${limitLiteral(query.limit)}`;
  if (query.skip) sql += ` OFFSET ${params.add(query.skip, 'int8')}`;
  return sql;
}

function limitLiteral(limit: number): string {
  // Core validates limits; this guards the statement text all the same.
  if (!Number.isSafeInteger(limit) || limit < 0) {
    throw new TypeError(`[storage-postgres] a limit must be a non-negative integer, got ${String(limit)}`);
  }
  return String(limit);
}
