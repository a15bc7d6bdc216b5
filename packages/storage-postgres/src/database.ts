import { createHash } from 'node:crypto';
import { PGlite } from '@electric-sql/pglite';
import { cube } from '@electric-sql/pglite/contrib/cube';
import { earthdistance } from '@electric-sql/pglite/contrib/earthdistance';
import { parseUtcTimestamp } from '@openparse/core';
import pg from 'pg';

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
  /** The schema changed: prepared statements made before must not be reused. */
  statementsChanged?(): void;
  close(): Promise<void>;
}

type PgTarget = Pick<pg.ClientBase, 'query'>;

/** PostgreSQL's type id of `timestamptz`, the type of every Date column. */
const TIMESTAMPTZ = 1184;

/**
 * `timestamptz` text as a Date that keeps its ISO text (the session's zone is UTC unless the
 * server says otherwise; other forms go to the driver's own parser).
 */
function parseTimestamptz(text: string): Date {
  return parseUtcTimestamp(text) ?? (pg.types.getTypeParser(TIMESTAMPTZ, 'text')(text) as Date);
}

/**
 * The driver's default parsers, with {@link parseTimestamptz}. Given per query: the adapter's
 * statements decode with these whatever `types` a pool passed in was configured with, and that
 * pool's other users keep theirs.
 */
const PG_TYPES: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === TIMESTAMPTZ && format !== 'binary'
      ? parseTimestamptz
      : pg.types.getTypeParser(oid, format ?? 'text')) as pg.CustomTypesConfig['getTypeParser'],
};

const DATA_STATEMENT = /^\s*(SELECT|INSERT|UPDATE|DELETE|WITH)\b/i;
/** A prepared plan went stale (a column was added under `SELECT *`) or is gone. */
const STALE_PLAN = new Set(['0A000', '26000']);

/**
 * Names for data statements, so pg prepares each statement shape once per connection and
 * later runs skip parsing and planning. The generation changes with the schema: plans made
 * before a column was added are never reused after it.
 */
export class StatementNames {
  #generation = 0;
  readonly #names = new Map<string, string>();

  nameFor(text: string): string | undefined {
    if (!DATA_STATEMENT.test(text)) return undefined;
    let name = this.#names.get(text);
    if (!name) {
      // Bounded: statement shapes are finite, but a runaway client must not grow this forever.
      if (this.#names.size >= 5000) this.#names.clear();
      name = `op${this.#generation}_${createHash('sha1').update(text).digest('hex').slice(0, 24)}`;
      this.#names.set(text, name);
    }
    return name;
  }

  /** Forget every name: the schema changed. */
  reset(): void {
    this.#generation += 1;
    this.#names.clear();
  }
}

function rowsOf(result: pg.QueryResult): QueryResult {
  return { rows: result.rows as Record<string, unknown>[], rowCount: result.rowCount ?? 0 };
}

/** Runs a statement, prepared under its name when it has one. Not async: one promise per statement. */
function runPg(
  target: PgTarget,
  text: string,
  values: readonly unknown[] | undefined,
  names: StatementNames,
): Promise<QueryResult> {
  const name = names.nameFor(text);
  const params = values as unknown[] | undefined;
  // An unnamed statement (`name` undefined) is parsed and planned afresh.
  const running = target.query({ name, text, values: params, types: PG_TYPES });
  if (!name) return running.then(rowsOf);
  return running.then(rowsOf, (error: unknown) => {
    const code = (error as { code?: unknown }).code;
    // Another process changed the table before its notification reached us: plan afresh.
    if (typeof code !== 'string' || !STALE_PLAN.has(code)) throw error;
    names.reset();
    return target.query({ text, values: params, types: PG_TYPES }).then(rowsOf);
  });
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
  const names = new StatementNames();
  return {
    query: (text, values) => runPg(pool, text, values, names),
    statementsChanged: () => names.reset(),
    async transaction(work) {
      const client = await pool.connect();
      let broken: unknown;
      try {
        await client.query('BEGIN');
        const result = await work({ query: (text, values) => runPg(client, text, values, names) });
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

/** PGlite's parsers, with `timestamptz` read as by {@link parseTimestamptz}. */
const PGLITE_OPTIONS = {
  parsers: { [TIMESTAMPTZ]: (text: string) => parseUtcTimestamp(text) ?? new Date(text) },
};

/** A PGlite instance as a {@link Database}. */
export function pgliteDatabase(db: PGlite, ownsDb: boolean): Database {
  const run = async (target: Pick<PGlite, 'query'>, text: string, values?: readonly unknown[]) => {
    const result = await target.query<Record<string, unknown>>(
      text,
      values as unknown[] | undefined,
      PGLITE_OPTIONS,
    );
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

/** The connection options of either adapter: a URL, a ready pool, or PGlite. */
export type ConnectionOptions =
  | { readonly uri: string; readonly poolSize?: number }
  | { readonly client: pg.Pool }
  | { readonly pglite: PGlite | { readonly dataDir?: string } };

/** The PGlite extensions the adapter uses, for a PGlite created by the application: `PGlite.create({ extensions: pgliteExtensions })`. */
export const pgliteExtensions = { cube, earthdistance } as const;

/** Opens the database the options name; what the adapter did not create, it never closes. */
export async function openDatabase(options: ConnectionOptions): Promise<Database> {
  if ('pglite' in options) {
    const given = options.pglite;
    // cube + earthdistance serve spherical geo queries; a PGlite passed in brings its own extensions.
    const instance =
      given instanceof PGlite
        ? given
        : await PGlite.create({ dataDir: given.dataDir, extensions: pgliteExtensions });
    return pgliteDatabase(instance, !(given instanceof PGlite));
  }
  if ('client' in options) return poolDatabase({ pool: options.client, ownsPool: false });
  const pool = new pg.Pool({ connectionString: options.uri, max: options.poolSize ?? 10 });
  // An idle connection that dies is replaced by the pool; without a listener pg would crash the process.
  pool.on('error', () => undefined);
  return poolDatabase({
    pool,
    ownsPool: true,
    listenClient: () => new pg.Client({ connectionString: options.uri }),
  });
}
