import { MATCH_ALL } from '@openparse/core';
import { expect } from 'vitest';
import { ref } from './fixtures.js';
import type { StorageHarness } from './harness.js';
import { name, score, seed } from './query-fixtures.js';

/** Ordering, paging, projection, counting and distinct values. */
export function pagingTests({ test }: StorageHarness): void {
  test(
    'queries.sort-limit-skip',
    'sort by several keys, descending, with limit and skip',
    async (adapter) => {
      await seed(adapter);
      const found = await adapter.find({
        className: 'GameScore',
        where: { kind: 'exists', field: score, exists: true },
        sort: [{ field: score, descending: true }],
        limit: 2,
        skip: 1,
      });
      expect(found.map((o) => o.objectId)).toEqual(['s2', 's1']);
      const byName = await adapter.find({
        className: 'GameScore',
        where: MATCH_ALL,
        sort: [
          { field: ref('cheatMode', 'Boolean'), descending: false },
          { field: name, descending: true },
        ],
      });
      // Missing values sort last ascending (and first descending), as in PostgreSQL.
      expect(byName.map((o) => o.objectId)).toEqual(['s3', 's4', 's1', 's2']);
    },
  );

  test('queries.keys', 'keys limit the fields returned; system fields always come back', async (adapter) => {
    await seed(adapter);
    const [found] = await adapter.find({
      className: 'GameScore',
      where: { kind: 'compare', field: ref('objectId', 'String'), op: 'eq', value: 's1' },
      keys: ['score'],
    });
    expect(found).toMatchObject({ objectId: 's1', score: 10 });
    expect(found?.playerName).toBeUndefined();
    expect(found?.createdAt).toBeInstanceOf(Date);
  });

  test('queries.count', 'count ignores limit and skip', async (adapter) => {
    await seed(adapter);
    expect(await adapter.count({ className: 'GameScore', where: MATCH_ALL, limit: 1, skip: 1 })).toBe(4);
    expect(
      await adapter.count({
        className: 'GameScore',
        where: { kind: 'compare', field: score, op: 'gt', value: 15 },
      }),
    ).toBe(2);
  });

  test(
    'queries.find-with-count',
    'findWithCount answers the page and the total, also for a page past the end',
    async (adapter) => {
      if (!adapter.findWithCount) return;
      await seed(adapter);
      const sort = [{ field: score, descending: true }];
      const page = await adapter.findWithCount({
        className: 'GameScore',
        where: MATCH_ALL,
        sort,
        limit: 2,
        skip: 1,
      });
      expect(page.count).toBe(4);
      expect(page.objects.map((object) => object.score)).toEqual(
        (await adapter.find({ className: 'GameScore', where: MATCH_ALL, sort, limit: 2, skip: 1 })).map(
          (object) => object.score,
        ),
      );
      expect(page.objects[0] && '__count' in page.objects[0]).toBe(false);
      const filtered = { kind: 'compare', field: score, op: 'gt', value: 15 } as const;
      const past = await adapter.findWithCount({
        className: 'GameScore',
        where: filtered,
        limit: 5,
        skip: 10,
      });
      expect(past).toEqual({ objects: [], count: 2 });
      const none = await adapter.findWithCount({ className: 'Missing', where: MATCH_ALL, limit: 5 });
      expect(none).toEqual({ objects: [], count: 0 });
    },
  );

  test('queries.distinct', 'distinct answers each value once', async (adapter) => {
    await seed(adapter);
    const values = await adapter.distinct({
      query: { className: 'Player', where: MATCH_ALL },
      field: ref('team', 'String'),
    });
    expect([...values].sort()).toEqual(['blue', 'red']);
  });

  test('queries.sort-dot-path', 'sort by a value inside an Object field', async (adapter) => {
    await seed(adapter);
    const found = await adapter.find({
      className: 'GameScore',
      where: { kind: 'exists', field: ref('meta', 'Object', ['level']), exists: true },
      sort: [{ field: ref('meta', 'Object', ['level']), descending: true }],
    });
    expect(found.map((o) => o.objectId)).toEqual(['s2', 's1']);
  });

  test('queries.sort-dates', 'sort by a Date field, and by createdAt', async (adapter) => {
    await seed(adapter);
    const found = await adapter.find({
      className: 'GameScore',
      where: { kind: 'exists', field: ref('when', 'Date'), exists: true },
      sort: [{ field: ref('when', 'Date'), descending: true }],
    });
    expect(found.map((o) => o.objectId)).toEqual(['s2', 's1']);
    const byCreation = await adapter.find({
      className: 'Player',
      where: MATCH_ALL,
      sort: [{ field: ref('createdAt', 'Date'), descending: false }],
    });
    expect(byCreation.map((o) => o.objectId)).toEqual(['p1', 'p2']);
  });

  test('queries.skip-past-end', 'skip past the last object answers nothing; limit 0 too', async (adapter) => {
    await seed(adapter);
    expect(await adapter.find({ className: 'GameScore', where: MATCH_ALL, skip: 10 })).toEqual([]);
    expect(await adapter.find({ className: 'GameScore', where: MATCH_ALL, limit: 0 })).toEqual([]);
  });

  test('queries.keys-unknown', 'keys naming fields the class lacks are ignored', async (adapter) => {
    await seed(adapter);
    const found = await adapter.find({
      className: 'GameScore',
      where: { kind: 'compare', field: ref('objectId', 'String'), op: 'eq', value: 's2' },
      keys: ['ghost', 'playerName'],
    });
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ objectId: 's2', playerName: 'Ann', _rperm: ['role:Admin'] });
    expect(found[0]?.ghost).toBeUndefined();
    expect(found[0]?.score).toBeUndefined();
  });

  test('queries.distinct-array', 'distinct on an Array field answers its elements', async (adapter) => {
    await seed(adapter);
    const values = await adapter.distinct({
      query: { className: 'GameScore', where: MATCH_ALL },
      field: ref('tags', 'Array'),
    });
    expect([...values].sort()).toEqual(['a', 'b', 'c']);
  });

  test(
    'queries.distinct-pointer',
    'distinct on a Pointer field answers pointers, filtered by where',
    async (adapter) => {
      await seed(adapter);
      const values = await adapter.distinct({
        query: { className: 'GameScore', where: { kind: 'compare', field: score, op: 'gte', value: 20 } },
        field: ref('player', 'Pointer', [], 'Player'),
      });
      expect(values).toEqual([{ __type: 'Pointer', className: 'Player', objectId: 'p2' }]);
      const names = await adapter.distinct({
        query: { className: 'GameScore', where: MATCH_ALL },
        field: name,
      });
      expect(names).toHaveLength(4);
    },
  );
}
