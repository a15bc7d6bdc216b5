import type { Condition } from '@openparse/core';
import { expect } from 'vitest';
import { ref } from './fixtures.js';
import type { StorageHarness } from './harness.js';
import { matching, name, score, seed, tags } from './query-fixtures.js';

/** The condition language, as core hands it over (see query-fixtures.ts for the data). */
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
}
