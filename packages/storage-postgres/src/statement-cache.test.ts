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
  'SELECT * FROM "GameScore" WHERE ("score" >= $1::float8 AND ("_rperm" IS NULL OR "_rperm" && $2::text[])) LIMIT 20';
const byScore = (score: number) => query({ kind: 'and', conditions: [compare('score', 'gte', score), acl] });

describe('StatementCache', () => {
  it('answers a remembered shape with the new query values as parameters', () => {
    const cache = new StatementCache();
    expect(cache.lookup(byScore(5), schema, 'page')).toBeUndefined();
    cache.remember(byScore(5), schema, 'page', SQL, [5, '{"*","u1"}']);
    expect(cache.lookup(byScore(7), schema, 'page')).toEqual({ sql: SQL, values: [7, '{"*","u1"}'] });
    // The offset is a parameter (after the condition's), the limit part of the statement.
    const paged = `${SQL} OFFSET $3::int8`;
    cache.remember({ ...byScore(5), skip: 40 }, schema, 'page', paged, [5, '{"*","u1"}', 40]);
    expect(cache.lookup({ ...byScore(8), skip: 60 }, schema, 'page')).toEqual({
      sql: paged,
      values: [8, '{"*","u1"}', 60],
    });
  });

  it('keeps shapes apart: operators, fields, value types, sort, paging, count and the select list', () => {
    const cache = new StatementCache();
    cache.remember(byScore(5), schema, 'page', SQL, [5, '{"*","u1"}']);
    const others: ParseQuery[] = [
      query({ kind: 'and', conditions: [compare('score', 'eq', 5), acl] }),
      query({ kind: 'and', conditions: [compare('name', 'gte', 5), acl] }),
      query({ kind: 'and', conditions: [compare('score', 'gte', '5'), acl] }),
      query({ kind: 'and', conditions: [acl, compare('score', 'gte', 5)] }),
      query({ kind: 'or', conditions: [compare('score', 'gte', 5), acl] }),
      { ...byScore(5), sort: [{ field: field('score'), descending: true }] },
      { ...byScore(5), skip: 10 },
      { ...byScore(5), limit: undefined },
      { ...byScore(5), limit: 21 },
      { ...byScore(5), keys: ['score'] },
    ];
    for (const other of others) expect(cache.lookup(other, schema, 'page')).toBeUndefined();
    expect(cache.lookup(byScore(5), schema, 'pageAndCount')).toBeUndefined();
  });

  it('remembers counts apart from pages, whatever their paging, sort or keys', () => {
    const cache = new StatementCache();
    const COUNT =
      'SELECT count(*)::int AS count FROM "GameScore" WHERE ("score" >= $1::float8 AND ("_rperm" IS NULL OR "_rperm" && $2::text[]))';
    cache.remember(byScore(5), schema, 'count', COUNT, [5, '{"*","u1"}']);
    expect(cache.lookup(byScore(5), schema, 'page')).toBeUndefined();
    const other = {
      ...byScore(9),
      limit: 0,
      skip: 4,
      keys: ['name'],
      sort: [{ field: field('name'), descending: false }],
    };
    expect(cache.lookup(other, schema, 'count')).toEqual({ sql: COUNT, values: [9, '{"*","u1"}'] });
  });

  it('forgets a shape compiled for another schema object (the schema changed)', () => {
    const cache = new StatementCache();
    cache.remember(byScore(5), schema, 'page', SQL, [5, '{"*","u1"}']);
    expect(cache.lookup(byScore(5), { ...schema }, 'page')).toBeUndefined();
    expect(cache.lookup(byScore(5), undefined, 'page')).toBeUndefined();
  });

  it('remembers only statements whose parameters are the query values, unchanged and in order', () => {
    const cache = new StatementCache();
    // A value the compiler turned into something else (JSON text for a jsonb column, say).
    cache.remember(byScore(5), schema, 'page', SQL, ['5', '{"*","u1"}']);
    // A value the compiler left out of the parameters (a field the class lacks compiles to FALSE).
    cache.remember(byScore(5), schema, 'page', SQL, ['{"*","u1"}']);
    expect(cache.lookup(byScore(5), schema, 'page')).toBeUndefined();
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
      cache.remember(refusedQuery, schema, 'page', 'SELECT 1', [refusedQuery.limit]);
      expect(cache.lookup(refusedQuery, schema, 'page')).toBeUndefined();
    }
  });
});
