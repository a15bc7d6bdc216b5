import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { JsonValue } from '../contracts/values.js';

/**
 * The `fileAccess` option (OpenParse's, not parse-server's). With `mode: 'signed'`, files are
 * served only through short-lived signed URLs: every file URL the server answers (File fields,
 * uploads) carries `?expires=<unix seconds>&signature=<HMAC>`, and a download without a valid,
 * unexpired signature answers 403. The master key may download without one.
 */
export interface FileAccessOptions {
  /** `public` (parse-server's behaviour: anyone with the URL) or `signed`. @default 'public' */
  readonly mode?: 'public' | 'signed';
  /**
   * The HMAC-SHA256 key. Every server of an app must share it.
   * @default derived from the master key (changing the master key invalidates every URL)
   */
  readonly secret?: string;
  /** Seconds a URL stays valid (at least; expiry is rounded up so URLs stay cacheable). @default 3600 */
  readonly urlTtl?: number;
}

/** Signs and checks file URLs for `fileAccess: { mode: 'signed' }`. */
export class FileUrlSigner {
  readonly #key: Buffer;
  readonly #ttl: number;
  /** Expiry is rounded up to a multiple of this, so one file's URL stays the same for a while. */
  readonly #step: number;

  /** @throws {TypeError} / {RangeError} naming the invalid setting */
  constructor(options: FileAccessOptions, masterKey: string) {
    if (options.secret !== undefined && (typeof options.secret !== 'string' || options.secret.length < 16)) {
      throw new TypeError(
        `[core] ParseServer option 'fileAccess.secret' must be a string of at least 16 characters`,
      );
    }
    const ttl = options.urlTtl ?? 3600;
    if (!Number.isInteger(ttl) || ttl < 1) {
      throw new RangeError(
        `[core] ParseServer option 'fileAccess.urlTtl' must be a positive number of seconds`,
      );
    }
    this.#key = options.secret
      ? Buffer.from(options.secret)
      : createHash('sha256').update(`openparse file access\0${masterKey}`).digest();
    this.#ttl = ttl;
    this.#step = Math.max(1, Math.floor(ttl / 10));
  }

  /** `url` with the query string that lets it be downloaded until it expires. */
  sign(url: string, appId: string, name: string, now = Date.now()): string {
    const seconds = Math.floor(now / 1000) + this.#ttl;
    const expires = Math.ceil(seconds / this.#step) * this.#step;
    return `${url}?expires=${expires}&signature=${this.#signature(appId, name, expires)}`;
  }

  /** True when `query` holds an unexpired signature for this file. */
  verify(
    appId: string,
    name: string,
    query: Readonly<Record<string, JsonValue | undefined>>,
    now = Date.now(),
  ): boolean {
    const expires = Number(query.expires);
    const signature = query.signature;
    if (!Number.isInteger(expires) || typeof signature !== 'string') return false;
    if (expires * 1000 <= now) return false;
    const expected = Buffer.from(this.#signature(appId, name, expires));
    const given = Buffer.from(signature);
    return given.length === expected.length && timingSafeEqual(given, expected);
  }

  #signature(appId: string, name: string, expires: number): string {
    return createHmac('sha256', this.#key).update(`${appId}\0${name}\0${expires}`).digest('base64url');
  }
}
