import type { AggregateStage } from '@openparse/core';
import { expect } from 'vitest';
import { byId, byScore, field, run, seedScores } from './aggregate-fixtures.js';
import { ref } from './fixtures.js';
import type { StorageHarness } from './harness.js';

/** Aggregation pipelines (`capabilities.aggregate`): the reshaping and paging stages. */
export function aggregateStageTests({ test }: StorageHarness): void {
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
