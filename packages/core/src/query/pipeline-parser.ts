import type { JsonValue } from '../contracts/values.js';
import { isJsonObject, type JsonObject } from '../encoding/values.js';
import { isValidClassName } from '../schema/names.js';
import type { ClassSchema, FieldDefinition } from '../schema/types.js';
import {
  documentPath,
  fieldReference,
  invalidPipeline,
  outputName,
  parseAccumulator,
  parseExpression,
  parseName,
} from './pipeline-expressions.js';
import type { AggregateExpression, AggregateStage, PipelineSortKey } from './pipeline-types.js';
import type { Condition } from './types.js';
import { type WhereContext, parseWhere } from './where-parser.js';

/** The fields a document is known to have, with their Parse types, as the pipeline reshapes it. */
type Shape = Map<string, FieldDefinition>;

/** A field of unknown type in a `$match` after a reshaping stage: compared as any JSON value. */
const ANY_VALUE: FieldDefinition = { type: 'Object' };

const NUMBER: FieldDefinition = { type: 'Number' };

/**
 * Turns a REST aggregation pipeline (already JSON-decoded: an array of one-key stage objects)
 * into validated {@link AggregateStage}s for `schema`'s class.
 * @throws {ParseError} INVALID_QUERY on an unknown stage, operator or accumulator or a bad
 *   argument; INVALID_KEY_NAME on a bad field path; the `where` parser's errors for `$match`.
 */
export function parsePipeline(
  stages: readonly JsonValue[],
  schema: ClassSchema,
  context: WhereContext,
): AggregateStage[] {
  const shape: Shape = new Map(
    Object.entries(schema.fields).filter(([, field]) => field.type !== 'Relation' && field.type !== 'ACL'),
  );
  shape.set('objectId', { type: 'String' });
  shape.set('createdAt', { type: 'Date' });
  shape.set('updatedAt', { type: 'Date' });
  const parsed: AggregateStage[] = [];
  for (const stage of stages) {
    if (!isJsonObject(stage))
      throw invalidPipeline('Pipeline stages must be objects, such as { "$limit": 10 }');
    const keys = Object.keys(stage);
    if (keys.length !== 1) {
      throw invalidPipeline(`Pipeline stages should only have one key but found ${keys.join(', ')}.`);
    }
    const [name = ''] = keys;
    const onClass = parsed.every((previous) => previous.kind === 'match' && previous.onClass);
    parsed.push(parseStage(name, stage[name], { schema, context, shape, onClass }));
  }
  return parsed;
}

interface StageContext {
  readonly schema: ClassSchema;
  readonly context: WhereContext;
  readonly shape: Shape;
  /** Every stage before this one was a `$match` on the class. */
  readonly onClass: boolean;
}

function parseStage(name: string, value: JsonValue | undefined, stage: StageContext): AggregateStage {
  if (!name.startsWith('$')) throw invalidPipeline(`Invalid aggregate stage '${name}'.`);
  switch (name) {
    case '$match':
      return parseMatch(value, stage);
    case '$group':
      return parseGroup(value, stage.shape);
    case '$project':
      return parseProject(value, stage.shape);
    case '$sort':
      return parseSort(value);
    case '$limit':
      return { kind: 'limit', count: count(value, '$limit', 1) };
    case '$skip':
      return { kind: 'skip', count: count(value, '$skip', 0) };
    case '$count': {
      const field = outputName(value, '$count');
      stage.shape.clear();
      stage.shape.set(field, NUMBER);
      return { kind: 'count', field };
    }
    case '$unwind':
      return parseUnwind(value, stage.shape);
    case '$sample': {
      if (!isJsonObject(value) || Object.keys(value).some((key) => key !== 'size')) {
        throw invalidPipeline('$sample needs { "size": <number> }');
      }
      return { kind: 'sample', size: count(value.size, '$sample size', 0) };
    }
    case '$lookup':
      return parseLookup(value, stage.shape);
    default:
      throw invalidPipeline(`Unsupported aggregate stage '${name}'.`);
  }
}

function count(value: JsonValue | undefined, where: string, minimum: number): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < minimum) {
    throw invalidPipeline(
      `${where} must be ${minimum === 0 ? 'a non-negative' : 'a positive'} integer, not ${JSON.stringify(value)}`,
    );
  }
  return value;
}

function parseMatch(value: JsonValue | undefined, stage: StageContext): AggregateStage {
  if (!isJsonObject(value)) throw invalidPipeline('$match needs a query object');
  const where = prepareWhere(value, stage.shape);
  if (stage.onClass) {
    return { kind: 'match', where: parseWhere(where, stage.schema, stage.context), onClass: true };
  }
  const fields: Record<string, FieldDefinition> = {};
  for (const key of topLevelKeys(where)) fields[key] = stage.shape.get(key) ?? ANY_VALUE;
  const condition = parseWhere(where, { ...stage.schema, fields }, stage.context);
  checkDocumentCondition(condition);
  return { kind: 'match', where: condition, onClass: false };
}

/**
 * Renames MongoDB's column names to Parse names and, on Date fields, reads ISO strings as
 * dates (parse-server accepts both `"2020-01-01"` and `{__type: 'Date', iso}` there).
 */
function prepareWhere(where: JsonObject, shape: Shape): JsonObject {
  const prepared: JsonObject = {};
  for (const [key, value] of Object.entries(where)) {
    if ((key === '$and' || key === '$or' || key === '$nor') && Array.isArray(value)) {
      prepared[key] = value.map((clause) => (isJsonObject(clause) ? prepareWhere(clause, shape) : clause));
      continue;
    }
    if (key.startsWith('$')) {
      prepared[key] = value;
      continue;
    }
    const [first = '', ...rest] = key.split('.');
    const name = [parseName(first), ...rest].join('.');
    prepared[name] = rest.length === 0 && shape.get(name)?.type === 'Date' ? datesIn(value) : value;
  }
  return prepared;
}

function datesIn(value: JsonValue): JsonValue {
  if (typeof value === 'string' && !Number.isNaN(Date.parse(value))) {
    return { __type: 'Date', iso: new Date(value).toISOString() };
  }
  if (Array.isArray(value)) return value.map(datesIn);
  if (isJsonObject(value) && value.__type === undefined) {
    return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, datesIn(inner)]));
  }
  return value;
}

function topLevelKeys(where: JsonObject): Set<string> {
  const keys = new Set<string>();
  for (const [key, value] of Object.entries(where)) {
    if (Array.isArray(value) && (key === '$and' || key === '$or' || key === '$nor')) {
      for (const clause of value)
        if (isJsonObject(clause)) for (const inner of topLevelKeys(clause)) keys.add(inner);
    } else if (!key.startsWith('$')) {
      keys.add(key.split('.')[0] ?? key);
    }
  }
  return keys;
}

/** Conditions that need the class's table (subqueries, text, geo) only work in a leading `$match`. */
function checkDocumentCondition(condition: Condition): void {
  switch (condition.kind) {
    case 'and':
    case 'or':
    case 'nor':
      for (const inner of condition.conditions) checkDocumentCondition(inner);
      return;
    case 'compare':
    case 'in':
    case 'all':
    case 'containedBy':
    case 'exists':
    case 'regex':
    case 'constant':
      return;
    default:
      throw invalidPipeline(
        `$match after a reshaping stage supports comparisons, $in, $nin, $all, $exists, $regex, $and, $or and $nor; this query needs a $match at the start of the pipeline (${condition.kind})`,
      );
  }
}

function parseGroup(value: JsonValue | undefined, shape: Shape): AggregateStage {
  if (!isJsonObject(value)) throw invalidPipeline('$group needs an object with an _id');
  if (Object.hasOwn(value, 'objectId')) {
    throw invalidPipeline("Cannot use 'objectId' in aggregation stage $group.");
  }
  if (!Object.hasOwn(value, '_id')) {
    throw invalidPipeline('Invalid parameter for query: group. Missing key _id');
  }
  const key = parseExpression(value._id, '$group._id');
  const fields = Object.entries(value)
    .filter(([name]) => name !== '_id')
    .map(([name, accumulator]) => ({
      name: outputName(name, '$group'),
      accumulator: parseAccumulator(accumulator, `$group.${name}`),
    }));
  const next: Shape = new Map();
  for (const { name, accumulator } of fields) {
    if (accumulator.op === 'sum' || accumulator.op === 'avg' || accumulator.op === 'count')
      next.set(name, NUMBER);
    else if (accumulator.op !== 'push' && accumulator.op !== 'addToSet') {
      const type = typeOf(accumulator.of, shape);
      if (type) next.set(name, type);
    }
  }
  replace(shape, next);
  return { kind: 'group', key, fields };
}

/** The Parse type an expression has, when known: a top-level field's, or Number for date parts. */
function typeOf(expression: AggregateExpression, shape: Shape): FieldDefinition | undefined {
  if (expression.kind === 'datePart') return NUMBER;
  if (expression.kind === 'field' && expression.path.length === 1) return shape.get(expression.path[0] ?? '');
  return undefined;
}

function replace(shape: Shape, next: Shape): void {
  shape.clear();
  for (const [name, type] of next) shape.set(name, type);
}

function parseProject(value: JsonValue | undefined, shape: Shape): AggregateStage {
  if (!isJsonObject(value) || Object.keys(value).length === 0) {
    throw invalidPipeline('$project needs at least one field');
  }
  const include: string[] = [];
  const exclude: string[] = [];
  const computed: { name: string; value: AggregateExpression }[] = [];
  for (const [written, spec] of Object.entries(value)) {
    if (written.includes('.'))
      throw invalidPipeline(`$project of a dotted path is not supported: ${written}`);
    const name = outputName(written, '$project');
    // MongoDB reads any non-zero number as "include".
    if (spec === true || (typeof spec === 'number' && spec !== 0)) include.push(name);
    else if (spec === 0 || spec === false) exclude.push(name);
    else computed.push({ name, value: parseExpression(spec, `$project.${written}`) });
  }
  const excludeId = exclude.includes('objectId');
  const others = exclude.filter((name) => name !== 'objectId');
  if (include.length === 0 && computed.length === 0) {
    for (const name of exclude) shape.delete(name);
    return { kind: 'project', mode: 'exclude', keys: exclude };
  }
  if (others.length > 0) {
    throw invalidPipeline(`$project cannot mix inclusion and exclusion (excluded ${others.join(', ')})`);
  }
  const next: Shape = new Map();
  for (const name of excludeId ? include : ['objectId', ...include]) {
    const type = shape.get(name);
    if (type) next.set(name, type);
  }
  for (const { name, value: expression } of computed) {
    const type = typeOf(expression, shape);
    if (type) next.set(name, type);
    else next.delete(name);
  }
  replace(shape, next);
  return { kind: 'project', mode: 'include', keys: include, excludeId, computed };
}

function parseSort(value: JsonValue | undefined): AggregateStage {
  if (!isJsonObject(value) || Object.keys(value).length === 0) {
    throw invalidPipeline('$sort needs at least one field, such as { "score": -1 }');
  }
  const keys: PipelineSortKey[] = Object.entries(value).map(([field, direction]) => {
    if (direction !== 1 && direction !== -1) {
      throw invalidPipeline(`$sort key ordering must be 1 (for ascending) or -1 (for descending): ${field}`);
    }
    return { path: documentPath(field, '$sort'), descending: direction === -1 };
  });
  return { kind: 'sort', keys };
}

function parseUnwind(value: JsonValue | undefined, shape: Shape): AggregateStage {
  const spec = typeof value === 'string' ? { path: value } : value;
  if (!isJsonObject(spec)) throw invalidPipeline("$unwind needs a field path such as '$tags' or { path }");
  const { path, includeArrayIndex, preserveNullAndEmptyArrays, ...rest } = spec;
  const extra = Object.keys(rest)[0];
  if (extra !== undefined) throw invalidPipeline(`Unknown $unwind option ${extra}`);
  const documentPath = fieldReference(path, '$unwind');
  if (preserveNullAndEmptyArrays !== undefined && typeof preserveNullAndEmptyArrays !== 'boolean') {
    throw invalidPipeline('$unwind preserveNullAndEmptyArrays must be a boolean');
  }
  shape.delete(documentPath[0] ?? '');
  const stage: AggregateStage = {
    kind: 'unwind',
    path: documentPath,
    preserveEmpty: preserveNullAndEmptyArrays === true,
  };
  if (includeArrayIndex === undefined) return stage;
  const indexField = outputName(includeArrayIndex, '$unwind includeArrayIndex');
  shape.set(indexField, NUMBER);
  return { ...stage, indexField };
}

function parseLookup(value: JsonValue | undefined, shape: Shape): AggregateStage {
  if (!isJsonObject(value)) throw invalidPipeline('$lookup needs { from, localField, foreignField, as }');
  const { from, localField, foreignField, as, ...rest } = value;
  const extra = Object.keys(rest)[0];
  if (extra !== undefined) throw invalidPipeline(`$lookup option ${extra} is not supported`);
  if (typeof from !== 'string' || !isValidClassName(from)) {
    throw invalidPipeline('$lookup from must name a class of the app');
  }
  if (typeof localField !== 'string' || typeof foreignField !== 'string') {
    throw invalidPipeline('$lookup needs localField and foreignField (field paths without $)');
  }
  const name = outputName(as, '$lookup as');
  shape.set(name, { type: 'Array' });
  return {
    kind: 'lookup',
    from,
    localPath: documentPath(localField, '$lookup localField'),
    foreignPath: documentPath(foreignField, '$lookup foreignField'),
    as: name,
  };
}
