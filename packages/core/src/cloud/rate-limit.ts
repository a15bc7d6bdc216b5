import { isJsonObject } from '../encoding/values.js';
import { ParseError, ParseErrorCode } from '../errors.js';
import type { RestRequest } from '../rest/types.js';

/** A validator's `rateLimit` (parse-server's RateLimitOptions, as far as they apply in-process). */
export interface RateLimitOptions {
  /** The window in milliseconds. */
  readonly requestTimeWindow: number;
  /** Requests allowed per window and key. */
  readonly requestCount: number;
  /** @default 'Too many requests.' */
  readonly errorResponseMessage?: string;
  /** Also limit master-key requests. @default false */
  readonly includeMasterKey?: boolean;
  /** Also limit requests from 127.0.0.1 (cloud code's own). @default false */
  readonly includeInternalRequests?: boolean;
  /** Methods the limit applies to: a list, or a regular expression source. @default every method */
  readonly requestMethods?: readonly string[] | string;
  /** What is counted: per `ip` (default), `global`, `session` (session token) or `user`. */
  readonly zone?: 'ip' | 'global' | 'session' | 'user';
}

/** Reads a validator's `rateLimit`. @throws {TypeError} when it is not usable. */
export function rateLimitOptions(value: unknown, where: string): RateLimitOptions | undefined {
  if (value === undefined) return undefined;
  const options = value as Partial<RateLimitOptions>;
  if (
    !isJsonObject(value as never) ||
    typeof options.requestTimeWindow !== 'number' ||
    options.requestTimeWindow <= 0 ||
    typeof options.requestCount !== 'number' ||
    options.requestCount < 0
  ) {
    throw new TypeError(`${where}: rateLimit needs a positive requestTimeWindow and a requestCount`);
  }
  return options as RateLimitOptions;
}

/** A request over a validator's `rateLimit`: code 100, HTTP 429 (parse-server's answer). */
export class RateLimitError extends ParseError {
  /** The HTTP status the handler answers with. */
  readonly status = 429;

  constructor(message: string) {
    super(ParseErrorCode.CONNECTION_FAILED, message);
  }
}

const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

/**
 * Fixed-window request counters for the `rateLimit` of validators, in this process (parse-server
 * counts in memory too unless it has a Redis URL).
 */
export class RateLimiter {
  readonly #windows = new Map<string, { start: number; count: number }>();

  /**
   * Counts the request against `route`'s limit.
   * @throws {RateLimitError} CONNECTION_FAILED (100, HTTP 429) when the limit is exceeded.
   */
  hit(route: string, options: RateLimitOptions, req: RestRequest): void {
    const ip = req.ip ?? '';
    if (LOOPBACK.has(ip) && !options.includeInternalRequests) return;
    if (req.auth.isMaster && !options.includeMasterKey) return;
    const methods = options.requestMethods;
    if (methods !== undefined) {
      const applies = Array.isArray(methods)
        ? methods.includes(req.method)
        : new RegExp(methods as string).test(req.method);
      if (!applies) return;
    }
    const zone = options.zone ?? 'ip';
    const key =
      zone === 'global'
        ? route
        : zone === 'session' && req.info.sessionToken
          ? `${route} session ${req.info.sessionToken}`
          : zone === 'user' && req.auth.userId
            ? `${route} user ${req.auth.userId}`
            : `${route} ip ${ip}`;
    const now = Date.now();
    if (this.#windows.size > 10_000) this.#prune(now, options.requestTimeWindow);
    let window = this.#windows.get(key);
    if (!window || now - window.start >= options.requestTimeWindow) {
      window = { start: now, count: 0 };
      this.#windows.set(key, window);
    }
    window.count += 1;
    if (window.count > options.requestCount) {
      throw new RateLimitError(options.errorResponseMessage ?? 'Too many requests.');
    }
  }

  /** Forgets windows that ended: one entry per client must not grow without bound. */
  #prune(now: number, windowMs: number): void {
    for (const [key, window] of this.#windows) if (now - window.start >= windowMs) this.#windows.delete(key);
  }
}
