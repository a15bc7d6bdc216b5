import type { ConnectionOptions } from '../database.js';
import type { PostgresStorageAdapter } from '../postgres-storage-adapter.js';

/**
 * Options of `PostgresFilesAdapter`: the storage adapter whose connection it shares (the
 * embedded default: one PGlite directory opens once), or a connection of its own.
 */
export type PostgresFilesAdapterOptions = (
  | {
      /** Share this adapter's connection and `databaseSchema`; it must be connected first (ParseServer does). */
      readonly storage: PostgresStorageAdapter;
    }
  | (ConnectionOptions & {
      /** A PostgreSQL schema for the files tables, created when missing. @default the search_path */
      readonly databaseSchema?: string;
    })
) & {
  /**
   * Encrypts new files with AES-256-GCM (parse-server's `encryptionKey`). Files written without a
   * key stay readable; files written with one need it. Change it with `rotateEncryptionKey`.
   */
  readonly encryptionKey?: string;
  /** Bytes per stored chunk (row). @default 261120 (255 KiB, as GridFS) */
  readonly chunkSize?: number;
};

const SOURCES = ['storage', 'uri', 'client', 'pglite'] as const;

/** Checks the options; every message starts with `[storage-postgres]`. */
export function validateFilesOptions(options: PostgresFilesAdapterOptions): void {
  if (typeof options !== 'object' || options === null) {
    throw new TypeError('[storage-postgres] PostgresFilesAdapter options must be an object');
  }
  const given = SOURCES.filter(
    (key) => key in options && (options as Record<string, unknown>)[key] !== undefined,
  );
  if (given.length !== 1) {
    throw new TypeError(
      `[storage-postgres] PostgresFilesAdapter needs exactly one of storage, uri, client or pglite (got ${given.join(', ') || 'none'})`,
    );
  }
  if ('uri' in options && (typeof options.uri !== 'string' || !/^postgres(ql)?:\/\//.test(options.uri))) {
    throw new TypeError('[storage-postgres] uri must be a string starting with postgres:// or postgresql://');
  }
  const key = options.encryptionKey;
  if (key !== undefined && (typeof key !== 'string' || key.length === 0)) {
    throw new TypeError('[storage-postgres] encryptionKey must be a non-empty string');
  }
  const size = options.chunkSize;
  if (size !== undefined && (!Number.isInteger(size) || size < 1024 || size > 16 * 1024 * 1024)) {
    throw new RangeError(
      `[storage-postgres] chunkSize must be an integer from 1024 to 16777216, got ${String(size)}`,
    );
  }
  const schema = 'databaseSchema' in options ? options.databaseSchema : undefined;
  if (schema !== undefined && (typeof schema !== 'string' || !/^[A-Za-z_][A-Za-z0-9_]{0,62}$/.test(schema))) {
    throw new TypeError(
      `[storage-postgres] databaseSchema must be a plain identifier, got '${String(schema)}'`,
    );
  }
}
