import type { AggregateExpression, AggregateStage, StorageAdapter } from '@openparse/core';
import { expect } from 'vitest';
import { createClass, object, ref } from './fixtures.js';
import type { StorageHarness } from './harness.js';

const field = (...path: string[]): AggregateExpression => ({ kind: 'field', path });
const team = (objectId: string) => ({ __type: 'Pointer', className: 'Team', objectId }) as const;
const date = (iso: string) => ({ __type: 'Date', iso });

/**
 * Four scores: ann twice for the Reds, bob once for the Blues, and cat with only a name.
 * 2024-01-07 is a Sunday, 2024-02-14 a Wednesday, 2024-02-20 a Tuesday.
 */
async function seedScores(adapter: StorageAdapter): Promise<void> {
  await createClass(adapter, 'Team', { name: { type: 'String' } });
  await createClass(adapter, 'Score', {
    player: { type: 'String' },
    score: { type: 'Number' },
    team: { type: 'Pointer', targetClass: 'Team' },
    when: { type: 'Date' },
    tags: { type: 'Array' },
    meta: { type: 'Object' },
  });
  await adapter.createObject('Team', object({ objectId: 'reds', name: 'Reds' }));
  await adapter.createObject('Team', object({ objectId: 'blues', name: 'Blues' }));
  const rows = [
    {
      objectId: 'a',
      player: 'ann',
      score: 10,
      team: team('reds'),
      when: new Date('2024-01-07T10:30:15.250Z'),
      tags: ['x', 'y'],
      meta: { level: 1 },
    },
    {
      objectId: 'b',
      player: 'bob',
      score: 20,
      team: team('blues'),
      when: new Date('2024-02-14T08:00:00.000Z'),
      tags: ['y'],
    },
    {
      objectId: 'c',
      player: 'ann',
      score: 30,
      team: team('reds'),
      when: new Date('2024-02-20T23:59:59.000Z'),
      tags: [],
    },
    { objectId: 'd', player: 'cat' },
  ];
  for (const row of rows) await adapter.createObject('Score', object(row));
}

async function run(adapter: StorageAdapter, pipeline: AggregateStage[]): Promise<Record<string, unknown>[]> {
  const rows = await adapter.aggregate?.({ className: 'Score', pipeline });
  if (!rows) throw new Error('aggregate() is missing although capabilities.aggregate is true');
  return rows;
}

const byScore: AggregateStage = { kind: 'sort', keys: [{ path: ['score'], descending: false }] };
const byId: AggregateStage = { kind: 'sort', keys: [{ path: ['objectId'], descending: false }] };

/** Aggregation pipelines (`capabilities.aggregate`). */
export function aggregateTests({ test }: StorageHarness): void {
  test('aggregate.group-count', 'a $group stage with a null key counts every object', async (adapter) => {
    await seedScores(adapter);
    const rows = await run(adapter, [
      {
        kind: 'group',
        key: { kind: 'literal', value: null },
        fields: [{ name: 'total', accumulator: { op: 'sum', of: { kind: 'literal', value: 1 } } }],
      },
    ]);
    expect(rows).toEqual([{ objectId: null, total: 4 }]);
  });

  test(
    'aggregate.documents',
    'documents hold Parse JSON: dates, pointers and arrays; missing fields are left out',
    async (adapter) => {
      await seedScores(adapter);
      const rows = await run(adapter, [byId]);
      expect(rows.map((row) => row.objectId)).toEqual(['a', 'b', 'c', 'd']);
      expect(rows[0]).toMatchObject({
        objectId: 'a',
        player: 'ann',
        score: 10,
        team: team('reds'),
        when: date('2024-01-07T10:30:15.250Z'),
        tags: ['x', 'y'],
        meta: { level: 1 },
        createdAt: { __type: 'Date', iso: expect.any(String) },
      });
      expect(Object.keys(rows[3] ?? {}).sort()).toEqual(['createdAt', 'objectId', 'player', 'updatedAt']);
    },
  );

  test(
    'aggregate.group-accumulators',
    '$sum, $avg, $min, $max, $push, $addToSet, $first, $last and $count per group',
    async (adapter) => {
      await seedScores(adapter);
      const rows = await run(adapter, [
        byScore,
        {
          kind: 'group',
          key: field('player'),
          fields: [
            { name: 'total', accumulator: { op: 'sum', of: field('score') } },
            { name: 'mean', accumulator: { op: 'avg', of: field('score') } },
            { name: 'low', accumulator: { op: 'min', of: field('score') } },
            { name: 'high', accumulator: { op: 'max', of: field('score') } },
            { name: 'scores', accumulator: { op: 'push', of: field('score') } },
            { name: 'tags', accumulator: { op: 'addToSet', of: field('tags') } },
            { name: 'first', accumulator: { op: 'first', of: field('score') } },
            { name: 'last', accumulator: { op: 'last', of: field('score') } },
            { name: 'n', accumulator: { op: 'count' } },
          ],
        },
        byId,
      ]);
      expect(rows).toEqual([
        {
          objectId: 'ann',
          total: 40,
          mean: 20,
          low: 10,
          high: 30,
          scores: [10, 30],
          tags: expect.arrayContaining([['x', 'y'], []]),
          first: 10,
          last: 30,
          n: 2,
        },
        {
          objectId: 'bob',
          total: 20,
          mean: 20,
          low: 20,
          high: 20,
          scores: [20],
          tags: [['y']],
          first: 20,
          last: 20,
          n: 1,
        },
        {
          objectId: 'cat',
          total: 0,
          mean: null,
          low: null,
          high: null,
          scores: [],
          tags: [],
          first: null,
          last: null,
          n: 1,
        },
      ]);
    },
  );

  test(
    'aggregate.group-pointer',
    'grouping by a Pointer field groups by, and answers, its objectId',
    async (adapter) => {
      await seedScores(adapter);
      const rows = await run(adapter, [
        {
          kind: 'group',
          key: field('team'),
          fields: [{ name: 'total', accumulator: { op: 'sum', of: field('score') } }],
        },
        byId,
      ]);
      expect(rows).toEqual([
        { objectId: null, total: 0 },
        { objectId: 'blues', total: 20 },
        { objectId: 'reds', total: 40 },
      ]);
    },
  );

  test(
    'aggregate.group-date-parts',
    'date operators group by the UTC year, month, day, weekday and week',
    async (adapter) => {
      await seedScores(adapter);
      const part = (
        name:
          | 'year'
          | 'month'
          | 'dayOfMonth'
          | 'dayOfWeek'
          | 'week'
          | 'hour'
          | 'second'
          | 'millisecond'
          | 'dayOfYear'
          | 'isoWeek',
      ) => ({ name, value: { kind: 'datePart', part: name, of: field('when') } }) as const;
      const rows = await run(adapter, [
        { kind: 'match', where: { kind: 'exists', field: ref('when', 'Date'), exists: true }, onClass: true },
        {
          kind: 'project',
          mode: 'include',
          keys: [],
          excludeId: false,
          computed: [
            'year',
            'month',
            'dayOfMonth',
            'dayOfWeek',
            'week',
            'hour',
            'second',
            'millisecond',
            'dayOfYear',
            'isoWeek',
          ].map((name) => part(name as 'year')),
        },
        byId,
      ]);
      expect(rows).toEqual([
        {
          objectId: 'a',
          year: 2024,
          month: 1,
          dayOfMonth: 7,
          dayOfWeek: 1,
          week: 1,
          hour: 10,
          second: 15,
          millisecond: 250,
          dayOfYear: 7,
          isoWeek: 1,
        },
        {
          objectId: 'b',
          year: 2024,
          month: 2,
          dayOfMonth: 14,
          dayOfWeek: 4,
          week: 6,
          hour: 8,
          second: 0,
          millisecond: 0,
          dayOfYear: 45,
          isoWeek: 7,
        },
        {
          objectId: 'c',
          year: 2024,
          month: 2,
          dayOfMonth: 20,
          dayOfWeek: 3,
          week: 7,
          hour: 23,
          second: 59,
          millisecond: 0,
          dayOfYear: 51,
          isoWeek: 8,
        },
      ]);
      const months = await run(adapter, [
        {
          kind: 'group',
          key: {
            kind: 'object',
            fields: [
              { name: 'year', value: { kind: 'datePart', part: 'year', of: field('when') } },
              { name: 'month', value: { kind: 'datePart', part: 'month', of: field('when') } },
            ],
          },
          fields: [{ name: 'n', accumulator: { op: 'sum', of: { kind: 'literal', value: 1 } } }],
        },
        { kind: 'sort', keys: [{ path: ['objectId', 'month'], descending: false }] },
      ]);
      expect(months).toEqual([
        { objectId: { year: null, month: null }, n: 1 },
        { objectId: { year: 2024, month: 1 }, n: 1 },
        { objectId: { year: 2024, month: 2 }, n: 2 },
      ]);
    },
  );

  test(
    'aggregate.match-class',
    'a leading match uses the query language on the class: pointers, dates, $in, $or',
    async (adapter) => {
      await seedScores(adapter);
      const teamRef = ref('team', 'Pointer', [], 'Team');
      const rows = await run(adapter, [
        {
          kind: 'match',
          where: {
            kind: 'and',
            conditions: [
              { kind: 'compare', field: teamRef, op: 'eq', value: team('reds') },
              {
                kind: 'compare',
                field: ref('when', 'Date'),
                op: 'gt',
                value: new Date('2024-02-01T00:00:00Z'),
              },
            ],
          },
          onClass: true,
        },
        { kind: 'project', mode: 'include', keys: ['score'], excludeId: false, computed: [] },
      ]);
      expect(rows).toEqual([{ objectId: 'c', score: 30 }]);
    },
  );

  test(
    'aggregate.match-after-group',
    'a match after a group filters the groups, on their key and accumulators',
    async (adapter) => {
      await seedScores(adapter);
      const group: AggregateStage = {
        kind: 'group',
        key: field('player'),
        fields: [
          { name: 'total', accumulator: { op: 'sum', of: field('score') } },
          { name: 'latest', accumulator: { op: 'max', of: field('when') } },
        ],
      };
      const big = await run(adapter, [
        group,
        {
          kind: 'match',
          where: { kind: 'compare', field: ref('total', 'Number'), op: 'gte', value: 20 },
          onClass: false,
        },
        byId,
      ]);
      expect(big.map((row) => row.objectId)).toEqual(['ann', 'bob']);
      expect(big[0]?.latest).toEqual(date('2024-02-20T23:59:59.000Z'));
      const recent = await run(adapter, [
        group,
        {
          kind: 'match',
          where: {
            kind: 'or',
            conditions: [
              {
                kind: 'compare',
                field: ref('latest', 'Date'),
                op: 'lt',
                value: new Date('2024-02-15T00:00:00Z'),
              },
              { kind: 'in', field: ref('objectId', 'String'), values: ['cat'], negated: false },
            ],
          },
          onClass: false,
        },
        byId,
      ]);
      expect(recent.map((row) => row.objectId)).toEqual(['bob', 'cat']);
      const tagged = await run(adapter, [
        {
          kind: 'match',
          where: { kind: 'compare', field: ref('tags', 'Array'), op: 'eq', value: 'y' },
          onClass: false,
        },
        byId,
      ]);
      expect(tagged.map((row) => row.objectId)).toEqual(['a', 'b']);
    },
  );

  test('aggregate.project', '$project includes, excludes and computes fields', async (adapter) => {
    await seedScores(adapter);
    const included = await run(adapter, [
      byId,
      {
        kind: 'project',
        mode: 'include',
        keys: ['player', 'score'],
        excludeId: true,
        computed: [{ name: 'who', value: field('player') }],
      },
    ]);
    expect(included).toEqual([
      { player: 'ann', score: 10, who: 'ann' },
      { player: 'bob', score: 20, who: 'bob' },
      { player: 'ann', score: 30, who: 'ann' },
      { player: 'cat', who: 'cat' },
    ]);
    const excluded = await run(adapter, [
      byId,
      { kind: 'limit', count: 1 },
      { kind: 'project', mode: 'exclude', keys: ['createdAt', 'updatedAt', 'meta', 'tags', 'when', 'team'] },
    ]);
    expect(excluded).toEqual([{ objectId: 'a', player: 'ann', score: 10 }]);
  });

  test(
    'aggregate.sort-skip-limit',
    '$sort orders (missing first ascending), $skip and $limit page',
    async (adapter) => {
      await seedScores(adapter);
      const ids = async (pipeline: AggregateStage[]) =>
        (await run(adapter, pipeline)).map((row) => row.objectId);
      expect(await ids([byScore])).toEqual(['d', 'a', 'b', 'c']);
      expect(await ids([{ kind: 'sort', keys: [{ path: ['score'], descending: true }] }])).toEqual([
        'c',
        'b',
        'a',
        'd',
      ]);
      expect(
        await ids([
          {
            kind: 'sort',
            keys: [
              { path: ['player'], descending: false },
              { path: ['score'], descending: true },
            ],
          },
        ]),
      ).toEqual(['c', 'a', 'b', 'd']);
      expect(await ids([byScore, { kind: 'skip', count: 1 }, { kind: 'limit', count: 2 }])).toEqual([
        'a',
        'b',
      ]);
    },
  );

  test('aggregate.count', '$count answers one document, or none when nothing is left', async (adapter) => {
    await seedScores(adapter);
    const matchBob = { kind: 'compare', field: ref('player', 'String'), op: 'eq', value: 'bob' } as const;
    expect(
      await run(adapter, [
        { kind: 'match', where: matchBob, onClass: true },
        { kind: 'count', field: 'n' },
      ]),
    ).toEqual([{ n: 1 }]);
    expect(await run(adapter, [{ kind: 'count', field: 'all' }])).toEqual([{ all: 4 }]);
    const none = { kind: 'compare', field: ref('player', 'String'), op: 'eq', value: 'zed' } as const;
    expect(
      await run(adapter, [
        { kind: 'match', where: none, onClass: true },
        { kind: 'count', field: 'n' },
      ]),
    ).toEqual([]);
  });

  test(
    'aggregate.unwind',
    '$unwind makes a document per element, optionally keeping empty ones',
    async (adapter) => {
      await seedScores(adapter);
      const keep = {
        kind: 'project',
        mode: 'include',
        keys: ['tags', 'i'],
        excludeId: false,
        computed: [],
      } as const;
      const plain = await run(adapter, [
        byId,
        { kind: 'unwind', path: ['tags'], preserveEmpty: false },
        keep,
      ]);
      expect(plain).toEqual([
        { objectId: 'a', tags: 'x' },
        { objectId: 'a', tags: 'y' },
        { objectId: 'b', tags: 'y' },
      ]);
      const kept = await run(adapter, [
        byId,
        { kind: 'unwind', path: ['tags'], preserveEmpty: true, indexField: 'i' },
        keep,
      ]);
      expect(kept).toEqual([
        { objectId: 'a', tags: 'x', i: 0 },
        { objectId: 'a', tags: 'y', i: 1 },
        { objectId: 'b', tags: 'y', i: 0 },
        { objectId: 'c', i: null },
        { objectId: 'd', i: null },
      ]);
      const perTag = await run(adapter, [
        { kind: 'unwind', path: ['tags'], preserveEmpty: false },
        {
          kind: 'group',
          key: field('tags'),
          fields: [{ name: 'n', accumulator: { op: 'sum', of: { kind: 'literal', value: 1 } } }],
        },
        byId,
      ]);
      expect(perTag).toEqual([
        { objectId: 'x', n: 1 },
        { objectId: 'y', n: 2 },
      ]);
    },
  );

  test('aggregate.sample', '$sample answers the asked number of distinct documents', async (adapter) => {
    await seedScores(adapter);
    const rows = await run(adapter, [{ kind: 'sample', size: 2 }]);
    expect(rows).toHaveLength(2);
    expect(new Set(rows.map((row) => row.objectId)).size).toBe(2);
    expect(await run(adapter, [{ kind: 'sample', size: 10 }])).toHaveLength(4);
  });

  test(
    'aggregate.lookup',
    '$lookup joins objects of another class, pointers by objectId',
    async (adapter) => {
      await seedScores(adapter);
      const rows = await run(adapter, [
        byId,
        { kind: 'lookup', from: 'Team', localPath: ['team'], foreignPath: ['objectId'], as: 'teams' },
        {
          kind: 'project',
          mode: 'include',
          keys: [],
          excludeId: false,
          computed: [{ name: 'names', value: field('teams') }],
        },
      ]);
      const names = rows.map((row) => ({
        objectId: row.objectId,
        names: (row.names as { name: string }[]).map((t) => t.name),
      }));
      expect(names).toEqual([
        { objectId: 'a', names: ['Reds'] },
        { objectId: 'b', names: ['Blues'] },
        { objectId: 'c', names: ['Reds'] },
        { objectId: 'd', names: [] },
      ]);
      const unknown = await run(adapter, [
        { kind: 'limit', count: 1 },
        { kind: 'lookup', from: 'Nothing', localPath: ['team'], foreignPath: ['objectId'], as: 'none' },
      ]);
      expect(unknown[0]?.none).toEqual([]);
    },
  );

  test('aggregate.missing-class', 'a class that does not exist has no documents', async (adapter) => {
    const rows = await adapter.aggregate?.({
      className: 'Nowhere',
      pipeline: [{ kind: 'count', field: 'n' }],
    });
    expect(rows).toEqual([]);
  });
}
