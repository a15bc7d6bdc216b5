import type { Condition } from '@openparse/core';
import { expect } from 'vitest';
import { ref } from './fixtures.js';
import type { StorageHarness } from './harness.js';
import { matching, name, seed } from './query-fixtures.js';

const player = ref('player', 'Pointer', [], 'Player');
const team = ref('team', 'String');

/** `inQuery` and `select`: conditions that read another class. */
export function subqueryTests({ test }: StorageHarness): void {
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
  test(
    'subqueries.dont-select',
    'negated select keeps objects whose value is not among the keys',
    async (adapter) => {
      await seed(adapter);
      const condition: Condition = {
        kind: 'select',
        field: name,
        query: { className: 'Player', where: { kind: 'compare', field: team, op: 'eq', value: 'blue' } },
        key: ref('name', 'String'),
        negated: true,
      };
      expect(await matching(adapter, condition)).toEqual(['s1', 's3', 's4']);
    },
  );

  test('subqueries.nested', 'an inQuery inside an inQuery', async (adapter) => {
    await seed(adapter);
    await adapter.createClass({
      className: 'Badge',
      fields: { objectId: { type: 'String' }, holder: { type: 'Pointer', targetClass: 'GameScore' } },
      classLevelPermissions: {},
    });
    await adapter.createObject('Badge', {
      objectId: 'b1',
      holder: { __type: 'Pointer', className: 'GameScore', objectId: 's1' },
    });
    await adapter.createObject('Badge', {
      objectId: 'b2',
      holder: { __type: 'Pointer', className: 'GameScore', objectId: 's2' },
    });
    const redScores = {
      className: 'GameScore',
      where: {
        kind: 'inQuery',
        field: player,
        query: { className: 'Player', where: { kind: 'compare', field: team, op: 'eq', value: 'red' } },
        negated: false,
      },
    } as const;
    const badges = await adapter.find({
      className: 'Badge',
      where: {
        kind: 'inQuery',
        field: ref('holder', 'Pointer', [], 'GameScore'),
        query: redScores,
        negated: false,
      },
    });
    expect(badges.map((badge) => badge.objectId)).toEqual(['b1']);
  });

  test(
    'subqueries.missing-class',
    'a subquery on a class that does not exist matches nothing',
    async (adapter) => {
      await seed(adapter);
      const query = { className: 'Nowhere', where: { kind: 'and', conditions: [] } } as const;
      expect(await matching(adapter, { kind: 'inQuery', field: player, query, negated: false })).toEqual([]);
      expect(await matching(adapter, { kind: 'inQuery', field: player, query, negated: true })).toEqual([
        's1',
        's2',
        's3',
        's4',
      ]);
    },
  );
}
