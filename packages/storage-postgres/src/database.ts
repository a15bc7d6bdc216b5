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
  /** Runs `work` on one connection between BEGIN and COMMIT (ROLLBACK when it throws). */
  transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T>;
  /**
   * LISTENs on a channel on a connection of its own; resolves to the function that stops.
   * `onLost` is called if that connection fails. Absent for in-process databases.
   */
  listen?(
    channel: string,
    onPayload: (payload: string) => void,
    onLost: (error: unknown) => void,
  ): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

type PgTarget = Pick<pg.ClientBase, 'query'>;

async function runPg(target: PgTarget, text: string, values?: readonly unknown[]): Promise<QueryResult> {
  const result = await target.query(text, values as unknown[] | undefined);
  return { rows: result.rows as Record<string, unknown>[], rowCount: result.rowCount ?? 0 };
}

/** What a pg-backed database needs: the pool, and how to open a connection for LISTEN. */
export interface PgDatabaseOptions {
  readonly pool: pg.Pool;
  readonly ownsPool: boolean;
  /** A dedicated client for LISTEN; without it one pooled connection is held instead. */
  readonly listenClient?: () => pg.Client;
}

/** A pg pool as a {@link Database}. */
export function poolDatabase({ pool, ownsPool, listenClient }: PgDatabaseOptions): Database {
  return {
    query: (text, values) => runPg(pool, text, values),
    async transaction(work) {
      const client = await pool.connect();
      let broken: unknown;
      try {
        await client.query('BEGIN');
        const result = await work({ query: (text, values) => runPg(client, text, values) });
        await client.query('COMMIT');
        return result;
      } catch (error) {
        try {
          await client.query('ROLLBACK');
        } catch (rollbackError) {
          // The connection is unusable: destroy it rather than return it to the pool.
          broken = rollbackError;
        }
        throw error;
      } finally {
        client.release(broken instanceof Error ? broken : undefined);
      }
    },
    async listen(channel, onPayload, onLost) {
      const dedicated = listenClient?.();
      const client: pg.ClientBase = dedicated ?? (await pool.connect());
      if (dedicated) await dedicated.connect();
      const onNotification = (message: pg.Notification) => {
        if (message.channel === channel) onPayload(message.payload ?? '');
      };
      client.on('notification', onNotification);
      client.on('error', onLost);
      await client.query(`LISTEN "${channel.replaceAll('"', '""')}"`);
      return async () => {
        client.off('notification', onNotification);
        if (dedicated) await dedicated.end();
        else (client as pg.PoolClient).release(true);
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
