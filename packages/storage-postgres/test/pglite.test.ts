import { PGlite } from '@electric-sql/pglite';
import { runStorageAdapterSuite } from '@openparse/conformance';
import { PostgresStorageAdapter } from '@openparse/storage-postgres';
import { afterAll, describe } from 'vitest';
import { uniqueSchema } from './services.js';

// One PGlite for the file (starting one costs about a second); each test gets its own schema.
const pglite = await PGlite.create();
const schemas = new WeakMap<PostgresStorageAdapter, string>();
afterAll(() => pglite.close());

describe('storage-postgres on PGlite (in memory)', () => {
  runStorageAdapterSuite(
    async () => {
      const databaseSchema = uniqueSchema('op_pgl');
      const adapter = new PostgresStorageAdapter({ pglite, databaseSchema });
      schemas.set(adapter, databaseSchema);
      await adapter.connect();
      return adapter;
    },
    {
      teardown: async (adapter) => {
        await adapter.close();
        await pglite.query(
          `DROP SCHEMA IF EXISTS "${schemas.get(adapter as PostgresStorageAdapter)}" CASCADE`,
        );
      },
    },
  );
});
