import type { PGlite } from '@electric-sql/pglite';
import type pg from 'pg';

/** Options of `PostgresStorageAdapter`: a URL, a ready pool, or PGlite. */
export type PostgresStorageAdapterOptions = (
  | {
      /** A `postgres://` or `postgresql://` connection string. */
      readonly uri: string;
      /** Connections in the pool. @default 10 */
      readonly poolSize?: number;
    }
  | {
      /** A ready pool; the adapter never ends it. */
      readonly client: pg.Pool;
    }
  | {
      /** An open PGlite instance (never closed by the adapter), or where to keep one (in memory without `dataDir`). */
      readonly pglite: PGlite | { readonly dataDir?: string };
    }
) & {
  /**
   * A PostgreSQL schema (namespace) holding every table, created when missing; lets several apps
   * or test runs share one database. @default the connection's `search_path` (usually `public`)
   */
  readonly databaseSchema?: string;
};

const SOURCES = ['uri', 'client', 'pglite'] as const;

/** Checks the options; every message starts with `[storage-postgres]`. */
export function validateOptions(options: PostgresStorageAdapterOptions): void {
  if (typeof options !== 'object' || options === null) {
    throw new TypeError('[storage-postgres] options must be an object with uri, client or pglite');
  }
  const given = SOURCES.filter(
    (key) => key in options && (options as Record<string, unknown>)[key] !== undefined,
  );
  if (given.length !== 1) {
    throw new TypeError(
      `[storage-postgres] give exactly one of uri, client or pglite (got ${given.join(', ') || 'none'})`,
    );
  }
  if ('uri' in options && (typeof options.uri !== 'string' || !/^postgres(ql)?:\/\//.test(options.uri))) {
    throw new TypeError('[storage-postgres] uri must be a string starting with postgres:// or postgresql://');
  }
  if ('poolSize' in options && options.poolSize !== undefined) {
    if (!Number.isInteger(options.poolSize) || options.poolSize < 1) {
      throw new RangeError(
        `[storage-postgres] poolSize must be a positive integer, got ${String(options.poolSize)}`,
      );
    }
  }
  if (
    'client' in options &&
    (typeof options.client !== 'object' || typeof options.client?.query !== 'function')
  ) {
    throw new TypeError('[storage-postgres] client must be a pg.Pool');
  }
  if ('pglite' in options && (typeof options.pglite !== 'object' || options.pglite === null)) {
    throw new TypeError('[storage-postgres] pglite must be a PGlite instance or { dataDir? }');
  }
  const schema = options.databaseSchema;
  if (schema !== undefined && (typeof schema !== 'string' || !/^[A-Za-z_][A-Za-z0-9_]{0,62}$/.test(schema))) {
    throw new TypeError(
      `[storage-postgres] databaseSchema must be a plain identifier, got '${String(schema)}'`,
    );
  }
}
