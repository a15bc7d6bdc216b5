import { describe, expect, it } from 'vitest';
import type { FieldRef, StorageObject } from '../contracts/values.js';
import { compareObjects, matches } from './matcher.js';

const ref = (name: string, type: FieldRef['type'], path: string[] = []): FieldRef => ({ name, path, type });
const object: StorageObject = {
  objectId: 'a',
  score: 10,
  tags: ['x', 'y'],
  meta: { level: 3 },
  owner: { __type: 'Pointer', className: '_User', objectId: 'u1' },
  _rperm: ['role:Admin'],
};

describe('matches', () => {
  it('compares scalars, dot paths, pointers and array containment', () => {
    expect(matches(object, { kind: 'compare', field: ref('score', 'Number'), op: 'gt', value: 5 })).toBe(
      true,
    );
    expect(
      matches(object, { kind: 'compare', field: ref('meta', 'Object', ['level']), op: 'eq', value: 3 }),
    ).toBe(true);
    expect(matches(object, { kind: 'compare', field: ref('tags', 'Array'), op: 'eq', value: 'x' })).toBe(
      true,
    );
    expect(matches(object, { kind: 'compare', field: ref('tags', 'Array'), op: 'eq', value: ['x'] })).toBe(
      false,
    );
    expect(
      matches(object, {
        kind: 'compare',
        field: ref('owner', 'Pointer'),
        op: 'eq',
        value: { __type: 'Pointer', className: '_User', objectId: 'u1' },
      }),
    ).toBe(true);
    expect(matches(object, { kind: 'compare', field: ref('missing', 'String'), op: 'ne', value: 'q' })).toBe(
      true,
    );
    expect(matches(object, { kind: 'compare', field: ref('missing', 'String'), op: 'eq', value: null })).toBe(
      true,
    );
  });

  it('applies ACL conditions, with a missing permission array meaning public', () => {
    const acl = (principals: string[]) => ({ kind: 'acl', access: 'read', principals }) as const;
    expect(matches(object, acl(['*']))).toBe(false);
    expect(matches(object, acl(['*', 'role:Admin']))).toBe(true);
    expect(matches({ objectId: 'b' }, acl(['*']))).toBe(true);
  });

  it('combines with and / or / nor and in / exists', () => {
    const inScore = { kind: 'in', field: ref('score', 'Number'), values: [1, 10], negated: false } as const;
    const exists = { kind: 'exists', field: ref('nope', 'String'), exists: true } as const;
    expect(matches(object, { kind: 'or', conditions: [exists, inScore] })).toBe(true);
    expect(matches(object, { kind: 'and', conditions: [exists, inScore] })).toBe(false);
    expect(matches(object, { kind: 'nor', conditions: [exists] })).toBe(true);
  });
});

describe('compareObjects', () => {
  it('sorts by several keys, missing values last ascending', () => {
    const rows: StorageObject[] = [
      { objectId: '1', a: 2, b: 1 },
      { objectId: '2', a: 1, b: 5 },
      { objectId: '3', b: 0 },
      { objectId: '4', a: 2, b: 3 },
    ];
    const sorted = [...rows].sort(
      compareObjects([
        { field: ref('a', 'Number'), descending: false },
        { field: ref('b', 'Number'), descending: true },
      ]),
    );
    expect(sorted.map((row) => row.objectId)).toEqual(['2', '4', '1', '3']);
  });
});
