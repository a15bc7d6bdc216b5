import type { ClassSchema, IncludedValue, IncludePlan, StorageObject } from '@openparse/core';
import { type CompileContext, ConditionCompiler } from './condition-compiler.js';
import { storedFieldOf } from './schema-json.js';
import { ident, type Params } from './sql.js';
import { decodeColumn } from './values.js';

/** The column (or JSON key) that carries a resolved include: no Parse field starts with `__`. */
const PREFIX = '__include_';

/** The alias of the class a read starts from; the include subqueries refer to it. */
export const MAIN_ALIAS = '"_main"';

/**
 * `include` as correlated subqueries of the read's own statement: for each planned pointer,
 * `(SELECT to_jsonb(t) FROM "Target" t WHERE t."objectId" = <pointer> AND <may read>)`, with
 * nested includes merged into that JSON. One statement whatever the depth; each lookup is a
 * primary-key probe.
 */
export class IncludeCompiler {
  #aliases = 0;

  constructor(
    private readonly context: CompileContext,
    private readonly params: Params,
  ) {}

  /** `, (…) AS "__include_<field>"` for each plan, to append to the select list of the main read. */
  columns(plans: readonly IncludePlan[]): string {
    return plans
      .map((plan) => `, ${this.#subquery(plan, MAIN_ALIAS)} AS ${ident(PREFIX + plan.field)}`)
      .join('');
  }

  #subquery(plan: IncludePlan, owner: string): string {
    // Nothing of the class is readable (or the class does not exist): no lookup, and no table named.
    if (plan.where.kind === 'constant' && !plan.where.value) return 'NULL::jsonb';
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
    return `(SELECT ${json} FROM ${this.context.names.table(plan.className)} AS ${alias} WHERE ${alias}."objectId" = ${owner}.${ident(plan.field)} AND (${where}))`;
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
    delete object[key];
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
  for (const [name, raw] of Object.entries(json)) {
    if (raw === null || raw === undefined || name === 'objectId' || name.startsWith(PREFIX)) continue;
    object[name] = decodeColumn(raw, storedFieldOf(schema, name));
  }
  if (plan.include) attachIncludes(object, json, plan.include, context);
  return object;
}
