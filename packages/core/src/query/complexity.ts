import { ParseError, ParseErrorCode } from '../errors.js';

/**
 * parse-server 9's `requestComplexity`: limits on what one request may ask of the database.
 * Every number is a maximum, `-1` turns the limit off. None applies to the master or
 * maintenance key.
 */
export interface RequestComplexity {
  /** Longest `include` path (`a.b.c` is 3). */
  readonly includeDepth: number;
  /** Include paths per query, counted after `a.b` is expanded to `a` and `a.b`. */
  readonly includeCount: number;
  /** Nesting of `$or` / `$and` / `$nor` inside one query. */
  readonly queryDepth: number;
  /** Nesting of `$inQuery` / `$notInQuery` / `$select` / `$dontSelect`. */
  readonly subqueryDepth: number;
  /** Rows a subquery may match (it is cut there). */
  readonly subqueryLimit: number;
  /** Sub-requests in one `/batch`. */
  readonly batchRequestLimit: number;
  /** `$regex` is allowed. */
  readonly allowRegex: boolean;
  /** Accepted for parse-server configurations; OpenParse has no GraphQL API. */
  readonly graphQLDepth: number;
  readonly graphQLFields: number;
}

/** parse-server 9's defaults: every limit off, regexes allowed. */
export const UNLIMITED_COMPLEXITY: RequestComplexity = Object.freeze({
  includeDepth: -1,
  includeCount: -1,
  queryDepth: -1,
  subqueryDepth: -1,
  subqueryLimit: -1,
  batchRequestLimit: -1,
  allowRegex: true,
  graphQLDepth: -1,
  graphQLFields: -1,
});

/**
 * The `requestComplexity` option with its defaults filled in.
 * @throws {TypeError} / {RangeError} naming the setting that is wrong
 */
export function resolveRequestComplexity(options: Partial<RequestComplexity> | undefined): RequestComplexity {
  if (options === undefined || options === null) return UNLIMITED_COMPLEXITY;
  if (typeof options !== 'object' || Array.isArray(options)) {
    throw new TypeError(`[core] ParseServer option 'requestComplexity' must be an object`);
  }
  const resolved: Record<string, number | boolean> = { ...UNLIMITED_COMPLEXITY };
  for (const [key, value] of Object.entries(options)) {
    if (!(key in UNLIMITED_COMPLEXITY)) {
      throw new TypeError(`[core] ParseServer option 'requestComplexity' has an unknown setting '${key}'`);
    }
    if (value === undefined) continue;
    if (key === 'allowRegex') {
      if (typeof value !== 'boolean') {
        throw new TypeError(`[core] ParseServer option 'requestComplexity.allowRegex' must be a boolean`);
      }
    } else if (!Number.isInteger(value) || ((value as number) < 1 && value !== -1)) {
      throw new RangeError(
        `[core] ParseServer option 'requestComplexity.${key}' must be a positive integer, or -1 for no limit`,
      );
    }
    resolved[key] = value as number | boolean;
  }
  return Object.freeze(resolved) as unknown as RequestComplexity;
}

function tooComplex(message: string): ParseError {
  return new ParseError(ParseErrorCode.INVALID_QUERY, message);
}

/** Checks `include` paths (already expanded to their prefixes) against the limits. */
export function assertIncludeComplexity(
  include: readonly (readonly string[])[],
  limits: RequestComplexity,
): void {
  if (include.length === 0) return;
  if (limits.includeDepth !== -1) {
    const depth = Math.max(...include.map((path) => path.length));
    if (depth > limits.includeDepth) {
      throw tooComplex(`Include depth of ${depth} exceeds maximum allowed depth of ${limits.includeDepth}`);
    }
  }
  if (limits.includeCount !== -1 && include.length > limits.includeCount) {
    throw tooComplex(
      `Number of include fields (${include.length}) exceeds maximum allowed (${limits.includeCount})`,
    );
  }
}

/** Checks how deep `$or` / `$and` / `$nor` nest (`depth` 1 is a clause of a top-level `$or`). */
export function assertLogicalDepth(depth: number, limits: RequestComplexity | undefined): void {
  if (limits && limits.queryDepth !== -1 && depth > limits.queryDepth) {
    throw tooComplex(`Query condition nesting depth exceeds maximum allowed depth of ${limits.queryDepth}`);
  }
}

/** Checks how deep subqueries nest (`depth` 1 is a subquery of the request's query). */
export function assertSubqueryDepth(depth: number, limits: RequestComplexity | undefined): void {
  if (limits && limits.subqueryDepth !== -1 && depth > limits.subqueryDepth) {
    throw tooComplex(`Subquery nesting depth exceeds maximum allowed depth of ${limits.subqueryDepth}`);
  }
}

/** Refuses `$regex` when `allowRegex` is off. */
export function assertRegexAllowed(limits: RequestComplexity | undefined): void {
  if (limits && !limits.allowRegex) throw tooComplex('$regex operator is not allowed');
}
