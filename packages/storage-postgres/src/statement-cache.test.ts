import type { ClassSchema, Condition, ParseQuery } from '@openparse/core';
import { DEFAULT_CLASS_LEVEL_PERMISSIONS } from '@openparse/core';
import { describe, expect, it } from 'vitest';
import { StatementCache } from './statement-cache.js';

const schema: ClassSchema = {
  className: 'GameScore',
  fields: { objectId: { type: 'String' }, score: { type: 'Number' }, name: { type: 'String' } },
  classLevelPermissions: DEFAULT_CLASS_LEVEL_PERMISSIONS,
};

const field = (name: string) => ({ name, path: [], type: schema.fields[name]?.type });
const compare = (name: string, op: 'eq' | 'ne' | 'gte', value: unknown): Condition =>
  ({ kind: 'compare', field: field(name), op, value }) as Condition;
const acl: Condition = { kind: 'acl', access: 'read', principals: ['*', 'u1'] };

function query(where: Condition, extra: Partial<ParseQuery> = {}): ParseQuery {
  return { className: 'GameScore', where, limit: 20, ...extra };
}

/** What the compiler produced for `byScore(5)`: its statement, its parameters in order. */
const SQL =
  'SELECT * FROM "GameScore" WHERE ("score" >= $1::float8 AND ("_rperm" IS NULL OR "_rperm" && $2::text[])) LIMIT $3::int8';
const byScore = (score: number) => query({ kind: 'and', conditions: [compare('score', 'gte', score), acl] });

describe('StatementCache', () => {
  it('answers a remembered shape with the new query values as parameters', () => {
    const cache = new StatementCache();
    expect(cache.lookup(byScore(5), schema, false)).toBeUndefined();
    cache.remember(byScore(5), schema, false, SQL, [5, '{"*","u1"}', 20]);
    expect(cache.lookup(byScore(7), schema, false)).toEqual({ sql: SQL, values: [7, '{"*","u1"}', 20] });
    expect(cache.lookup({ ...byScore(7), limit: 3 }, schema, false)?.values).toEqual([7, '{"*","u1"}', 3]);
  });

  it('keeps shapes apart: operators, fields, value types, sort, paging, count and the select list', () => {
    const cache = new StatementCache();
    cache.remember(byScore(5), schema, false, SQL, [5, '{"*","u1"}', 20]);
    const others: ParseQuery[] = [
      query({ kind: 'and', conditions: [compare('score', 'eq', 5), acl] }),
      query({ kind: 'and', conditions: [compare('name', 'gte', 5), acl] }),
      query({ kind: 'and', conditions: [compare('score', 'gte', '5'), acl] }),
      query({ kind: 'and', conditions: [acl, compare('score', 'gte', 5)] }),
      query({ kind: 'or', conditions: [compare('score', 'gte', 5), acl] }),
      { ...byScore(5), sort: [{ field: field('score'), descending: true }] },
      { ...byScore(5), skip: 10 },
      { ...byScore(5), limit: undefined },
      { ...byScore(5), keys: ['score'] },
    ];
    for (const other of others) expect(cache.lookup(other, schema, false)).toBeUndefined();
    expect(cache.lookup(byScore(5), schema, true)).toBeUndefined();
  });

  it('forgets a shape compiled for another schema object (the schema changed)', () => {
    const cache = new StatementCache();
    cache.remember(byScore(5), schema, false, SQL, [5, '{"*","u1"}', 20]);
    expect(cache.lookup(byScore(5), { ...schema }, false)).toBeUndefined();
    expect(cache.lookup(byScore(5), undefined, false)).toBeUndefined();
  });

  it('remembers only statements whose parameters are the query values, unchanged and in order', () => {
    const cache = new StatementCache();
    // A value the compiler turned into something else (JSON text for a jsonb column, say).
    cache.remember(byScore(5), schema, false, SQL, ['5', '{"*","u1"}', 20]);
    // A value the compiler left out of the parameters (a field the class lacks compiles to FALSE).
    cache.remember(byScore(5), schema, false, SQL, ['{"*","u1"}', 20]);
    expect(cache.lookup(byScore(5), schema, false)).toBeUndefined();
  });

  it('never remembers shapes whose statement can depend on the values', () => {
    const cache = new StatementCache();
    const pointer = { __type: 'Pointer', className: 'Player', objectId: 'p1' };
    const refused: ParseQuery[] = [
      query(compare('score', 'eq', null)),
      query(compare('name', 'eq', pointer)),
      query(compare('score', 'eq', new Date())),
      query({ kind: 'in', field: field('score'), values: [1, 2], negated: false }),
      query({ kind: 'compare', field: { name: 'meta', path: ['a'], type: 'Object' }, op: 'eq', value: 1 }),
      {
        ...query(compare('score', 'eq', 1)),
        include: [{ field: 'player', className: 'Player', where: acl }],
      },
    ];
    for (const refusedQuery of refused) {
      cache.remember(refusedQuery, schema, false, 'SELECT 1', [refusedQuery.limit]);
      expect(cache.lookup(refusedQuery, schema, false)).toBeUndefined();
    }
  });
});
