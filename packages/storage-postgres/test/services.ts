import pg from 'pg';

/** The PostgreSQL the tests use (`TEST_POSTGRES_URI`, loopback by default). */
export const POSTGRES_URI = process.env.TEST_POSTGRES_URI ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/**
 * True when PostgreSQL answers. When it does not: false locally (the tests show as skipped),
 * an error when `REQUIRE_SERVICES=1` (CI), so a missing service can never pass silently.
 */
export async function postgresAvailable(): Promise<boolean> {
  const client = new pg.Client({ connectionString: POSTGRES_URI, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch (error) {
    if (process.env.REQUIRE_SERVICES === '1') {
      throw new Error(`PostgreSQL is required (REQUIRE_SERVICES=1) but ${POSTGRES_URI} is not reachable`, {
        cause: error,
      });
    }
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Drops a schema and everything in it. */
export async function dropSchema(name: string): Promise<void> {
  const client = new pg.Client({ connectionString: POSTGRES_URI });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS "${name}" CASCADE`);
  } finally {
    await client.end();
  }
}

/** A unique schema name for one test. */
export function uniqueSchema(prefix: string): string {
  return `${prefix}_${process.pid}_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
}
