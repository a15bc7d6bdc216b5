import type { ClassSchema, Condition, ParseQuery } from '@openparse/core';
import { principalsLiteral } from './condition-compiler.js';

/**
 * The SQL of common reads, remembered per query shape so that repeated requests skip compiling.
 *
 * A shape is a query with its values left out: the class, the condition's tree (operators,
 * field names, the JavaScript type of each value), the sort, the limit, whether there is a
 * skip, the select list, and what the statement answers (see {@link StatementKind}). Only shapes whose statement cannot depend on the values are
 * remembered: comparisons of top-level fields with a string, number or boolean, ACL checks,
 * `and`/`or` and constants. Anything else (includes, text search, geo, pointers, dates, `in`)
 * compiles every time.
 *
 * A shape's statement is remembered only after its first compilation proved that every value
 * travels as its own parameter, in order, unchanged: the parameters of a later query of the
 * same shape are then its values, read in the same order. Entries are tied to the schema they
 * were compiled with; a schema change compiles afresh.
 */
export class StatementCache {
  /** Per select list (`keys` array, or none): shape → statement. */
  readonly #byKeys = new WeakMap<readonly string[], Map<string, Remembered>>();
  readonly #noKeys = new Map<string, Remembered>();

  /** The remembered statement of `query`'s shape, with its parameters; undefined when there is none. */
  lookup(query: ParseQuery, schema: ClassSchema | undefined, kind: StatementKind): Statement | undefined {
    if (!schema) return undefined;
    const shape = shapeOf(query, kind);
    if (shape === undefined) return undefined;
    const remembered = this.#shapes(query.keys, kind, false)?.get(shape);
    if (!remembered || remembered.schema !== schema) return undefined;
    return { sql: remembered.sql, values: parametersOf(query, kind) };
  }

  /**
   * Remembers a statement just compiled for `query`, when its shape qualifies and `values`
   * (the compiled parameters) are exactly what {@link lookup} would read from the query.
   */
  remember(
    query: ParseQuery,
    schema: ClassSchema | undefined,
    kind: StatementKind,
    sql: string,
    values: readonly unknown[],
  ): void {
    if (!schema) return;
    const shape = shapeOf(query, kind);
    if (shape === undefined) return;
    const expected = parametersOf(query, kind);
    if (expected.length !== values.length || expected.some((value, at) => !Object.is(value, values[at])))
      return;
    const shapes = this.#shapes(query.keys, kind, true) as Map<string, Remembered>;
    // Bounded: shapes are few in practice, but a client varying field names must not grow this.
    if (shapes.size >= 1000) shapes.clear();
    shapes.set(shape, { schema, sql });
  }

  #shapes(
    keys: readonly string[] | undefined,
    kind: StatementKind,
    create: boolean,
  ): Map<string, Remembered> | undefined {
    // A count selects no columns: its statement is the same whatever the keys.
    if (!keys || kind === 'count') return this.#noKeys;
    let shapes = this.#byKeys.get(keys);
    if (!shapes && create) {
      shapes = new Map();
      this.#byKeys.set(keys, shapes);
    }
    return shapes;
  }
}

/**
 * What a statement answers: a page of objects (`page`), a page with the total as a column
 * (`pageAndCount`), or only the number of matching objects (`count`).
 */
export type StatementKind = 'page' | 'pageAndCount' | 'count';

/** A statement and its parameters. */
export interface Statement {
  readonly sql: string;
  readonly values: unknown[];
}

interface Remembered {
  readonly schema: ClassSchema;
  readonly sql: string;
}

/** The shape of a query (see {@link StatementCache}), or undefined when it does not qualify. */
function shapeOf(query: ParseQuery, kind: StatementKind): string | undefined {
  const where = conditionShape(query.where);
  if (where === undefined) return undefined;
  if (kind === 'count') return `${query.className}|${where}|#`;
  if (query.include?.length || query.score) return undefined;
  let shape = `${query.className}|${where}|`;
  if (query.sort) {
    for (const key of query.sort) {
      if (key.field === '$score' || key.field.path.length > 0) return undefined;
      shape += `${key.descending ? '-' : '+'}${key.field.name},`;
    }
  }
  // The limit is part of the statement's text (see limitOffset), the offset a parameter.
  return `${shape}|${query.limit === undefined ? '' : `L${query.limit}`}${query.skip ? 'S' : ''}${kind === 'pageAndCount' ? 'C' : ''}`;
}

function conditionShape(condition: Condition): string | undefined {
  switch (condition.kind) {
    case 'and':
    case 'or': {
      let shape = condition.kind === 'and' ? '&(' : '|(';
      for (const inner of condition.conditions) {
        const part = conditionShape(inner);
        if (part === undefined) return undefined;
        shape += `${part},`;
      }
      return `${shape})`;
    }
    case 'compare': {
      const type = typeof condition.value;
      if (condition.field.path.length > 0) return undefined;
      if (type !== 'string' && type !== 'number' && type !== 'boolean') return undefined;
      return `${condition.op}:${condition.field.name}:${type}`;
    }
    case 'acl':
      return condition.access === 'read' ? 'R' : 'W';
    case 'constant':
      return condition.value ? 'T' : 'F';
    default:
      return undefined;
  }
}

/** The parameters of a qualifying query, in the order its statement numbers them. */
function parametersOf(query: ParseQuery, kind: StatementKind): unknown[] {
  const values: unknown[] = [];
  conditionParameters(query.where, values);
  if (kind === 'count') return values;
  if (query.skip) values.push(query.skip);
  // The count is a subquery compiled after the page: the condition's parameters again.
  if (kind === 'pageAndCount') conditionParameters(query.where, values);
  return values;
}

function conditionParameters(condition: Condition, values: unknown[]): void {
  switch (condition.kind) {
    case 'and':
    case 'or':
      for (const inner of condition.conditions) conditionParameters(inner, values);
      return;
    case 'compare':
      values.push(condition.value);
      return;
    case 'acl':
      values.push(principalsLiteral(condition.principals));
      return;
    default:
      return;
  }
}
