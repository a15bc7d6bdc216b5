import type { ClassSchema, IncludedValue, IncludePlan, StorageObject } from '@openparse/core';
import { type CompileContext, ConditionCompiler } from './condition-compiler.js';
import { storedFieldOf } from './schema-json.js';
import { ident, type Params } from './sql.js';
import { decodeColumn } from './values.js';

/** The column (or JSON key) that carries a resolved include: no Parse field starts with `__`. */
const PREFIX = '__include_';

/** The alias of the class a read starts from; the include subqueries refer to it. */
export const MAIN_ALIAS = '"_main"';

/** What {@link IncludeCompiler.compile} adds to the main read: select-list columns and joins. */
export interface CompiledIncludes {
  /** `, "_l0"."__include_<field>"`…, to append to the select list. */
  readonly columns: string;
  /** ` LEFT JOIN LATERAL (…) AS "_l0" ON true`…, to append to the main table in FROM. */
  readonly joins: string;
}

/**
 * `include` in the read's own statement. Each planned pointer of the main class is a lateral
 * left join, `LEFT JOIN LATERAL (SELECT to_jsonb(t) AS "__include_<field>" FROM "Target" t
 * WHERE t."objectId" = <pointer> AND <may read>) ON true`, which PostgreSQL flattens into a
 * nested-loop join on the primary key; nested includes are correlated subqueries merged into
 * that JSON. One statement whatever the depth.
 */
export class IncludeCompiler {
  #aliases = 0;

  constructor(
    private readonly context: CompileContext,
    private readonly params: Params,
  ) {}

  compile(plans: readonly IncludePlan[]): CompiledIncludes {
    let columns = '';
    let joins = '';
    for (const plan of plans) {
      const column = ident(PREFIX + plan.field);
      const lookup = this.#lookup(plan, MAIN_ALIAS);
      if (!lookup) {
        columns += `, NULL::jsonb AS ${column}`;
        continue;
      }
      const join = `"_l${this.#aliases++}"`;
      columns += `, ${join}.${column}`;
      joins += ` LEFT JOIN LATERAL (SELECT ${lookup.json} AS ${column} ${lookup.from}) AS ${join} ON true`;
    }
    return { columns, joins };
  }

  /**
   * The JSON of the object `plan` points at from `owner`, and the `FROM … WHERE …` that finds
   * it; undefined when nothing of the class is readable (or the class does not exist): no
   * lookup then, and no table named.
   */
  #lookup(plan: IncludePlan, owner: string): { json: string; from: string } | undefined {
    if (plan.where.kind === 'constant' && !plan.where.value) return undefined;
    const alias = `"_i${this.#aliases++}"`;
    // The condition's unqualified columns resolve to the included table, the innermost one.
    const where = new ConditionCompiler(this.context, this.params, plan.className).compile(plan.where);
    const nested = plan.include ?? [];
    const json =
      nested.length === 0
        ? `to_jsonb(${alias})`
        : `to_jsonb(${alias}) || jsonb_build_object(${nested
            .map((inner) => `'${PREFIX}${inner.field}', ${this.#subquery(inner, alias)}`)
            .join(', ')})`;
    const from = `FROM ${this.context.names.table(plan.className)} AS ${alias} WHERE ${alias}."objectId" = ${owner}.${ident(plan.field)} AND (${where})`;
    return { json, from };
  }

  #subquery(plan: IncludePlan, owner: string): string {
    const lookup = this.#lookup(plan, owner);
    return lookup ? `(SELECT ${lookup.json} ${lookup.from})` : 'NULL::jsonb';
  }
}

/**
 * Puts the resolved includes of a read row into `object` (already decoded from the row's
 * columns): each planned pointer becomes an {@link IncludedValue}.
 */
export function attachIncludes(
  object: StorageObject,
  row: Record<string, unknown>,
  plans: readonly IncludePlan[],
  context: CompileContext,
): void {
  for (const plan of plans) {
    const key = PREFIX + plan.field;
    const pointerId = row[plan.field] ?? (row[key] as { objectId?: unknown } | null)?.objectId;
    if (pointerId === null || pointerId === undefined) continue;
    const json = row[key] as Record<string, unknown> | null;
    const included: IncludedValue = {
      __type: 'Included',
      pointer: { __type: 'Pointer', className: plan.className, objectId: String(pointerId) },
      object: json ? decodeIncluded(json, plan, context) : null,
    };
    object[plan.field] = included;
  }
}

/** An included object from its `to_jsonb` form: text for dates and geometry, JSON for the rest. */
function decodeIncluded(
  json: Record<string, unknown>,
  plan: IncludePlan,
  context: CompileContext,
): StorageObject {
  const schema: ClassSchema | undefined = context.schemaOf(plan.className);
  const object: StorageObject = { objectId: String(json.objectId) };
  for (const name in json) {
    const raw = json[name];
    if (raw === null || raw === undefined || name === 'objectId' || name.startsWith(PREFIX)) continue;
    object[name] = decodeColumn(raw, storedFieldOf(schema, name));
  }
  if (plan.include) attachIncludes(object, json, plan.include, context);
  return object;
}
