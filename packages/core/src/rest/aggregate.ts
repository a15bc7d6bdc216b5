import type { JsonValue } from '../contracts/values.js';
import { permissionsToAcl } from '../encoding/acl.js';
import { isJsonObject } from '../encoding/values.js';
import { ParseError, ParseErrorCode } from '../errors.js';
import { parsePipeline } from '../query/pipeline-parser.js';
import { parseWhere } from '../query/where-parser.js';
import { assertClassName } from '../schema/names.js';
import { DEFAULT_CLASS_LEVEL_PERMISSIONS } from '../schema/system-classes.js';
import { whereContext } from './object-read.js';
import type { AppContext, RestRequest, RestResponse } from './types.js';

/** Query parameters that are options, not stages, when the stages are given as parameters. */
const OPTIONS = new Set([
  'distinct',
  'where',
  'pipeline',
  'hint',
  'explain',
  'comment',
  'readPreference',
  'rawValues',
  'rawFieldNames',
]);

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
 * The stages as parse-server reads them: `pipeline` as a JSON array of stages or a JSON object
 * whose keys are stages, or else the stages as query parameters (`?$group=…&$sort=…`).
 */
function stagesOf(query: RestRequest['query']): JsonValue[] | undefined {
  const { pipeline } = query;
  let source: JsonValue;
  if (pipeline !== undefined) {
    if (typeof pipeline === 'string') {
      try {
        source = JSON.parse(pipeline) as JsonValue;
      } catch (cause) {
        throw new ParseError(ParseErrorCode.INVALID_QUERY, 'pipeline is not valid JSON', { cause });
      }
    } else source = pipeline;
  } else {
    const entries = Object.entries(query).filter(([key]) => !OPTIONS.has(key));
    if (entries.length === 0) return undefined;
    source = Object.fromEntries(
      entries.map(([key, value]) => [key, typeof value === 'string' ? parseLoosely(value) : (value ?? null)]),
    );
  }
  if (Array.isArray(source)) return source;
  if (isJsonObject(source)) return Object.entries(source).map(([key, value]) => ({ [key]: value }));
  throw new ParseError(
    ParseErrorCode.INVALID_QUERY,
    'pipeline must be an array of stages or an object of stages',
  );
}

/** A stage given as a query parameter: JSON when it parses, else the text (`$count=total`). */
function parseLoosely(value: string): JsonValue {
  try {
    return JSON.parse(value) as JsonValue;
  } catch {
    return value;
  }
}

/** An output document as the REST API answers it (the shapes parse-server answers). */
function answerDocument(document: Record<string, unknown>, app: AppContext): Record<string, JsonValue> {
  const out: Record<string, JsonValue> = {};
  for (const [key, value] of Object.entries(document)) {
    if (key === '_rperm' || key === '_wperm' || value === undefined) continue;
    if ((key === 'createdAt' || key === 'updatedAt') && isJsonObject(value) && value.__type === 'Date') {
      out[key] = value.iso as JsonValue;
    } else if (isJsonObject(value) && value.__type === 'File' && typeof value.name === 'string') {
      out[key] = { ...value, url: app.fileUrl(value.name) };
    } else out[key] = value as JsonValue;
  }
  const { _rperm: readers, _wperm: writers } = document;
  if (Array.isArray(readers) || Array.isArray(writers)) {
    out.ACL = permissionsToAcl(readers as string[] | undefined, writers as string[] | undefined);
  }
  return out;
}

/**
 * `GET /aggregate/:className` (master key): `distinct` with an optional `where`, or an
 * aggregation pipeline (needs `capabilities.aggregate` on the storage adapter). The read-only
 * master key may aggregate, as parse-server 9 allows by default: no stage here writes (`$out`
 * and `$merge` are refused as unknown stages).
 */
export async function aggregate(req: RestRequest, app: AppContext, className: string): Promise<RestResponse> {
  if (req.auth.isReadOnly && !app.allowAggregationForReadOnlyMasterKey) {
    throw new ParseError(
      ParseErrorCode.OPERATION_FORBIDDEN,
      'Cannot run an aggregation pipeline when using the readOnlyMasterKey',
      { exposed: true },
    );
  }
  assertClassName(className);
  const { distinct, where } = req.query;
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
  const stages = stagesOf(req.query);
  if (stages === undefined)
    throw new ParseError(ParseErrorCode.INVALID_QUERY, 'aggregate needs a pipeline or distinct');
  if (!app.storage.capabilities.aggregate || !req.storage.aggregate) {
    throw new ParseError(
      ParseErrorCode.COMMAND_UNAVAILABLE,
      'Aggregation pipelines are not supported by this storage adapter.',
    );
  }
  // Validated even when the class does not exist, so bad input is refused the same way.
  const pipeline = parsePipeline(
    stages,
    schema ?? { className, fields: {}, classLevelPermissions: DEFAULT_CLASS_LEVEL_PERMISSIONS },
    whereContext(req, app),
  );
  if (!schema || !(await app.schema.exists(className))) return { body: { results: [] } };
  const results = await req.storage.aggregate({ className, pipeline });
  return { body: { results: results.map((document) => answerDocument(document, app)) } };
}
