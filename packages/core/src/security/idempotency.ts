import { fieldRef } from '../query/conditions.js';
import { isParseError, ParseError, ParseErrorCode } from '../errors.js';
import { newObjectId } from '../rest/object-id.js';
import type { AppContext } from '../rest/types.js';

/** parse-server's `idempotencyOptions`. */
export interface IdempotencyOptions {
  /** Regular expressions for the paths (under the mount path, no leading slash) it covers. */
  readonly paths?: readonly string[];
  /** Seconds a request id is remembered. @default 300 */
  readonly ttl?: number;
}

const CLASS = '_Idempotency';
/** Expired ids are swept once in this many new ones. */
const SWEEP_EVERY = 100;

/**
 * Refuses a retried write: the first request with an `X-Parse-Request-Id` records it in
 * `_Idempotency` (a unique index on `reqId`, as parse-server keeps it); a second one within
 * `ttl` answers 159 `Duplicate request`.
 */
export class IdempotencyGuard {
  readonly #paths: RegExp[];
  readonly #ttlMs: number;
  #ready: Promise<void> | undefined;
  #recorded = 0;

  /** @throws {TypeError} / {RangeError} naming the invalid setting */
  constructor(options: IdempotencyOptions = {}) {
    this.#paths = (options.paths ?? []).map((path, index) => {
      try {
        return new RegExp(path.startsWith('^') ? path : `^${path}`);
      } catch (cause) {
        throw new TypeError(`[core] idempotencyOptions.paths[${index}] is not a valid regular expression`, {
          cause,
        });
      }
    });
    const ttl = options.ttl ?? 300;
    if (!Number.isFinite(ttl) || ttl <= 0) {
      throw new RangeError('[core] idempotencyOptions.ttl must be a positive number of seconds');
    }
    this.#ttlMs = ttl * 1000;
  }

  /** True when some path is covered. */
  get enabled(): boolean {
    return this.#paths.length > 0;
  }

  /** True when `path` (with or without its leading slash) is covered. */
  covers(path: string): boolean {
    const trimmed = path.replace(/^\/|\/$/g, '');
    return this.#paths.some((regex) => regex.test(trimmed));
  }

  /**
   * Records `requestId`, or refuses it as a duplicate.
   * @throws {ParseError} DUPLICATE_REQUEST
   */
  async record(app: AppContext, requestId: string): Promise<void> {
    await this.#prepare(app);
    const insert = () => {
      const now = new Date();
      return app.storage.createObject(CLASS, {
        objectId: newObjectId(),
        createdAt: now,
        updatedAt: now,
        reqId: requestId,
        expire: new Date(now.getTime() + this.#ttlMs),
      });
    };
    try {
      await insert();
    } catch (error) {
      if (!isParseError(error) || error.code !== ParseErrorCode.DUPLICATE_VALUE) throw error;
      // The id may be left over from an expired request: forget it and try once more.
      const expired = await app.storage.deleteObjects({
        className: CLASS,
        where: {
          kind: 'and',
          conditions: [
            { kind: 'compare', field: fieldRef('reqId', 'String'), op: 'eq', value: requestId },
            { kind: 'compare', field: fieldRef('expire', 'Date'), op: 'lte', value: new Date() },
          ],
        },
      });
      if (expired === 0) throw new ParseError(ParseErrorCode.DUPLICATE_REQUEST, 'Duplicate request');
      await insert().catch((retry: unknown) => {
        if (isParseError(retry) && retry.code === ParseErrorCode.DUPLICATE_VALUE) {
          throw new ParseError(ParseErrorCode.DUPLICATE_REQUEST, 'Duplicate request');
        }
        throw retry;
      });
    }
    if (++this.#recorded % SWEEP_EVERY === 0) {
      await app.storage.deleteObjects({
        className: CLASS,
        where: { kind: 'compare', field: fieldRef('expire', 'Date'), op: 'lte', value: new Date() },
      });
    }
  }

  #prepare(app: AppContext): Promise<void> {
    this.#ready ??= (async () => {
      await app.schema.ensureFields(
        CLASS,
        { reqId: { type: 'String' }, expire: { type: 'Date' } },
        { allowCreateClass: true, allowAddField: true },
      );
      await app.storage.ensureUniqueness(CLASS, ['reqId']);
    })().catch((error: unknown) => {
      this.#ready = undefined;
      throw error;
    });
    return this.#ready;
  }
}
