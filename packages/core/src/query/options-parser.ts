import type { JsonValue } from '../contracts/values.js';
import { ParseError, ParseErrorCode } from '../errors.js';
import type { ClassSchema } from '../schema/types.js';
import type { ParseQuery, SortKey } from './types.js';
import { withoutDistanceOrder } from './geo.js';
import { hasTextCondition } from './text-search.js';
import { parseWhere, type WhereContext } from './where-parser.js';

const ALLOWED = new Set([
  'where',
  'limit',
  'skip',
  'order',
  'count',
  'keys',
  'excludeKeys',
  'include',
  'includeAll',
  'readPreference',
  'includeReadPreference',
  'subqueryReadPreference',
  'hint',
  'explain',
  'comment',
  'redirectClassNameForKey',
]);

/** A REST find, validated: the storage query plus what only core uses. */
export interface FindRequest {
  readonly query: ParseQuery;
  /** Answer `count` (with `limit: 0`, only the count). */
  readonly count: boolean;
  /** Top-level fields removed from the answer (`excludeKeys`). */
  readonly excludeKeys: ReadonlySet<string>;
  /** The fields the client asked for (`keys`), or undefined for all. */
  readonly keys: ReadonlySet<string> | undefined;
  /** Pointer paths to replace with their objects (`include`), `['*']` for every pointer field. */
  readonly include: readonly (readonly string[])[];
  /** Answer the database's plan instead of the objects (`explain`). */
  readonly explain: boolean;
}

/** Limits applied to every find. */
export interface FindLimits {
  readonly defaultLimit: number;
  readonly maxLimit?: number;
}

/**
 * Validates REST query parameters (from a query string or a `_method: GET` body).
 * @throws {ParseError} INVALID_QUERY, INVALID_JSON, INVALID_LIMIT, INVALID_SKIP, INVALID_KEY_NAME
 */
export function parseFindRequest(
  className: string,
  params: Readonly<Record<string, JsonValue | undefined>>,
  schema: ClassSchema | undefined,
  limits: FindLimits,
  context?: WhereContext,
): FindRequest {
  for (const key of Object.keys(params)) {
    if (!ALLOWED.has(key)) {
      throw new ParseError(ParseErrorCode.INVALID_QUERY, `Invalid parameter for query: ${key}`);
    }
  }
  const where = parseWhere(jsonParam('where', params.where), schema, context);
  const limit = integerParam(params.limit, ParseErrorCode.INVALID_LIMIT, 'limit') ?? limits.defaultLimit;
  const skip = integerParam(params.skip, ParseErrorCode.INVALID_SKIP, 'skip') ?? 0;
  const sort = parseOrder(params.order, schema);
  const keys = listParam(params.keys);
  const excludeKeys = new Set(listParam(params.excludeKeys));
  const count =
    params.count === true || params.count === 1 || params.count === '1' || params.count === 'true';
  const score = keys?.includes('$score') === true;
  const storageKeys = keys
    ? [...new Set(keys.filter((key) => key !== '$score').map((key) => key.split('.')[0] ?? key))]
    : undefined;
  if ((score || sort.some((key) => key.field === '$score')) && !hasTextCondition(where)) {
    throw new ParseError(ParseErrorCode.INVALID_QUERY, '$score needs a $text condition in the where');
  }
  const query: ParseQuery = {
    className,
    // An explicit order takes precedence over $nearSphere's distance order (REST guide).
    where: sort.length > 0 ? withoutDistanceOrder(where) : where,
    limit: limits.maxLimit !== undefined ? Math.min(limit, limits.maxLimit) : limit,
    skip,
    ...(sort.length > 0 ? { sort } : {}),
    ...(storageKeys ? { keys: storageKeys } : {}),
    ...(typeof params.hint === 'string' ? { hint: params.hint } : {}),
    ...(score ? { score } : {}),
  };
  const include = includePaths(params.include, params.includeAll);
  // The answer's fields: the keys asked for, `score` for `$score`.
  const answered = storageKeys ? new Set(score ? [...storageKeys, 'score'] : storageKeys) : undefined;
  const explain = params.explain === true || params.explain === 'true' || params.explain === '1';
  return { query, count, excludeKeys, keys: answered, include, explain };
}

function jsonParam(name: string, value: JsonValue | undefined): JsonValue | undefined {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value) as JsonValue;
  } catch (cause) {
    throw new ParseError(ParseErrorCode.INVALID_JSON, `${name} parameter is not valid JSON`, { cause });
  }
}

function integerParam(value: JsonValue | undefined, code: ParseErrorCode, name: string): number | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  const number = typeof value === 'string' ? Number(value) : value;
  if (typeof number !== 'number' || !Number.isInteger(number) || number < 0) {
    throw new ParseError(code, `${name} must be a non-negative integer, got ${JSON.stringify(value)}`);
  }
  return number;
}

function listParam(value: JsonValue | undefined): string[] | undefined {
  if (value === undefined || value === null) return undefined;
  const list = typeof value === 'string' ? value.split(',') : Array.isArray(value) ? value : undefined;
  if (!list?.every((item) => typeof item === 'string')) {
    throw new ParseError(ParseErrorCode.INVALID_QUERY, 'keys must be a comma-separated list of field names');
  }
  return (list as string[]).map((item) => item.trim()).filter((item) => item.length > 0);
}

function parseOrder(value: JsonValue | undefined, schema: ClassSchema | undefined): SortKey[] {
  const keys = listParam(value);
  if (!keys) return [];
  const sort: SortKey[] = [];
  for (const key of keys) {
    const descending = key.startsWith('-');
    const name = descending ? key.slice(1) : key;
    // Relevance orders most relevant first, whatever the sign (as MongoDB's text score).
    if (name === '$score') {
      sort.push({ field: '$score', descending: true });
      continue;
    }
    if (!/^[A-Za-z_][A-Za-z0-9_.]*$/.test(name)) {
      throw new ParseError(ParseErrorCode.INVALID_KEY_NAME, `Invalid field name: ${name}.`);
    }
    const [root = name, ...path] = name.split('.');
    const definition = schema?.fields[root];
    // A field the class does not have sorts every object equally: leave it out.
    if (!definition) continue;
    sort.push({ field: { name: root, path, type: definition.type }, descending });
  }
  return sort;
}

/** `include=a.b,c` → every prefix path once (`a`, `a.b`, `c`), shortest first. */
function includePaths(include: JsonValue | undefined, includeAll: JsonValue | undefined): string[][] {
  const listed = listParam(include) ?? [];
  if (includeAll === true || includeAll === 'true' || includeAll === '1') listed.push('*');
  const paths = new Map<string, string[]>();
  for (const entry of listed) {
    const segments = entry.split('.');
    if (
      segments.some(
        (segment) => segment.length === 0 || (segment !== '*' && !/^[A-Za-z][A-Za-z0-9_]*$/.test(segment)),
      )
    ) {
      throw new ParseError(ParseErrorCode.INVALID_KEY_NAME, `Invalid include path: ${entry}`);
    }
    for (let length = 1; length <= segments.length; length++) {
      const prefix = segments.slice(0, length);
      paths.set(prefix.join('.'), prefix);
    }
  }
  return [...paths.values()].sort((a, b) => a.length - b.length);
}
