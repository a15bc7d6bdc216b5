import { runStorageAdapterSuite } from '@openparse/conformance';
import type { StorageAdapter } from '@openparse/core';
import { PostgresStorageAdapter } from '@openparse/storage-postgres';
import { afterAll, describe } from 'vitest';
import {
  createTestDatabase,
  POSTGRES_URI,
  postgresAvailable,
  type TestDatabase,
  uniqueName,
} from './services.js';

const available = await postgresAvailable();
const database: TestDatabase | undefined = available ? await createTestDatabase() : undefined;
const schemas = new WeakMap<StorageAdapter, string>();
afterAll(() => database?.drop());

describe.skipIf(!database)(`storage-postgres on PostgreSQL (${POSTGRES_URI})`, () => {
  runStorageAdapterSuite(
    async () => {
      const databaseSchema = uniqueName('t');
      const adapter = new PostgresStorageAdapter({ uri: database?.uri ?? '', databaseSchema, poolSize: 4 });
      schemas.set(adapter, databaseSchema);
      await adapter.connect();
      return adapter;
    },
    {
      teardown: async (adapter) => {
        await adapter.close();
        await database?.query(`DROP SCHEMA IF EXISTS "${schemas.get(adapter)}" CASCADE`);
      },
    },
  );
});
