import { describe, expect, it } from 'vitest';
import { ParseErrorCode } from '../errors.js';
import type { ClassSchema } from '../schema/types.js';
import { resolveRelativeTime } from './relative-time.js';
import { parseWhere, type WhereContext } from './where-parser.js';

const post: ClassSchema = {
  className: 'Post',
  fields: {
    title: { type: 'String' },
    tags: { type: 'Array' },
    author: { type: 'Pointer', targetClass: 'Author' },
    city: { type: 'String' },
    publishedAt: { type: 'Date' },
    likes: { type: 'Relation', targetClass: 'Fan' },
  },
  classLevelPermissions: {},
};
const author: ClassSchema = {
  className: 'Author',
  fields: { name: { type: 'String' }, hometown: { type: 'String' } },
  classLevelPermissions: {},
};
const acl = { kind: 'acl', access: 'read', principals: ['*'] } as const;
const context: WhereContext = {
  lookup: (name) => (name === 'Post' ? post : name === 'Author' ? author : undefined),
  subqueryAccess: () => acl,
};

describe('parseWhere: the rest of the language', () => {
  it('parses $regex with $options, $all and $containedBy', () => {
    expect(parseWhere({ title: { $regex: '^Big', $options: 'i' } }, post, context)).toMatchObject({
      kind: 'regex',
      pattern: '^Big',
      flags: 'i',
    });
    expect(parseWhere({ tags: { $all: ['a', 'b'] } }, post, context)).toMatchObject({
      kind: 'all',
      values: ['a', 'b'],
    });
    expect(parseWhere({ tags: { $containedBy: ['a'] } }, post, context)).toMatchObject({
      kind: 'containedBy',
    });
    expect(() => parseWhere({ title: { $regex: 'x', $options: 'g' } }, post, context)).toThrow(
      expect.objectContaining({ code: ParseErrorCode.INVALID_QUERY }),
    );
  });

  it('plans $inQuery and $select as subqueries under the subquery class ACL', () => {
    expect(
      parseWhere({ author: { $inQuery: { className: 'Author', where: { name: 'Ann' } } } }, post, context),
    ).toEqual({
      kind: 'inQuery',
      field: expect.objectContaining({ name: 'author' }),
      negated: false,
      query: {
        className: 'Author',
        where: { kind: 'and', conditions: [expect.objectContaining({ kind: 'compare', value: 'Ann' }), acl] },
      },
    });
    const select = parseWhere(
      { city: { $dontSelect: { query: { className: 'Author', where: {} }, key: 'hometown' } } },
      post,
      context,
    );
    expect(select).toMatchObject({
      kind: 'select',
      negated: true,
      key: { name: 'hometown', type: 'String' },
    });
  });

  it('parses $relatedTo, and answers nothing for a relation that does not exist', () => {
    const owner = { __type: 'Pointer', className: 'Post', objectId: 'p1' };
    expect(parseWhere({ $relatedTo: { object: owner, key: 'likes' } }, undefined, context)).toEqual({
      kind: 'relatedTo',
      owner,
      key: 'likes',
    });
    expect(parseWhere({ $relatedTo: { object: owner, key: 'nope' } }, undefined, context)).toEqual({
      kind: 'constant',
      value: false,
    });
  });

  it('resolves $relativeTime on Date fields only', () => {
    const condition = parseWhere({ publishedAt: { $gt: { $relativeTime: '2 days ago' } } }, post, context);
    expect(condition).toMatchObject({ kind: 'compare', op: 'gt', value: expect.any(Date) });
    expect(() => parseWhere({ title: { $gt: { $relativeTime: '2 days ago' } } }, post, context)).toThrow(
      expect.objectContaining({ code: ParseErrorCode.INVALID_QUERY }),
    );
  });
});

describe('resolveRelativeTime', () => {
  const now = new Date('2024-01-10T12:00:00.000Z');
  it('reads the phrases parse-server reads', () => {
    expect(resolveRelativeTime('now', now)).toEqual(now);
    expect(resolveRelativeTime('in 2 days', now).toISOString()).toBe('2024-01-12T12:00:00.000Z');
    expect(resolveRelativeTime('3 hours ago', now).toISOString()).toBe('2024-01-10T09:00:00.000Z');
    expect(resolveRelativeTime('1 day 30 minutes ago', now).toISOString()).toBe('2024-01-09T11:30:00.000Z');
  });

  it('refuses phrases it cannot read with 107', () => {
    for (const phrase of ['2 days', 'in 2 days ago', 'in two days', 'in 2 fortnights', 'in 2']) {
      expect(() => resolveRelativeTime(phrase, now), phrase).toThrow(
        expect.objectContaining({ code: ParseErrorCode.INVALID_JSON }),
      );
    }
  });
});
