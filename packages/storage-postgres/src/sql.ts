/** A SQL text with its positional parameters. */
export interface Sql {
  readonly text: string;
  readonly values: unknown[];
}

/** Quotes an identifier (table or column name) for PostgreSQL. */
export function ident(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** Quotes a string literal (used only for constant paths, never for user values). */
export function literal(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

/** Collects parameters while a statement is built; `add` returns the `$n` placeholder. */
export class Params {
  readonly values: unknown[] = [];

  add(value: unknown, cast?: string): string {
    this.values.push(value);
    return cast ? `$${this.values.length}::${cast}` : `$${this.values.length}`;
  }
}
