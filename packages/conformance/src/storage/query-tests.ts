import { type Condition, MATCH_ALL, type ParseQuery, type StorageAdapter } from '@openparse/core';
import { expect } from 'vitest';
import { createClass, GAME_SCORE_FIELDS, ids, object, ref } from './fixtures.js';
import type { StorageHarness } from './harness.js';

const score = ref('score', 'Number');
const name = ref('playerName', 'String');
const tags = ref('tags', 'Array');

async function seed(adapter: StorageAdapter): Promise<void> {
  await createClass(adapter, 'Player', { name: { type: 'String' }, team: { type: 'String' } });
  await createClass(adapter, 'GameScore', GAME_SCORE_FIELDS);
  const players = [
    object({ objectId: 'p1', name: 'Sean', team: 'red' }),
    object({ objectId: 'p2', name: 'Ann', team: 'blue' }),
  ];
  for (const player of players) await adapter.createObject('Player', player);
  const rows = [
    object({
      objectId: 's1',
      score: 10,
      playerName: 'Sean',
      tags: ['a', 'b'],
      meta: { level: 1, name: 'x' },
      when: new Date('2020-01-01T00:00:00Z'),
      player: { __type: 'Pointer', className: 'Player', objectId: 'p1' },
      _rperm: ['*'],
    }),
    object({
      objectId: 's2',
      score: 20,
      playerName: 'Ann',
      tags: ['b'],
      meta: { level: 2 },
      when: new Date('2021-01-01T00:00:00Z'),
      player: { __type: 'Pointer', className: 'Player', objectId: 'p2' },
      _rperm: ['role:Admin'],
    }),
    object({ objectId: 's3', score: 30, playerName: 'ANN', tags: [], cheatMode: true }),
    object({ objectId: 's4', playerName: 'Zed', tags: ['c', 'a'] }),
  ];
  for (const row of rows) await adapter.createObject('GameScore', row);
}

async function matching(
  adapter: StorageAdapter,
  where: Condition,
  extra: Partial<ParseQuery> = {},
): Promise<string[]> {
  return ids(await adapter.find({ className: 'GameScore', where, ...extra }));
}

/** The condition language, ordering, paging, projection and counting. */
export function queryTests({ test }: StorageHarness): void {
  test('queries.compare', 'eq, lt, lte, gt and gte compare numbers and strings', async (adapter) => {
    await seed(adapter);
    expect(await matching(adapter, { kind: 'compare', field: score, op: 'gt', value: 10 })).toEqual([
      's2',
      's3',
    ]);
    expect(await matching(adapter, { kind: 'compare', field: score, op: 'lte', value: 20 })).toEqual([
      's1',
      's2',
    ]);
    expect(await matching(adapter, { kind: 'compare', field: name, op: 'eq', value: 'Ann' })).toEqual(['s2']);
    expect(await matching(adapter, { kind: 'compare', field: name, op: 'gte', value: 'Zed' })).toEqual([
      's4',
    ]);
  });

  test('queries.ne-and-null', 'ne matches missing values; eq null matches only missing', async (adapter) => {
    await seed(adapter);
    expect(await matching(adapter, { kind: 'compare', field: score, op: 'ne', value: 10 })).toEqual([
      's2',
      's3',
      's4',
    ]);
    expect(await matching(adapter, { kind: 'compare', field: score, op: 'eq', value: null })).toEqual(['s4']);
    expect(await matching(adapter, { kind: 'compare', field: score, op: 'ne', value: null })).toEqual([
      's1',
      's2',
      's3',
    ]);
  });

  test('queries.in-nin', 'in matches any value; nin excludes them and keeps missing', async (adapter) => {
    await seed(adapter);
    expect(await matching(adapter, { kind: 'in', field: score, values: [10, 30], negated: false })).toEqual([
      's1',
      's3',
    ]);
    expect(await matching(adapter, { kind: 'in', field: score, values: [10, 30], negated: true })).toEqual([
      's2',
      's4',
    ]);
    expect(await matching(adapter, { kind: 'in', field: tags, values: ['c', 'zz'], negated: false })).toEqual(
      ['s4'],
    );
    expect(await matching(adapter, { kind: 'in', field: score, values: [], negated: false })).toEqual([]);
  });

  test('queries.exists', 'exists tells present from missing', async (adapter) => {
    await seed(adapter);
    expect(
      await matching(adapter, { kind: 'exists', field: ref('cheatMode', 'Boolean'), exists: true }),
    ).toEqual(['s3']);
    expect(await matching(adapter, { kind: 'exists', field: score, exists: false })).toEqual(['s4']);
  });

  test('queries.and-or-nor', 'and, or and nor combine conditions', async (adapter) => {
    await seed(adapter);
    const low: Condition = { kind: 'compare', field: score, op: 'lt', value: 15 };
    const ann: Condition = { kind: 'compare', field: name, op: 'eq', value: 'Ann' };
    expect(await matching(adapter, { kind: 'or', conditions: [low, ann] })).toEqual(['s1', 's2']);
    expect(await matching(adapter, { kind: 'and', conditions: [low, ann] })).toEqual([]);
    expect(await matching(adapter, { kind: 'nor', conditions: [low, ann] })).toEqual(['s3', 's4']);
    expect(await matching(adapter, { kind: 'constant', value: false })).toEqual([]);
  });

  test(
    'queries.array-equality',
    'a scalar matches arrays containing it; an array matches the exact array',
    async (adapter) => {
      await seed(adapter);
      expect(await matching(adapter, { kind: 'compare', field: tags, op: 'eq', value: 'b' })).toEqual([
        's1',
        's2',
      ]);
      expect(await matching(adapter, { kind: 'compare', field: tags, op: 'eq', value: ['b'] })).toEqual([
        's2',
      ]);
      expect(await matching(adapter, { kind: 'compare', field: tags, op: 'ne', value: 'a' })).toEqual([
        's2',
        's3',
      ]);
    },
  );

  test('queries.pointer-equality', 'pointers compare by objectId', async (adapter) => {
    await seed(adapter);
    const player = ref('player', 'Pointer', [], 'Player');
    const pointer = { __type: 'Pointer', className: 'Player', objectId: 'p2' } as const;
    expect(await matching(adapter, { kind: 'compare', field: player, op: 'eq', value: pointer })).toEqual([
      's2',
    ]);
    expect(await matching(adapter, { kind: 'in', field: player, values: [pointer], negated: true })).toEqual([
      's1',
      's3',
      's4',
    ]);
  });

  test('queries.dates', 'dates compare in time order', async (adapter) => {
    await seed(adapter);
    const when = ref('when', 'Date');
    expect(
      await matching(adapter, {
        kind: 'compare',
        field: when,
        op: 'gt',
        value: new Date('2020-06-01T00:00:00Z'),
      }),
    ).toEqual(['s2']);
    expect(
      await matching(adapter, {
        kind: 'compare',
        field: when,
        op: 'eq',
        value: new Date('2020-01-01T00:00:00Z'),
      }),
    ).toEqual(['s1']);
  });

  test(
    'queries.dot-path',
    'dot paths read inside Object fields, comparing like with like',
    async (adapter) => {
      await seed(adapter);
      expect(
        await matching(adapter, {
          kind: 'compare',
          field: ref('meta', 'Object', ['level']),
          op: 'gte',
          value: 2,
        }),
      ).toEqual(['s2']);
      expect(
        await matching(adapter, {
          kind: 'compare',
          field: ref('meta', 'Object', ['name']),
          op: 'eq',
          value: 'x',
        }),
      ).toEqual(['s1']);
      expect(
        await matching(adapter, { kind: 'exists', field: ref('meta', 'Object', ['name']), exists: true }),
      ).toEqual(['s1']);
    },
  );

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

  test('queries.distinct', 'distinct answers each value once', async (adapter) => {
    await seed(adapter);
    const values = await adapter.distinct({
      query: { className: 'Player', where: MATCH_ALL },
      field: ref('team', 'String'),
    });
    expect([...values].sort()).toEqual(['blue', 'red']);
  });

  test('queries.acl', 'acl conditions see public rows and rows shared with a principal', async (adapter) => {
    await seed(adapter);
    expect(await matching(adapter, { kind: 'acl', access: 'read', principals: ['*'] })).toEqual([
      's1',
      's3',
      's4',
    ]);
    expect(await matching(adapter, { kind: 'acl', access: 'read', principals: ['*', 'role:Admin'] })).toEqual(
      ['s1', 's2', 's3', 's4'],
    );
  });

  test('queries.regex', 'regex matches with flags', async (adapter) => {
    await seed(adapter);
    expect(await matching(adapter, { kind: 'regex', field: name, pattern: '^ann$', flags: 'i' })).toEqual([
      's2',
      's3',
    ]);
    expect(await matching(adapter, { kind: 'regex', field: name, pattern: '^An', flags: '' })).toEqual([
      's2',
    ]);
  });

  test('queries.all-containedBy', 'all and containedBy compare arrays as sets', async (adapter) => {
    await seed(adapter);
    expect(await matching(adapter, { kind: 'all', field: tags, values: ['a', 'b'] })).toEqual(['s1']);
    expect(await matching(adapter, { kind: 'containedBy', field: tags, values: ['a', 'b'] })).toEqual([
      's1',
      's2',
      's3',
    ]);
  });

  test('queries.in-query', 'inQuery keeps objects whose pointer is in a subquery', async (adapter) => {
    await seed(adapter);
    const query = {
      className: 'Player',
      where: { kind: 'compare', field: ref('team', 'String'), op: 'eq', value: 'red' },
    } as const;
    const player = ref('player', 'Pointer', [], 'Player');
    expect(await matching(adapter, { kind: 'inQuery', field: player, query, negated: false })).toEqual([
      's1',
    ]);
    expect(await matching(adapter, { kind: 'inQuery', field: player, query, negated: true })).toEqual([
      's2',
      's3',
      's4',
    ]);
  });

  test('queries.select', 'select keeps objects whose field is among a key of a subquery', async (adapter) => {
    await seed(adapter);
    const query = {
      className: 'Player',
      where: { kind: 'compare', field: ref('team', 'String'), op: 'eq', value: 'blue' },
    } as const;
    const condition: Condition = {
      kind: 'select',
      field: name,
      query,
      key: ref('name', 'String'),
      negated: false,
    };
    expect(await matching(adapter, condition)).toEqual(['s2']);
  });
}
