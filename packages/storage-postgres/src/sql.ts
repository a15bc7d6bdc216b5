/** Quotes an identifier (table, column or index name) for PostgreSQL. */
export function ident(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** Quotes a string literal. Used only for identifiers-as-text and JSON paths, never for user values. */
export function literal(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

/** A `text[]` literal for a JSON path inside a jsonb column, such as `'{"a","b"}'`. */
export function pathLiteral(path: readonly string[]): string {
  const segments = path.map((segment) => `"${segment.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`);
  return literal(`{${segments.join(',')}}`);
}

/** Collects parameters while a statement is built; `add` returns the `$n` placeholder. */
export class Params {
  readonly values: unknown[] = [];

  add(value: unknown, cast?: string): string {
    this.values.push(value);
    return cast ? `$${this.values.length}::${cast}` : `$${this.values.length}`;
  }
}

/**
 * Table names, qualified by the adapter's `databaseSchema` when it has one. Qualifying every
 * name (instead of relying on `search_path`) keeps adapters that share one PGlite apart.
 */
export class TableNames {
  readonly #prefix: string;

  constructor(readonly databaseSchema?: string) {
    this.#prefix = databaseSchema ? `${ident(databaseSchema)}.` : '';
  }

  /** A class table (or `_SCHEMA`). */
  table(className: string): string {
    return `${this.#prefix}${ident(className)}`;
  }

  /** parse-server's relation table: `_Join:<field>:<className>`. */
  joinTable(className: string, field: string): string {
    return this.table(joinTableName(className, field));
  }

  /** An index, for `DROP INDEX` (indexes live in their table's schema). */
  index(name: string): string {
    return `${this.#prefix}${ident(name)}`;
  }
}

/** The name parse-server gives a relation's join table. */
export function joinTableName(className: string, field: string): string {
  return `_Join:${field}:${className}`;
}
