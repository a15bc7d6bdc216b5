import { runStorageAdapterSuite } from '@openparse/conformance';
import { PostgresStorageAdapter } from '@openparse/storage-postgres';
import { describe } from 'vitest';
import { dropSchema, POSTGRES_URI, postgresAvailable, uniqueSchema } from './services.js';

const available = await postgresAvailable();
const schemas = new WeakMap<PostgresStorageAdapter, string>();

describe.skipIf(!available)(`storage-postgres on PostgreSQL (${POSTGRES_URI})`, () => {
  runStorageAdapterSuite(
    async () => {
      const databaseSchema = uniqueSchema('op_sp');
      const adapter = new PostgresStorageAdapter({ uri: POSTGRES_URI, databaseSchema, poolSize: 4 });
      schemas.set(adapter, databaseSchema);
      await adapter.connect();
      return adapter;
    },
    {
      teardown: async (adapter) => {
        await adapter.close();
        const schema = schemas.get(adapter as PostgresStorageAdapter);
        if (schema) await dropSchema(schema);
      },
    },
  );
});
