import type { PGlite } from '@electric-sql/pglite';
import type pg from 'pg';

/** Rows of one statement. */
export interface QueryResult {
  readonly rows: Record<string, unknown>[];
  readonly rowCount: number;
}

/** Something SQL can run on: the pool, or a transaction's connection. */
export interface Queryable {
  query(text: string, values?: readonly unknown[]): Promise<QueryResult>;
}

/**
 * The one database abstraction the adapter runs on, so that PostgreSQL (pg) and PGlite
 * share every SQL code path.
 */
export interface Database extends Queryable {
  transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T>;
  /** LISTEN on a channel; resolves to the function that stops listening. Absent in-process. */
  listen?(channel: string, onPayload: (payload: string) => void): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

/** A pg pool as a {@link Database}. */
export function poolDatabase(pool: pg.Pool, ownsPool: boolean): Database {
  const run = async (client: pg.Pool | pg.PoolClient, text: string, values?: readonly unknown[]) => {
    const result = await client.query(text, values as unknown[] | undefined);
    return { rows: result.rows as Record<string, unknown>[], rowCount: result.rowCount ?? 0 };
  };
  return {
    query: (text, values) => run(pool, text, values),
    async transaction(work) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const result = await work({ query: (text, values) => run(client, text, values) });
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
    },
    async listen(channel, onPayload) {
      const client = await pool.connect();
      const handler = (message: pg.Notification) => {
        if (message.channel === channel) onPayload(message.payload ?? '');
      };
      client.on('notification', handler);
      await client.query(`LISTEN "${channel}"`);
      return async () => {
        client.off('notification', handler);
        await client.query(`UNLISTEN "${channel}"`).catch(() => undefined);
        client.release();
      };
    },
    async close() {
      if (ownsPool) await pool.end();
    },
  };
}

/** A PGlite instance as a {@link Database}. */
export function pgliteDatabase(db: PGlite, ownsDb: boolean): Database {
  const run = async (target: Pick<PGlite, 'query'>, text: string, values?: readonly unknown[]) => {
    const result = await target.query<Record<string, unknown>>(text, values as unknown[] | undefined);
    return { rows: result.rows, rowCount: result.affectedRows ?? result.rows.length };
  };
  return {
    query: (text, values) => run(db, text, values),
    transaction: (work) => db.transaction((tx) => work({ query: (text, values) => run(tx, text, values) })),
    async close() {
      if (ownsDb) await db.close();
    },
  };
}
