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

/** A unique lower-case name for a database or schema. */
export function uniqueName(prefix: string): string {
  return `${prefix}_${process.pid}_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
}

/** A fresh database for one test file, and how to drop it. */
export interface TestDatabase {
  readonly uri: string;
  /** Runs SQL as the test harness (not through the adapter). */
  query(text: string, values?: unknown[]): Promise<pg.QueryResult>;
  drop(): Promise<void>;
}

/** Creates `openparse_sp_<random>` through the server's `postgres` database. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const name = uniqueName('openparse_sp');
  const admin = new pg.Client({ connectionString: POSTGRES_URI });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  const url = new URL(POSTGRES_URI);
  url.pathname = `/${name}`;
  const uri = url.toString();
  const pool = new pg.Pool({ connectionString: uri, max: 2 });
  // DROP DATABASE … WITH (FORCE) can reach a connection while it closes: the pool then reports
  // 57P01 as an 'error' event, which without a listener would be an unhandled error.
  pool.on('error', () => undefined);
  return {
    uri,
    query: (text, values) => pool.query(text, values),
    async drop() {
      await pool.end();
      const dropper = new pg.Client({ connectionString: POSTGRES_URI });
      await dropper.connect();
      try {
        await dropper.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } finally {
        await dropper.end();
      }
    },
  };
}
