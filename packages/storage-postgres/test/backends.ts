import { PGlite } from '@electric-sql/pglite';
import { pgliteExtensions, PostgresStorageAdapter } from '@openparse/storage-postgres';
import { createTestDatabase, postgresAvailable, type TestDatabase } from './services.js';

/** A database the focused tests run on, with raw SQL access beside the adapter. */
export interface Backend {
  readonly name: string;
  /** A connected adapter on the backend's database (public schema). */
  adapter(): Promise<PostgresStorageAdapter>;
  /** Runs SQL directly, as parse-server (or a person) would. */
  sql(text: string, values?: unknown[]): Promise<Record<string, unknown>[]>;
  close(): Promise<void>;
}

/** A fresh in-memory PGlite. */
export async function pgliteBackend(): Promise<Backend> {
  const db = await PGlite.create({ extensions: pgliteExtensions });
  return {
    name: 'PGlite',
    async adapter() {
      const adapter = new PostgresStorageAdapter({ pglite: db });
      await adapter.connect();
      return adapter;
    },
    sql: async (text, values) => (await db.query<Record<string, unknown>>(text, values)).rows,
    close: () => db.close(),
  };
}

/** A fresh PostgreSQL database, or undefined when PostgreSQL is not reachable (see services.ts). */
export async function postgresBackend(): Promise<Backend | undefined> {
  if (!(await postgresAvailable())) return undefined;
  const database: TestDatabase = await createTestDatabase();
  return {
    name: 'PostgreSQL',
    async adapter() {
      const adapter = new PostgresStorageAdapter({ uri: database.uri, poolSize: 3 });
      await adapter.connect();
      return adapter;
    },
    sql: async (text, values) => (await database.query(text, values)).rows as Record<string, unknown>[],
    close: () => database.drop(),
  };
}
