import type { CacheAdapter, CacheCapabilities } from '../contracts/cache-adapter.js';

/** Options of {@link InMemoryCacheAdapter}. */
export interface InMemoryCacheAdapterOptions {
  /** Entries kept before the least recently used is evicted. @default 10000 */
  readonly maxSize?: number;
  /** Default time to live in milliseconds; 0 keeps entries until evicted. @default 5000 */
  readonly ttlMs?: number;
}

interface Entry {
  value: unknown;
  expiresAt: number;
  /** When it was last (re)inserted, counted in insertions. */
  stamp: number;
}

/**
 * The default cache: an LRU map in this process. Not shared between processes, so run
 * one process, or use `@openparse/cache-redis` for several.
 */
export class InMemoryCacheAdapter implements CacheAdapter {
  readonly capabilities: CacheCapabilities = { shared: false };
  readonly #entries = new Map<string, Entry>();
  readonly #maxSize: number;
  readonly #ttlMs: number;
  /** Insertions so far: an entry's distance from the newest end of the map. */
  #insertions = 0;

  constructor(options: InMemoryCacheAdapterOptions = {}) {
    this.#maxSize = options.maxSize ?? 10_000;
    this.#ttlMs = options.ttlMs ?? 5_000;
    if (!Number.isInteger(this.#maxSize) || this.#maxSize < 1) {
      throw new RangeError(
        `[core] InMemoryCacheAdapter maxSize must be a positive integer, got ${this.#maxSize}`,
      );
    }
    if (!(this.#ttlMs >= 0)) {
      throw new RangeError(`[core] InMemoryCacheAdapter ttlMs must be >= 0, got ${this.#ttlMs}`);
    }
  }

  /** Synchronous read, for callers on the hot path that hold the concrete adapter. */
  getSync<T>(key: string): T | undefined {
    const entry = this.#entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt !== 0 && entry.expiresAt <= Date.now()) {
      this.#entries.delete(key);
      return undefined;
    }
    // Re-insert to mark as most recently used (Map keeps insertion order), once the entry has
    // drifted a quarter of the way to eviction: a hot entry is never evicted, and reads of
    // recent entries (sessions on every request) do not reorder the map each time.
    if (this.#insertions - entry.stamp > this.#maxSize / 4) {
      this.#entries.delete(key);
      entry.stamp = ++this.#insertions;
      this.#entries.set(key, entry);
    }
    return entry.value as T;
  }

  async get<T>(key: string): Promise<T | undefined> {
    return this.getSync<T>(key);
  }

  async set(key: string, value: unknown, ttlMs = this.#ttlMs): Promise<void> {
    this.#entries.delete(key);
    this.#entries.set(key, {
      value,
      expiresAt: ttlMs > 0 ? Date.now() + ttlMs : 0,
      stamp: ++this.#insertions,
    });
    if (this.#entries.size > this.#maxSize) {
      const oldest = this.#entries.keys().next();
      if (!oldest.done) this.#entries.delete(oldest.value);
    }
  }

  async delete(key: string): Promise<void> {
    this.#entries.delete(key);
  }

  async clear(): Promise<void> {
    this.#entries.clear();
  }
}
