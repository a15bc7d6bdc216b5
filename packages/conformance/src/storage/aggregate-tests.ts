import type { AggregateStage } from '@openparse/core';
import { expect } from 'vitest';
import { byId, byScore, date, field, run, seedScores, team } from './aggregate-fixtures.js';
import { ref } from './fixtures.js';
import type { StorageHarness } from './harness.js';

/** Aggregation pipelines (`capabilities.aggregate`): documents, `$group` and `$match`. */
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
}
