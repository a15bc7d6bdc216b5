/**
 * A key/value cache for sessions, roles and other derived data.
 *
 * Values are JSON-serialisable. Implementations: the in-memory LRU in core
 * (`InMemoryCacheAdapter`), `@openparse/cache-redis`. Misses resolve to `undefined`,
 * never reject; a backend failure rejects and core treats it as a miss.
 */
export interface CacheAdapter {
  readonly capabilities: CacheCapabilities;
  get<T>(key: string): Promise<T | undefined>;
  /**
   * A synchronous read, for caches held in this process. Optional: core reads sessions and
   * roles with it on every request when it is there, and with `get` otherwise. Entries it
   * answers must be the objects `set` stored (core remembers work done for them by identity).
   */
  getSync?<T>(key: string): T | undefined;
  /** Store `value`; `ttlMs` overrides the adapter's default time to live. */
  set(key: string, value: unknown, ttlMs?: number): Promise<void>;
  delete(key: string): Promise<void>;
  /** Remove every entry this adapter holds (its prefix only, for shared backends). */
  clear(): Promise<void>;
  /** Release connections. */
  close?(): Promise<void>;
}

/** What a cache adapter can do. */
export interface CacheCapabilities {
  /** Entries are visible to other processes. @default false */
  readonly shared?: boolean;
}
