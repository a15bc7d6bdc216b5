import type { JsonValue } from '../contracts/values.js';
import { ParseError, ParseErrorCode } from '../errors.js';
import { parseWhere } from '../query/where-parser.js';
import { assertClassName } from '../schema/names.js';
import { whereContext } from './object-read.js';
import type { AppContext, RestRequest, RestResponse } from './types.js';

function jsonParam(name: string, value: JsonValue | undefined): JsonValue | undefined {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value) as JsonValue;
  } catch (cause) {
    throw new ParseError(ParseErrorCode.INVALID_JSON, `${name} is not valid JSON`, { cause });
  }
}

function answerValue(value: JsonValue | Date): JsonValue {
  return value instanceof Date ? { __type: 'Date', iso: value.toISOString() } : value;
}

/**
 * `GET /aggregate/:className` (master key): `distinct` with an optional `where`. Pipelines
 * need `capabilities.aggregate` on the storage adapter.
 */
export async function aggregate(req: RestRequest, app: AppContext, className: string): Promise<RestResponse> {
  assertClassName(className);
  const { distinct, where, pipeline, ...rest } = req.query;
  const unknown = Object.keys(rest).find((key) => !['readPreference', 'hint', 'explain'].includes(key));
  if (unknown) throw new ParseError(ParseErrorCode.INVALID_QUERY, `Invalid parameter for query: ${unknown}`);
  const schema = await app.schema.get(className);
  if (distinct !== undefined) {
    if (typeof distinct !== 'string' || !/^[A-Za-z][A-Za-z0-9_.]*$/.test(distinct)) {
      throw new ParseError(ParseErrorCode.INVALID_QUERY, 'distinct must name a field');
    }
    if (!schema || !(await app.schema.exists(className))) return { body: { results: [] } };
    const condition = parseWhere(jsonParam('where', where), schema, whereContext(req, app));
    const [name = distinct, ...path] = distinct.split('.');
    const definition = schema.fields[name];
    if (!definition) return { body: { results: [] } };
    const values = await req.storage.distinct({
      query: { className, where: condition },
      field: {
        name,
        path,
        type: definition.type,
        ...(definition.targetClass ? { targetClass: definition.targetClass } : {}),
      },
    });
    return { body: { results: values.map((value) => answerValue(value as JsonValue | Date)) } };
  }
  if (pipeline === undefined)
    throw new ParseError(ParseErrorCode.INVALID_QUERY, 'aggregate needs a pipeline or distinct');
  if (!app.storage.capabilities.aggregate || !req.storage.aggregate) {
    throw new ParseError(
      ParseErrorCode.COMMAND_UNAVAILABLE,
      'Aggregation pipelines are not supported by this storage adapter yet.',
    );
  }
  const stages = jsonParam('pipeline', pipeline);
  const list = Array.isArray(stages) ? stages : [stages];
  if (!list.every((stage) => typeof stage === 'object' && stage !== null && !Array.isArray(stage))) {
    throw new ParseError(ParseErrorCode.INVALID_QUERY, 'pipeline must be an array of stages');
  }
  const results = await req.storage.aggregate({ className, pipeline: list as Record<string, unknown>[] });
  return { body: { results: results as JsonValue } };
}
