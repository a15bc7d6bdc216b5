import pg from 'pg';

/** The PostgreSQL server the tests use (`TEST_POSTGRES_URI`, loopback by default). */
export const POSTGRES_URI = process.env.TEST_POSTGRES_URI ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** True when PostgreSQL answers; with `REQUIRE_SERVICES=1` an unreachable server is an error. */
export async function postgresAvailable(): Promise<boolean> {
  const client = new pg.Client({ connectionString: POSTGRES_URI, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
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

async function admin<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: POSTGRES_URI });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** Creates a fresh database and answers its URI. */
export async function createDatabase(prefix: string): Promise<string> {
  const name = `${prefix}_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  await admin((client) => client.query(`CREATE DATABASE "${name}"`));
  const url = new URL(POSTGRES_URI);
  url.pathname = `/${name}`;
  return url.toString();
}

/** Drops a database made by {@link createDatabase}. */
export async function dropDatabase(uri: string): Promise<void> {
  const name = new URL(uri).pathname.slice(1);
  await admin((client) => client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
}
