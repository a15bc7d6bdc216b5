import { ParseError, ParseErrorCode } from '../errors.js';
import type { Auth } from './auth.js';

/** One rule of parse-server's `rateLimit` option. */
export interface RateLimitOptions {
  /** The path it applies to, under the mount path: `/classes/*path`, `/functions/:name`, `*`. */
  readonly requestPath: string;
  /** The window, in milliseconds. */
  readonly requestTimeWindow: number;
  /** Requests allowed per window and key. */
  readonly requestCount: number;
  /** @default 'Too many requests.' */
  readonly errorResponseMessage?: string;
  /** Methods it applies to (a list, or a regular expression); all when not given. */
  readonly requestMethods?: readonly string[] | string;
  /** Count master-key requests too. @default false */
  readonly includeMasterKey?: boolean;
  /** Count requests from the server's own host (127.0.0.1, ::1). @default false */
  readonly includeInternalRequests?: boolean;
  /** What a key counts: each IP, the whole app, each session or each user. @default 'ip' */
  readonly zone?: 'ip' | 'global' | 'session' | 'user';
}

/** The request details a limit looks at. */
export interface RateLimitedRequest {
  /** The path under the mount path, without the query string. */
  readonly path: string;
  readonly method: string;
  readonly ip: string;
  readonly auth: Auth;
  readonly sessionToken?: string;
}

/** A refusal by a rate limit: HTTP 429, code 100 (`CONNECTION_FAILED`), as parse-server. */
export class RateLimitExceededError extends ParseError {
  constructor(message: string) {
    super(ParseErrorCode.CONNECTION_FAILED, message);
  }
}

interface Rule {
  readonly options: RateLimitOptions;
  readonly path: RegExp;
  readonly methods?: (method: string) => boolean;
  /** key → count and the end of its window. */
  readonly windows: Map<string, { count: number; endsAt: number }>;
}

const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);
/** Keys kept per rule before the oldest windows are dropped. */
const MAX_KEYS = 100_000;

/** A path pattern in parse-server's syntax (`:name` one segment, `*name` or `*` the rest) as a regex. */
function pathPattern(pattern: string): RegExp {
  const segments = pattern.split('/').filter((segment) => segment.length > 0);
  let source = '';
  for (const segment of segments) {
    if (segment.startsWith('*')) {
      source += '(?:/.*)?';
      break;
    }
    if (segment.startsWith(':')) {
      source += '/[^/]+';
      continue;
    }
    // `Limited*path`: a literal prefix, then anything (the wildcard's name is only a label).
    const [literal = '', ...wildcards] = segment.split(/\*\w*/);
    const escapeLiteral = (text: string) => text.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
    source += `/${[literal, ...wildcards].map(escapeLiteral).join('.*')}`;
  }
  return new RegExp(`^${source}/?$`);
}

function methodMatcher(
  methods: RateLimitOptions['requestMethods'],
): ((method: string) => boolean) | undefined {
  if (methods === undefined) return undefined;
  if (Array.isArray(methods)) {
    const allowed = new Set(methods.map((method) => method.toUpperCase()));
    return (method) => allowed.has(method);
  }
  const regex = new RegExp(methods as string);
  return (method) => regex.test(method);
}

/**
 * Counts requests per rule and key in fixed windows, in this process's memory (a shared store
 * comes with the cache adapters).
 */
export class RateLimiter {
  readonly #rules: Rule[];

  /**
   * @param settings.allowZero a `requestCount` of 0 refuses every request (validators' limits)
   * @throws {TypeError} / {RangeError} naming the invalid rule
   */
  constructor(rules: readonly RateLimitOptions[], settings: { allowZero?: boolean } = {}) {
    this.#rules = rules.map((options, index) => {
      const label = `[core] rateLimit[${index}]`;
      if (typeof options?.requestPath !== 'string' || options.requestPath.length === 0) {
        throw new TypeError(`${label}.requestPath is required`);
      }
      for (const name of ['requestTimeWindow', 'requestCount'] as const) {
        const least = name === 'requestCount' && settings.allowZero ? 0 : 1;
        if (!Number.isInteger(options[name]) || options[name] < least) {
          throw new RangeError(`${label}.${name} must be a positive integer`);
        }
      }
      if (options.zone !== undefined && !['ip', 'global', 'session', 'user'].includes(options.zone)) {
        throw new RangeError(`${label}.zone must be ip, global, session or user`);
      }
      if ('redisUrl' in options) {
        throw new TypeError(`${label}.redisUrl is not supported yet: limits are kept in memory`);
      }
      return {
        options,
        path: pathPattern(options.requestPath),
        methods: methodMatcher(options.requestMethods),
        windows: new Map(),
      };
    });
  }

  /** True when no rule is configured (the handler skips the check). */
  get empty(): boolean {
    return this.#rules.length === 0;
  }

  /**
   * Counts the request against every rule that applies.
   * @throws {RateLimitExceededError} when a rule's count for the window is used up
   */
  check(request: RateLimitedRequest, now = Date.now()): void {
    for (const rule of this.#rules) {
      const { options } = rule;
      if (!rule.path.test(request.path)) continue;
      if (LOOPBACK.has(request.ip) && !options.includeInternalRequests) continue;
      if (request.auth.isMaster && !options.includeMasterKey) continue;
      if (rule.methods && !rule.methods(request.method)) continue;
      const key = keyFor(options.zone ?? 'ip', request);
      let window = rule.windows.get(key);
      if (!window || window.endsAt <= now) {
        if (rule.windows.size >= MAX_KEYS) prune(rule.windows, now);
        window = { count: 0, endsAt: now + options.requestTimeWindow };
        rule.windows.set(key, window);
      }
      window.count += 1;
      if (window.count > options.requestCount) {
        throw new RateLimitExceededError(options.errorResponseMessage ?? 'Too many requests.');
      }
    }
  }
}

function keyFor(zone: NonNullable<RateLimitOptions['zone']>, request: RateLimitedRequest): string {
  if (zone === 'global') return 'global';
  if (zone === 'session' && request.sessionToken) return `session:${request.sessionToken}`;
  if (zone === 'user' && request.auth.userId) return `user:${request.auth.userId}`;
  return `ip:${request.ip}`;
}

function prune(windows: Map<string, { endsAt: number }>, now: number): void {
  for (const [key, window] of windows) if (window.endsAt <= now) windows.delete(key);
  // Still full of live windows: drop the oldest half rather than grow without bound.
  if (windows.size >= MAX_KEYS) {
    let drop = windows.size / 2;
    for (const key of windows.keys()) {
      if (drop-- <= 0) break;
      windows.delete(key);
    }
  }
}
