import { isJsonObject } from '../encoding/values.js';
import type { RestRequest } from '../rest/types.js';
import { RateLimiter, type RateLimitOptions as RuleOptions } from '../security/rate-limit.js';

/** A validator's `rateLimit`: parse-server's RateLimitOptions without `requestPath` (the route is implied). */
export type RateLimitOptions = Omit<RuleOptions, 'requestPath'>;

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

/**
 * The `rateLimit` of validators: one server `rateLimit` rule per route and validator, counted
 * by the same fixed-window limiter (429, code 100 when used up).
 */
export class ValidatorRateLimits {
  readonly #limiters = new Map<string, WeakMap<RateLimitOptions, RateLimiter>>();

  /**
   * Counts the request against `route`'s limit (`defaults` fill what the validator leaves out).
   * The counters live as long as the validator's options object.
   * @throws {RateLimitExceededError} CONNECTION_FAILED (100, HTTP 429) when the limit is used up.
   */
  hit(
    route: string,
    options: RateLimitOptions,
    req: RestRequest,
    defaults: Partial<RateLimitOptions> = {},
  ): void {
    let byOptions = this.#limiters.get(route);
    if (!byOptions) {
      byOptions = new WeakMap();
      this.#limiters.set(route, byOptions);
    }
    let limiter = byOptions.get(options);
    if (!limiter) {
      // A validator's requestCount may be 0 (nothing allowed); the server option's rules need ≥ 1.
      limiter = new RateLimiter([{ ...defaults, ...options, requestPath: route }], { allowZero: true });
      byOptions.set(options, limiter);
    }
    limiter.check({
      path: route,
      method: req.method,
      ip: req.ip ?? '',
      auth: req.auth,
      ...(req.info.sessionToken ? { sessionToken: req.info.sessionToken } : {}),
    });
  }
}
