import type { Queryable } from './database.js';

/** Autovacuum's default analyze threshold: 50 rows plus 10% of the table. */
const BASE_THRESHOLD = 50;
const SCALE_FACTOR = 0.1;

/**
 * Keeps the planner's statistics current where no autovacuum runs: PGlite is a single-user
 * PostgreSQL, and a table it never analyzed is planned on guesses (a read limited to 20 rows
 * of an indexed range then sorts the whole range). Counts the rows each class's writes touch
 * and ANALYZEs its table once they pass autovacuum's own threshold, in the background.
 */
export class TableStatistics {
  readonly #changed = new Map<string, number>();
  readonly #rows = new Map<string, number>();
  readonly #running = new Map<string, Promise<void>>();

  constructor(
    private readonly db: Queryable,
    private readonly table: (className: string) => string,
  ) {}

  /** `rows` rows of `className` were inserted, updated or deleted. */
  written(className: string, rows: number): void {
    if (rows <= 0) return;
    const changed = (this.#changed.get(className) ?? 0) + rows;
    this.#changed.set(className, changed);
    if (changed < BASE_THRESHOLD + SCALE_FACTOR * (this.#rows.get(className) ?? 0)) return;
    if (this.#running.has(className)) return;
    this.#changed.set(className, 0);
    const running = this.#analyze(className).finally(() => this.#running.delete(className));
    this.#running.set(className, running);
  }

  /** Resolves once the ANALYZEs under way are done (before the database closes). */
  async settled(): Promise<void> {
    await Promise.all(this.#running.values());
  }

  async #analyze(className: string): Promise<void> {
    const table = this.table(className);
    try {
      await this.db.query(`ANALYZE ${table}`);
      const { rows } = await this.db.query(
        'SELECT reltuples::float8 AS rows FROM pg_class WHERE oid = $1::regclass',
        [table],
      );
      this.#rows.set(className, Math.max(0, Number(rows[0]?.rows ?? 0)));
    } catch {
      // The class was dropped meanwhile: nothing to analyze. Its next writes count afresh.
    }
  }
}
