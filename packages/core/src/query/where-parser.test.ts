import { describe, expect, it } from 'vitest';
import { ParseErrorCode } from '../errors.js';
import type { ClassSchema } from '../schema/types.js';
import { parseFindRequest } from './options-parser.js';
import { parseWhere } from './where-parser.js';

const schema: ClassSchema = {
  className: 'GameScore',
  fields: {
    objectId: { type: 'String' },
    score: { type: 'Number' },
    playerName: { type: 'String' },
    player: { type: 'Pointer', targetClass: '_User' },
    when: { type: 'Date' },
    meta: { type: 'Object' },
    tags: { type: 'Array' },
  },
  classLevelPermissions: {},
};
const field = (name: string, type: string, path: string[] = []) =>
  expect.objectContaining({ name, type, path });

describe('parseWhere', () => {
  it('turns equality and comparisons into typed conditions', () => {
    expect(parseWhere({ playerName: 'Sean', score: { $gte: 1000, $lt: 3000 } }, schema)).toEqual({
      kind: 'and',
      conditions: [
        { kind: 'compare', field: field('playerName', 'String'), op: 'eq', value: 'Sean' },
        {
          kind: 'and',
          conditions: [
            { kind: 'compare', field: field('score', 'Number'), op: 'gte', value: 1000 },
            { kind: 'compare', field: field('score', 'Number'), op: 'lt', value: 3000 },
          ],
        },
      ],
    });
  });

  it('decodes dates and pointers, and accepts an objectId for a pointer', () => {
    const iso = '2024-01-01T00:00:00.000Z';
    expect(parseWhere({ when: { $gt: { __type: 'Date', iso } } }, schema)).toMatchObject({
      value: new Date(iso),
    });
    expect(parseWhere({ player: 'abc' }, schema)).toMatchObject({
      value: { __type: 'Pointer', className: '_User', objectId: 'abc' },
    });
  });

  it('parses $in, $nin, $exists, $or and dot paths', () => {
    expect(parseWhere({ $or: [{ score: { $in: [1, 2] } }, { meta: { $exists: true } }] }, schema)).toEqual({
      kind: 'or',
      conditions: [
        { kind: 'in', field: field('score', 'Number'), values: [1, 2], negated: false },
        { kind: 'exists', field: field('meta', 'Object'), exists: true },
      ],
    });
    expect(parseWhere({ 'meta.level': 3 }, schema)).toMatchObject({
      field: field('meta', 'Object', ['level']),
    });
  });

  it('resolves conditions on undeclared fields without storage', () => {
    expect(parseWhere({ nope: 1 }, schema)).toEqual({ kind: 'constant', value: false });
    expect(parseWhere({ nope: { $exists: false } }, schema)).toEqual({ kind: 'constant', value: true });
    expect(parseWhere({ nope: { $ne: 1 } }, schema)).toEqual({ kind: 'constant', value: true });
    expect(parseWhere({ nope: { $nin: [1] } }, schema)).toEqual({ kind: 'constant', value: true });
  });

  it('refuses unknown operators, bad $or and invalid keys with their codes', () => {
    expect(() => parseWhere({ score: { $foo: 1 } }, schema)).toThrow(
      expect.objectContaining({ code: ParseErrorCode.INVALID_QUERY }),
    );
    expect(() => parseWhere({ $or: {} }, schema)).toThrow(
      expect.objectContaining({ code: ParseErrorCode.INVALID_QUERY }),
    );
    expect(() => parseWhere({ 'bad-key': 1 }, schema)).toThrow(
      expect.objectContaining({ code: ParseErrorCode.INVALID_KEY_NAME }),
    );
    expect(() => parseWhere({ score: { $in: 3 } }, schema)).toThrow(
      expect.objectContaining({ code: ParseErrorCode.INVALID_JSON }),
    );
    expect(() => parseWhere({ score: { $exists: 'yes' } }, schema)).toThrow(
      expect.objectContaining({ code: ParseErrorCode.INVALID_QUERY }),
    );
  });
});

describe('parseFindRequest', () => {
  const limits = { defaultLimit: 100, maxLimit: 500 };

  it('reads order, limit, skip, keys and count from a query string', () => {
    const request = parseFindRequest(
      'GameScore',
      { order: '-score,playerName', limit: '10', skip: '5', keys: 'score,meta.level', count: '1' },
      schema,
      limits,
    );
    expect(request.query).toMatchObject({ limit: 10, skip: 5, keys: ['score', 'meta'] });
    expect(request.query.sort).toEqual([
      { field: field('score', 'Number'), descending: true },
      { field: field('playerName', 'String'), descending: false },
    ]);
    expect(request.count).toBe(true);
  });

  it('defaults and caps the limit', () => {
    expect(parseFindRequest('GameScore', {}, schema, limits).query.limit).toBe(100);
    expect(parseFindRequest('GameScore', { limit: 10_000 }, schema, limits).query.limit).toBe(500);
  });

  it('refuses bad limits, skips, JSON and parameters', () => {
    const reject = (params: Record<string, string | number>, code: number) =>
      expect(() => parseFindRequest('GameScore', params, schema, limits)).toThrow(
        expect.objectContaining({ code }),
      );
    reject({ limit: -1 }, ParseErrorCode.INVALID_LIMIT);
    reject({ limit: 'ten' }, ParseErrorCode.INVALID_LIMIT);
    reject({ skip: -5 }, ParseErrorCode.INVALID_SKIP);
    reject({ where: '{bad' }, ParseErrorCode.INVALID_JSON);
    reject({ foo: 1 }, ParseErrorCode.INVALID_QUERY);
  });
});
