import type { ClassSchema, Condition, FieldRef } from '@openparse/core';
import { DEFAULT_CLASS_LEVEL_PERMISSIONS, ParseErrorCode } from '@openparse/core';
import { describe, expect, it } from 'vitest';
import { ConditionCompiler } from './condition-compiler.js';
import type { GeoSupport } from './geo-support.js';
import { Params, TableNames } from './sql.js';

const SCHEMAS: Record<string, ClassSchema> = {
  GameScore: {
    className: 'GameScore',
    fields: {
      objectId: { type: 'String' },
      score: { type: 'Number' },
      name: { type: 'String' },
      tags: { type: 'Array' },
      meta: { type: 'Object' },
      player: { type: 'Pointer', targetClass: 'Player' },
      spot: { type: 'GeoPoint' },
      fans: { type: 'Relation', targetClass: '_User' },
    },
    classLevelPermissions: DEFAULT_CLASS_LEVEL_PERMISSIONS,
  },
  Player: {
    className: 'Player',
    fields: { objectId: { type: 'String' }, team: { type: 'String' } },
    classLevelPermissions: DEFAULT_CLASS_LEVEL_PERMISSIONS,
  },
};

const ref = (name: string, path: string[] = []): FieldRef => ({
  name,
  path,
  type: SCHEMAS.GameScore?.fields[name]?.type,
});

function compile(
  condition: Condition,
  databaseSchema?: string,
  geo?: () => GeoSupport,
): { sql: string; values: unknown[] } {
  const params = new Params();
  const context = {
    names: new TableNames(databaseSchema),
    schemaOf: (name: string) => SCHEMAS[name],
    ...(geo ? { geo } : {}),
  };
  const sql = new ConditionCompiler(context, params, 'GameScore').compile(condition);
  return { sql, values: params.values };
}

describe('ConditionCompiler', () => {
  it('passes values as typed parameters, never inline', () => {
    expect(compile({ kind: 'compare', field: ref('name'), op: 'eq', value: "x'; DROP TABLE t; --" })).toEqual(
      {
        sql: '"name" = $1::text',
        values: ["x'; DROP TABLE t; --"],
      },
    );
    expect(compile({ kind: 'compare', field: ref('score'), op: 'gte', value: 3 }).sql).toBe(
      '"score" >= $1::float8',
    );
  });

  it('ne keeps missing values; eq null is IS NULL', () => {
    expect(compile({ kind: 'compare', field: ref('score'), op: 'ne', value: 3 }).sql).toBe(
      '("score" IS NULL OR NOT "score" = $1::float8)',
    );
    expect(compile({ kind: 'compare', field: ref('score'), op: 'eq', value: null }).sql).toBe(
      '"score" IS NULL',
    );
  });

  it('pointers compare by objectId', () => {
    const value = { __type: 'Pointer', className: 'Player', objectId: 'p1' } as const;
    expect(compile({ kind: 'compare', field: ref('player'), op: 'eq', value })).toEqual({
      sql: '"player" = $1::text',
      values: ['p1'],
    });
  });

  it('a scalar on an Array field is containment; an array is equality', () => {
    expect(compile({ kind: 'compare', field: ref('tags'), op: 'eq', value: 'a' })).toEqual({
      sql: '"tags" @> $1::jsonb',
      values: ['["a"]'],
    });
    expect(compile({ kind: 'compare', field: ref('tags'), op: 'eq', value: ['a'] }).sql).toBe(
      '"tags" = $1::jsonb',
    );
  });

  it('dot paths read jsonb, comparing like with like', () => {
    expect(compile({ kind: 'compare', field: ref('meta', ['a', 'b']), op: 'gt', value: 1 })).toEqual({
      sql: `(jsonb_typeof("meta"#>'{"a","b"}') = jsonb_typeof($1::jsonb) AND "meta"#>'{"a","b"}' > $1::jsonb)`,
      values: ['1'],
    });
  });

  it('fields the class lacks are missing on every object', () => {
    const missing: FieldRef = { name: 'nope', path: [], type: undefined };
    expect(compile({ kind: 'compare', field: missing, op: 'eq', value: 1 }).sql).toBe('FALSE');
    expect(compile({ kind: 'compare', field: missing, op: 'ne', value: 1 }).sql).toBe('TRUE');
    expect(compile({ kind: 'exists', field: missing, exists: false }).sql).toBe('TRUE');
    expect(compile({ kind: 'in', field: missing, values: [1], negated: true }).sql).toBe('TRUE');
  });

  it('acl uses array overlap and treats a missing array as public', () => {
    expect(compile({ kind: 'acl', access: 'read', principals: ['*', 'u1'] })).toEqual({
      sql: '("_rperm" IS NULL OR "_rperm" && $1::text[])',
      values: ['{"*","u1"}'],
    });
  });

  it('acl principals become one text[] literal, quoted and escaped, made once per list', () => {
    const principals = ['*', 'role:a"b', 'role:c\\d'];
    const first = compile({ kind: 'acl', access: 'write', principals });
    expect(first).toEqual({
      sql: '("_wperm" IS NULL OR "_wperm" && $1::text[])',
      values: ['{"*","role:a\\"b","role:c\\\\d"}'],
    });
    expect(compile({ kind: 'acl', access: 'read', principals }).values[0]).toBe(first.values[0]);
  });

  it('inQuery is a subquery of the same statement, on qualified tables', () => {
    const query = {
      className: 'Player',
      where: { kind: 'compare', field: { name: 'team', path: [], type: 'String' }, op: 'eq', value: 'red' },
    } as const;
    expect(compile({ kind: 'inQuery', field: ref('player'), query, negated: false }, 'app')).toEqual({
      sql: '"player" IN (SELECT "objectId" FROM "app"."Player" WHERE "team" = $1::text AND "objectId" IS NOT NULL)',
      values: ['red'],
    });
  });

  it('relatedTo reads the join table', () => {
    const owner = { __type: 'Pointer', className: 'GameScore', objectId: 'g1' } as const;
    expect(compile({ kind: 'relatedTo', owner, key: 'fans' }).sql).toBe(
      '"objectId" IN (SELECT "relatedId" FROM "_Join:fans:GameScore" WHERE "owningId" = $1::text)',
    );
  });

  it('geo conditions compile to parameters: the sphere through earthdistance, boxes and polygons flat', () => {
    const point = (latitude: number, longitude: number) =>
      ({ __type: 'GeoPoint', latitude, longitude }) as const;
    expect(
      compile({
        kind: 'nearSphere',
        field: ref('spot'),
        point: point(1, 2),
        maxDistanceRadians: 0.5,
        sortByDistance: true,
      }),
    ).toEqual({
      sql: '(earth_box(ll_to_earth($2::float8, $1::float8), ($3::float8 * earth())) @> ll_to_earth("spot"[1], "spot"[0]) AND earth_distance(ll_to_earth($2::float8, $1::float8), ll_to_earth("spot"[1], "spot"[0])) <= ($3::float8 * earth()))',
      values: [2, 1, 0.5],
    });
    expect(
      compile({ kind: 'nearSphere', field: ref('spot'), point: point(1, 2), sortByDistance: true }).sql,
    ).toBe('"spot" IS NOT NULL');
    expect(
      compile({ kind: 'withinBox', field: ref('spot'), southwest: point(1, 2), northeast: point(3, 4) }),
    ).toEqual({
      sql: '"spot" <@ box(point($1::float8, $2::float8), point($3::float8, $4::float8))',
      values: [2, 1, 4, 3],
    });
    expect(
      compile({
        kind: 'withinPolygon',
        field: ref('spot'),
        polygon: [point(0, 0), point(0, 1), point(1, 0)],
      }),
    ).toEqual({ sql: '"spot" <@ $1::polygon', values: ['((0,0),(1,0),(0,1))'] });
    expect(
      compile({ kind: 'withinBox', field: ref('nowhere'), southwest: point(1, 2), northeast: point(3, 4) })
        .sql,
    ).toBe('FALSE');
  });

  it('spherical conditions name the missing extensions; flat ones do not need them', () => {
    const missing = () =>
      ({ available: false, reason: 'permission denied to create extension "cube"' }) as const;
    const point = { __type: 'GeoPoint', latitude: 0, longitude: 0 } as const;
    expect(() =>
      compile(
        { kind: 'withinCenterSphere', field: ref('spot'), center: point, radiusRadians: 1 },
        undefined,
        missing,
      ),
    ).toThrow(
      expect.objectContaining({
        code: ParseErrorCode.INTERNAL_SERVER_ERROR,
        message: expect.stringContaining('permission denied to create extension "cube"'),
      }),
    );
    expect(
      compile(
        { kind: 'withinBox', field: ref('spot'), southwest: point, northeast: point },
        undefined,
        missing,
      ).sql,
    ).toContain('<@ box');
  });
});
