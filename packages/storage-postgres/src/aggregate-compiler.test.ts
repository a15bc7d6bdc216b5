import type { AggregateStage, ClassSchema } from '@openparse/core';
import { DEFAULT_CLASS_LEVEL_PERMISSIONS } from '@openparse/core';
import { describe, expect, it } from 'vitest';
import { AggregateCompiler } from './aggregate-compiler.js';
import { TableNames } from './sql.js';

const SCORE: ClassSchema = {
  className: 'Score',
  fields: {
    player: { type: 'String' },
    score: { type: 'Number' },
    team: { type: 'Pointer', targetClass: 'Team' },
    when: { type: 'Date' },
  },
  classLevelPermissions: DEFAULT_CLASS_LEVEL_PERMISSIONS,
};
const context = {
  names: new TableNames('app'),
  schemaOf: (className: string) => (className === 'Score' ? SCORE : undefined),
};
const HOSTILE = `x'); DROP TABLE "Score"; --`;

function compile(pipeline: AggregateStage[]) {
  const compiler = new AggregateCompiler(context);
  return { sql: compiler.compile({ className: 'Score', pipeline }), params: compiler.params.values };
}

describe('AggregateCompiler', () => {
  it('compiles a pipeline into one statement with a CTE per stage, leading $match on the columns', () => {
    const { sql } = compile([
      {
        kind: 'match',
        where: { kind: 'compare', field: { name: 'score', path: [], type: 'Number' }, op: 'gt', value: 1 },
        onClass: true,
      },
      { kind: 'group', key: { kind: 'field', path: ['player'] }, fields: [] },
      { kind: 'limit', count: 3 },
    ]);
    expect(sql).toMatch(
      /^WITH s0 AS \(SELECT .* FROM "app"\."Score" WHERE "score" > \$\d+::float8\), s1 AS \(.*GROUP BY g\.key\), s2 AS \(.*LIMIT \$\d+::bigint\) SELECT p\.doc FROM s2 AS p ORDER BY p\.ord$/s,
    );
    expect(sql?.match(/SELECT/g)?.length).toBeGreaterThan(3);
  });

  it('passes every value, path and output name as a parameter', () => {
    const { sql, params } = compile([
      {
        kind: 'group',
        key: { kind: 'object', fields: [{ name: HOSTILE, value: { kind: 'field', path: [HOSTILE, 'b'] } }] },
        fields: [{ name: HOSTILE, accumulator: { op: 'push', of: { kind: 'literal', value: HOSTILE } } }],
      },
      {
        kind: 'match',
        where: {
          kind: 'regex',
          field: { name: HOSTILE, path: [], type: 'Object' },
          pattern: HOSTILE,
          flags: '',
        },
        onClass: false,
      },
      { kind: 'sort', keys: [{ path: [HOSTILE], descending: true }] },
      { kind: 'unwind', path: [HOSTILE], indexField: HOSTILE, preserveEmpty: true },
      { kind: 'project', mode: 'include', keys: [HOSTILE], excludeId: false, computed: [] },
      { kind: 'count', field: HOSTILE },
    ]);
    expect(sql).not.toContain('DROP TABLE');
    expect(params.some((value) => JSON.stringify(value).includes('DROP TABLE'))).toBe(true);
  });

  it('answers nothing for a class it does not know', () => {
    const compiler = new AggregateCompiler(context);
    expect(compiler.compile({ className: 'Nowhere', pipeline: [] })).toBeUndefined();
  });
});
