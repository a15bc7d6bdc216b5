import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { StorageAdapter } from '@openparse/core';
import { PostgresStorageAdapter } from '@openparse/storage-postgres';
import { ConfigError } from './options/config-error.js';

/** Where the embedded default keeps its files (`keys.json`, `db/`), relative to the working directory. */
export const EMBEDDED_DIR = '.openparse';

/** The storage a configuration selects, and how to name it in the banner. */
export interface SelectedStorage {
  readonly storage: StorageAdapter;
  /** The kind and location of the database, password redacted. */
  readonly description: string;
  /** True for the embedded PGlite database. */
  readonly embedded: boolean;
}

/** A database URL with its password replaced by `***`, safe to print. */
export function redactURI(uri: string): string {
  if (!URL.canParse(uri)) return '(unparsable URL)';
  const url = new URL(uri);
  if (url.password) url.password = '***';
  return url.toString();
}

/**
 * The storage adapter for `databaseURI`: none → PGlite in `<cwd>/.openparse/db`;
 * `postgres://` / `postgresql://` → PostgreSQL.
 * @throws {ConfigError} for `mongodb://` (no MongoDB adapter yet) and any other scheme.
 */
export function selectStorage(databaseURI: string | undefined, cwd: string): SelectedStorage {
  if (databaseURI === undefined) {
    const dataDir = join(resolve(cwd, EMBEDDED_DIR), 'db');
    mkdirSync(dataDir, { recursive: true });
    return {
      storage: new PostgresStorageAdapter({ pglite: { dataDir } }),
      description: `embedded PGlite (${dataDir})`,
      embedded: true,
    };
  }
  const protocol = URL.canParse(databaseURI) ? new URL(databaseURI).protocol : '';
  if (protocol === 'postgres:' || protocol === 'postgresql:') {
    return {
      storage: new PostgresStorageAdapter({ uri: databaseURI }),
      description: `PostgreSQL ${redactURI(databaseURI)}`,
      embedded: false,
    };
  }
  if (protocol === 'mongodb:' || protocol === 'mongodb+srv:') {
    throw new ConfigError(
      "option 'databaseURI': MongoDB storage (@openparse/storage-mongo) is not available yet; use a postgres:// URL, or none for the embedded database.",
    );
  }
  throw new ConfigError(`option 'databaseURI' must be a postgres:// URL, got '${redactURI(databaseURI)}'.`);
}
