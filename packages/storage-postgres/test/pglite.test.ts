import { PGlite } from '@electric-sql/pglite';
import { runStorageAdapterSuite } from '@openparse/conformance';
import type { StorageAdapter } from '@openparse/core';
import { pgliteExtensions, PostgresStorageAdapter } from '@openparse/storage-postgres';
import { afterAll, describe } from 'vitest';
import { uniqueName } from './services.js';

// One in-memory PGlite for the file (starting one takes about a second); each test gets its own schema.
const pglite = await PGlite.create({ extensions: pgliteExtensions });
const schemas = new WeakMap<StorageAdapter, string>();
afterAll(() => pglite.close());

describe('storage-postgres on PGlite (in memory)', () => {
  runStorageAdapterSuite(
    async () => {
      const databaseSchema = uniqueName('t');
      const adapter = new PostgresStorageAdapter({ pglite, databaseSchema });
      schemas.set(adapter, databaseSchema);
      await adapter.connect();
      return adapter;
    },
    {
      teardown: async (adapter) => {
        await adapter.close();
        await pglite.query(`DROP SCHEMA IF EXISTS "${schemas.get(adapter)}" CASCADE`);
      },
    },
  );
});
