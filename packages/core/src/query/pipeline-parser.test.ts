import { describe, expect, it } from 'vitest';
import type { JsonValue } from '../contracts/values.js';
import { ParseErrorCode } from '../errors.js';
import type { ClassSchema } from '../schema/types.js';
import { parsePipeline } from './pipeline-parser.js';
import type { WhereContext } from './where-parser.js';

const schema: ClassSchema = {
  className: 'GameScore',
  fields: {
    score: { type: 'Number' },
    playerName: { type: 'String' },
    player: { type: 'Pointer', targetClass: '_User' },
    when: { type: 'Date' },
    tags: { type: 'Array' },
  },
  classLevelPermissions: {},
};
const context: WhereContext = { lookup: () => undefined, subqueryAccess: () => undefined };
const parse = (stages: JsonValue[]) => parsePipeline(stages, schema, context);
const refusal = (stages: JsonValue[], code: number = ParseErrorCode.INVALID_QUERY) =>
  expect(() => parse(stages)).toThrow(expect.objectContaining({ code }));

describe('parsePipeline', () => {
  it('parses $group keys and accumulators, with MongoDB column names read as Parse names', () => {
    expect(
      parse([
        {
          $group: {
            _id: { day: { $dayOfMonth: '$_created_at' }, who: '$_p_player' },
            total: { $sum: '$score' },
            n: { $sum: 1 },
            all: { $count: {} },
          },
        },
      ]),
    ).toEqual([
      {
        kind: 'group',
        key: {
          kind: 'object',
          fields: [
            {
              name: 'day',
              value: { kind: 'datePart', part: 'dayOfMonth', of: { kind: 'field', path: ['createdAt'] } },
            },
            { name: 'who', value: { kind: 'field', path: ['player'] } },
          ],
        },
        fields: [
          { name: 'total', accumulator: { op: 'sum', of: { kind: 'field', path: ['score'] } } },
          { name: 'n', accumulator: { op: 'sum', of: { kind: 'literal', value: 1 } } },
          { name: 'all', accumulator: { op: 'count' } },
        ],
      },
    ]);
  });

  it('parses a leading $match on the class, and a later one on the documents', () => {
    const [first, , last] = parse([
      { $match: { player: 'u1', when: { $gte: '2024-01-01T00:00:00Z' } } },
      { $group: { _id: '$playerName', total: { $sum: '$score' }, latest: { $max: '$when' } } },
      { $match: { _id: 'ann', total: { $gt: 10 }, latest: { $lt: '2024-06-01T00:00:00Z' } } },
    ]);
    expect(first).toMatchObject({
      kind: 'match',
      onClass: true,
      where: {
        kind: 'and',
        conditions: [
          { kind: 'compare', value: { __type: 'Pointer', className: '_User', objectId: 'u1' } },
          { kind: 'compare', op: 'gte', value: new Date('2024-01-01T00:00:00Z') },
        ],
      },
    });
    expect(last).toMatchObject({
      kind: 'match',
      onClass: false,
      where: {
        kind: 'and',
        conditions: [
          { kind: 'compare', field: { name: 'objectId' }, value: 'ann' },
          { kind: 'compare', field: { name: 'total' }, op: 'gt', value: 10 },
          // `latest` keeps the Date type of the field it came from.
          { kind: 'compare', field: { name: 'latest' }, op: 'lt', value: new Date('2024-06-01T00:00:00Z') },
        ],
      },
    });
  });

  it('parses $project, $sort, $limit, $skip, $count, $unwind, $sample and $lookup', () => {
    expect(
      parse([
        { $project: { score: 1, year: { $year: '$when' } } },
        { $project: { _id: 0, year: -1 } },
        { $project: { year: 0 } },
        { $sort: { score: -1, 'meta.rank': 1 } },
        { $skip: 0 },
        { $limit: 5 },
        { $unwind: '$tags' },
        { $unwind: { path: '$tags', includeArrayIndex: 'i', preserveNullAndEmptyArrays: true } },
        { $sample: { size: 2 } },
        { $lookup: { from: '_User', localField: 'player', foreignField: '_id', as: 'users' } },
        { $count: 'n' },
      ]),
    ).toEqual([
      {
        kind: 'project',
        mode: 'include',
        keys: ['score'],
        excludeId: false,
        computed: [
          { name: 'year', value: { kind: 'datePart', part: 'year', of: { kind: 'field', path: ['when'] } } },
        ],
      },
      { kind: 'project', mode: 'include', keys: ['year'], excludeId: true, computed: [] },
      { kind: 'project', mode: 'exclude', keys: ['year'] },
      {
        kind: 'sort',
        keys: [
          { path: ['score'], descending: true },
          { path: ['meta', 'rank'], descending: false },
        ],
      },
      { kind: 'skip', count: 0 },
      { kind: 'limit', count: 5 },
      { kind: 'unwind', path: ['tags'], preserveEmpty: false },
      { kind: 'unwind', path: ['tags'], preserveEmpty: true, indexField: 'i' },
      { kind: 'sample', size: 2 },
      { kind: 'lookup', from: '_User', localPath: ['player'], foreignPath: ['objectId'], as: 'users' },
      { kind: 'count', field: 'n' },
    ]);
  });

  it('refuses what parse-server refuses, with its messages', () => {
    expect(() => parse([{ group: { _id: null } }])).toThrow("Invalid aggregate stage 'group'.");
    expect(() => parse([{ $match: {}, $limit: 1 }])).toThrow(
      'Pipeline stages should only have one key but found $match, $limit.',
    );
    expect(() => parse([{ $group: { objectId: null } }])).toThrow(
      "Cannot use 'objectId' in aggregation stage $group.",
    );
    expect(() => parse([{ $group: { n: { $sum: 1 } } }])).toThrow(
      'Invalid parameter for query: group. Missing key _id',
    );
  });

  it('refuses unknown stages, operators and accumulators and bad arguments with 102', () => {
    refusal([{ $bucket: {} }]);
    refusal([1]);
    refusal([{ $group: { _id: null, n: { $median: '$score' } } }]);
    refusal([{ $group: { _id: null, n: 1 } }]);
    refusal([{ $group: { _id: { $add: ['$score', 1] } } }]);
    refusal([{ $project: { x: { $concat: ['$a', '$b'] } } }]);
    refusal([{ $project: { score: 1, tags: 0 } }]);
    refusal([{ $project: {} }]);
    refusal([{ $sort: { score: 2 } }]);
    refusal([{ $limit: -1 }]);
    refusal([{ $limit: 0 }]);
    refusal([{ $skip: 1.5 }]);
    refusal([{ $count: '$n' }]);
    refusal([{ $unwind: 'tags' }]);
    refusal([{ $sample: {} }]);
    refusal([
      { $lookup: { from: 'Team', localField: 'team', foreignField: 'objectId', as: 't', pipeline: [] } },
    ]);
    refusal([{ $group: { _id: '$$ROOT' } }]);
    refusal([{ $group: { _id: null } }, { $match: { name: { $inQuery: { className: 'A', where: {} } } } }]);
    refusal([{ $sort: { 'bad-name': 1 } }], ParseErrorCode.INVALID_KEY_NAME);
  });
});
