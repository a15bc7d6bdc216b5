import type { Database } from './database.js';

/** What a storage adapter lends the files adapter built on it. */
export interface SharedDatabase {
  /** Its open database, or `undefined` before `connect()` and after `close()`. */
  database(): Database | undefined;
  readonly databaseSchema?: string;
}

/**
 * Storage adapters of this package, by instance: the files adapter shares their connection
 * (one PGlite data directory can only be opened once) without a public accessor for it.
 */
export const sharedDatabases = new WeakMap<object, SharedDatabase>();
