import type { JsonValue } from '../contracts/values.js';
import { decodeValue, isJsonObject } from '../encoding/values.js';
import { ParseError, ParseErrorCode } from '../errors.js';
import type { Accumulator, AggregateExpression, DatePart, DocumentPath } from './pipeline-types.js';

const SEGMENT = /^[A-Za-z_][A-Za-z0-9_]*$/;
const OUTPUT_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

const DATE_PARTS: Readonly<Record<string, DatePart>> = {
  $year: 'year',
  $month: 'month',
  $dayOfMonth: 'dayOfMonth',
  $hour: 'hour',
  $minute: 'minute',
  $second: 'second',
  $millisecond: 'millisecond',
  $dayOfWeek: 'dayOfWeek',
  $dayOfYear: 'dayOfYear',
  $week: 'week',
  $isoWeek: 'isoWeek',
  $isoDayOfWeek: 'isoDayOfWeek',
  $isoWeekYear: 'isoWeekYear',
};

const ACCUMULATORS: Readonly<Record<string, Accumulator['op']>> = {
  $sum: 'sum',
  $avg: 'avg',
  $min: 'min',
  $max: 'max',
  $push: 'push',
  $addToSet: 'addToSet',
  $first: 'first',
  $last: 'last',
  $count: 'count',
};

/** A 102 INVALID_QUERY error about the pipeline. */
export function invalidPipeline(message: string): ParseError {
  return new ParseError(ParseErrorCode.INVALID_QUERY, message);
}

/**
 * A field path as written in a pipeline (`a.b`, without the `$`), in Parse names: MongoDB's
 * `_id`, `_created_at`, `_updated_at` and `_p_<pointer>` name the Parse fields they store.
 */
export function documentPath(written: string, where: string): DocumentPath {
  const segments = written.split('.');
  if (!segments.every((segment) => SEGMENT.test(segment))) {
    throw new ParseError(ParseErrorCode.INVALID_KEY_NAME, `Invalid field name in ${where}: ${written}`);
  }
  const [first = '', ...rest] = segments;
  return [parseName(first), ...rest];
}

/** A top-level Parse field name for MongoDB's column names (`_id` → `objectId`…). */
export function parseName(name: string): string {
  if (name === '_id') return 'objectId';
  if (name === '_created_at') return 'createdAt';
  if (name === '_updated_at') return 'updatedAt';
  if (name.startsWith('_p_') && name.length > 3) return name.slice(3);
  return name;
}

/** An output field name (`$group`, `$project`, `$count`, `$unwind`'s index, `$lookup`'s `as`). */
export function outputName(name: unknown, where: string): string {
  if (typeof name !== 'string' || !OUTPUT_NAME.test(name)) {
    throw invalidPipeline(`Invalid output field name in ${where}: ${String(name)}`);
  }
  return parseName(name);
}

/** A field reference `'$a.b'`. */
export function fieldReference(value: unknown, where: string): DocumentPath {
  if (typeof value !== 'string' || !value.startsWith('$') || value.startsWith('$$')) {
    throw invalidPipeline(`${where} needs a field path starting with '$', such as '$score'`);
  }
  return documentPath(value.slice(1), where);
}

/** Parses an expression of `$group` or `$project`. */
export function parseExpression(value: JsonValue | undefined, where: string): AggregateExpression {
  if (value === undefined) throw invalidPipeline(`${where} needs a value`);
  if (typeof value === 'string') {
    if (!value.startsWith('$')) return { kind: 'literal', value };
    if (value.startsWith('$$'))
      throw invalidPipeline(`Aggregation variables such as ${value} are not supported (${where})`);
    return { kind: 'field', path: fieldReference(value, where) };
  }
  if (value === null || typeof value === 'number' || typeof value === 'boolean') {
    return { kind: 'literal', value };
  }
  if (Array.isArray(value)) throw invalidPipeline(`Array expressions are not supported (${where})`);
  const keys = Object.keys(value);
  const operator = keys.find((key) => key.startsWith('$'));
  if (operator === undefined) {
    return {
      kind: 'object',
      fields: keys.map((name) => ({
        name: outputName(name, where),
        value: parseExpression(value[name], `${where}.${name}`),
      })),
    };
  }
  if (keys.length !== 1)
    throw invalidPipeline(`An expression object must have exactly one operator (${where})`);
  const operand = value[operator];
  if (operator === '$literal') return { kind: 'literal', value: decodeValue(operand ?? null) };
  const part = DATE_PARTS[operator];
  if (part) return { kind: 'datePart', part, of: dateOperand(operand, `${where}.${operator}`) };
  throw invalidPipeline(`Unsupported aggregation expression operator ${operator} (${where})`);
}

/** A date operator's operand: an expression, or `{ date, timezone }` with timezone UTC. */
function dateOperand(operand: JsonValue | undefined, where: string): AggregateExpression {
  if (isJsonObject(operand) && 'date' in operand) {
    const { date, timezone, ...rest } = operand;
    const extra = Object.keys(rest)[0];
    if (extra !== undefined) throw invalidPipeline(`Unknown argument ${extra} (${where})`);
    if (timezone !== undefined && timezone !== 'UTC' && timezone !== 'Z' && timezone !== '+00:00') {
      throw invalidPipeline(`Only the UTC timezone is supported (${where})`);
    }
    return parseExpression(date, where);
  }
  return parseExpression(operand, where);
}

/** Parses one output field of `$group`: `{ <accumulator>: <expression> }`. */
export function parseAccumulator(value: JsonValue | undefined, where: string): Accumulator {
  if (!isJsonObject(value) || Object.keys(value).length !== 1) {
    throw invalidPipeline(`${where} must be an object with one accumulator, such as { "$sum": 1 }`);
  }
  const [operator = ''] = Object.keys(value);
  const op = ACCUMULATORS[operator];
  if (!op) throw invalidPipeline(`Unknown accumulator ${operator} (${where})`);
  if (op === 'count') {
    const operand = value[operator];
    if (!isJsonObject(operand) || Object.keys(operand).length > 0) {
      throw invalidPipeline(`$count takes no argument: { "$count": {} } (${where})`);
    }
    return { op };
  }
  return { op, of: parseExpression(value[operator], `${where}.${operator}`) };
}
