import type { Condition } from '@openparse/core';
import { expect } from 'vitest';
import { createClass, ids, object, ref } from './fixtures.js';
import type { StorageHarness } from './harness.js';
import { matching, name, score, seed, tags } from './query-fixtures.js';

const meta = (...path: string[]) => ref('meta', 'Object', path);

/** Edge semantics of the condition language. */
export function conditionTests({ test }: StorageHarness): void {
  test('queries.booleans', 'booleans compare as booleans; false is not missing', async (adapter) => {
    await seed(adapter);
    const cheat = ref('cheatMode', 'Boolean');
    expect(await matching(adapter, { kind: 'compare', field: cheat, op: 'eq', value: true })).toEqual(['s3']);
    expect(await matching(adapter, { kind: 'compare', field: cheat, op: 'ne', value: true })).toEqual([
      's1',
      's2',
      's4',
    ]);
  });

  test('queries.in-null', 'null among in values stands for a missing field', async (adapter) => {
    await seed(adapter);
    expect(await matching(adapter, { kind: 'in', field: score, values: [null, 20], negated: false })).toEqual(
      ['s2', 's4'],
    );
    expect(await matching(adapter, { kind: 'in', field: score, values: [null, 20], negated: true })).toEqual([
      's1',
      's3',
    ]);
  });

  test('queries.nin-array', 'nin on an Array field excludes arrays holding any value', async (adapter) => {
    await seed(adapter);
    expect(await matching(adapter, { kind: 'in', field: tags, values: ['a'], negated: true })).toEqual([
      's2',
      's3',
    ]);
  });

  test('queries.object-id-in', 'objectId takes in lists like any string field', async (adapter) => {
    await seed(adapter);
    const objectId = ref('objectId', 'String');
    expect(
      await matching(adapter, { kind: 'in', field: objectId, values: ['s4', 's1', 'zz'], negated: false }),
    ).toEqual(['s1', 's4']);
  });

  test('queries.nested-logic', 'and inside or inside nor nest as written', async (adapter) => {
    await seed(adapter);
    const condition: Condition = {
      kind: 'nor',
      conditions: [
        {
          kind: 'or',
          conditions: [
            {
              kind: 'and',
              conditions: [
                { kind: 'compare', field: score, op: 'gt', value: 5 },
                { kind: 'compare', field: score, op: 'lt', value: 15 },
              ],
            },
            { kind: 'compare', field: name, op: 'eq', value: 'Zed' },
          ],
        },
      ],
    };
    expect(await matching(adapter, condition)).toEqual(['s2', 's3']);
    expect(await matching(adapter, { kind: 'and', conditions: [] })).toEqual(['s1', 's2', 's3', 's4']);
  });

  test(
    'queries.regex-quoted',
    '\\Q…\\E quoting (startsWith, contains) matches literal text',
    async (adapter) => {
      await createClass(adapter, 'Doc', { title: { type: 'String' } });
      await adapter.createObject('Doc', object({ objectId: 'd1', title: 'a.b (draft)' }));
      await adapter.createObject('Doc', object({ objectId: 'd2', title: 'axb draft' }));
      const title = ref('title', 'String');
      const found = await adapter.find({
        className: 'Doc',
        where: { kind: 'regex', field: title, pattern: '^\\Qa.b (\\E', flags: '' },
      });
      expect(ids(found)).toEqual(['d1']);
      const contains = await adapter.find({
        className: 'Doc',
        where: { kind: 'regex', field: title, pattern: '\\QDRAFT\\E', flags: 'i' },
      });
      expect(ids(contains)).toEqual(['d1', 'd2']);
    },
  );

  test(
    'queries.regex-multiline',
    'm lets ^ match at every line; without it only at the start',
    async (adapter) => {
      await createClass(adapter, 'Doc', { body: { type: 'String' } });
      await adapter.createObject('Doc', object({ objectId: 'd1', body: 'first\nsecond' }));
      const body = ref('body', 'String');
      const count = (flags: string) =>
        adapter.count({ className: 'Doc', where: { kind: 'regex', field: body, pattern: '^second', flags } });
      expect(await count('')).toBe(0);
      expect(await count('m')).toBe(1);
    },
  );

  test('queries.regex-array', 'regex on an Array field matches when one element does', async (adapter) => {
    await seed(adapter);
    expect(await matching(adapter, { kind: 'regex', field: tags, pattern: '^c', flags: '' })).toEqual(['s4']);
  });

  test(
    'queries.acl-write',
    'write acl conditions read _wperm, with missing meaning public',
    async (adapter) => {
      await createClass(adapter, 'Doc');
      await adapter.createObject('Doc', object({ objectId: 'open' }));
      await adapter.createObject('Doc', object({ objectId: 'mine', _rperm: ['*'], _wperm: ['u1'] }));
      await adapter.createObject('Doc', object({ objectId: 'theirs', _wperm: ['u2', 'role:Admin'] }));
      const writable = (principals: string[]) =>
        adapter.find({ className: 'Doc', where: { kind: 'acl', access: 'write', principals } });
      expect(ids(await writable(['*', 'u1']))).toEqual(['mine', 'open']);
      expect(ids(await writable(['*', 'role:Admin']))).toEqual(['open', 'theirs']);
    },
  );

  test(
    'queries.pointer-permission',
    'pointer permissions match a _User pointer or an array of them',
    async (adapter) => {
      await createClass(adapter, 'Doc', {
        owner: { type: 'Pointer', targetClass: '_User' },
        editors: { type: 'Array' },
      });
      const user = (objectId: string) => ({ __type: 'Pointer', className: '_User', objectId }) as const;
      await adapter.createObject('Doc', object({ objectId: 'd1', owner: user('u1'), editors: [user('u2')] }));
      await adapter.createObject('Doc', object({ objectId: 'd2', owner: user('u2') }));
      const owned = (field: string, type: 'Pointer' | 'Array', userId: string) =>
        adapter.find({
          className: 'Doc',
          where: {
            kind: 'pointerPermission',
            field: ref(field, type, [], type === 'Pointer' ? '_User' : undefined),
            userId,
          },
        });
      expect(ids(await owned('owner', 'Pointer', 'u2'))).toEqual(['d2']);
      expect(ids(await owned('editors', 'Array', 'u2'))).toEqual(['d1']);
      expect(ids(await owned('editors', 'Array', 'u1'))).toEqual([]);
    },
  );

  test('queries.dot-path-array', 'a scalar on a dot path matches an array holding it', async (adapter) => {
    await createClass(adapter, 'Doc', { meta: { type: 'Object' } });
    await adapter.createObject('Doc', object({ objectId: 'd1', meta: { colors: ['red', 'blue'] } }));
    await adapter.createObject('Doc', object({ objectId: 'd2', meta: { colors: 'red' } }));
    await adapter.createObject('Doc', object({ objectId: 'd3', meta: { colors: ['green'] } }));
    const found = await adapter.find({
      className: 'Doc',
      where: { kind: 'compare', field: meta('colors'), op: 'eq', value: 'red' },
    });
    expect(ids(found)).toEqual(['d1', 'd2']);
  });

  test('queries.date-in-object', 'dates inside Object fields compare in time order', async (adapter) => {
    await createClass(adapter, 'Doc', { meta: { type: 'Object' } });
    const at = (iso: string) => ({ at: { __type: 'Date', iso } });
    await adapter.createObject('Doc', object({ objectId: 'old', meta: at('2019-01-01T00:00:00.000Z') }));
    await adapter.createObject('Doc', object({ objectId: 'new', meta: at('2023-01-01T00:00:00.000Z') }));
    const found = await adapter.find({
      className: 'Doc',
      where: {
        kind: 'compare',
        field: meta('at'),
        op: 'gt',
        value: { __type: 'Date', iso: '2020-01-01T00:00:00.000Z' },
      },
    });
    expect(ids(found)).toEqual(['new']);
  });

  test('queries.dates-in', 'in lists of dates match exact instants', async (adapter) => {
    await seed(adapter);
    const when = ref('when', 'Date');
    const values = [new Date('2021-01-01T00:00:00Z'), new Date('1999-01-01T00:00:00Z')];
    expect(await matching(adapter, { kind: 'in', field: when, values, negated: false })).toEqual(['s2']);
  });

  test('queries.missing-field', 'a field the class lacks is missing on every object', async (adapter) => {
    await seed(adapter);
    const ghost = ref('ghost', 'String');
    expect(await matching(adapter, { kind: 'compare', field: ghost, op: 'eq', value: 'x' })).toEqual([]);
    expect(await matching(adapter, { kind: 'exists', field: ghost, exists: false })).toEqual([
      's1',
      's2',
      's3',
      's4',
    ]);
  });
}
