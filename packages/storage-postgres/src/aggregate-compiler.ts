import type { AggregateRequest, AggregateStage, Condition, NamedAccumulator } from '@openparse/core';
import { type CompileContext, ConditionCompiler } from './condition-compiler.js';
import { DocumentCompiler, pointerId } from './document-compiler.js';
import { documentOf } from './documents.js';
import { Params } from './sql.js';

/** The previous stage's rows: `p.doc` (jsonb) and `p.ord` (their order). */
const DOC = 'p.doc';

/**
 * Compiles a validated pipeline into ONE statement: a CTE per stage, each reading the one
 * before it as `(doc jsonb, ord bigint)` rows. Leading `$match` stages run on the class's
 * columns (so indexes serve them) before its rows become documents.
 */
export class AggregateCompiler {
  readonly params = new Params();
  readonly #documents = new DocumentCompiler(this.params);
  readonly #ctes: string[] = [];

  constructor(private readonly context: CompileContext) {}

  /** The statement, or undefined when the class is unknown (no documents). */
  compile(request: AggregateRequest): string | undefined {
    const schema = this.context.schemaOf(request.className);
    if (!schema) return undefined;
    const leading: Condition[] = [];
    let at = 0;
    for (; at < request.pipeline.length; at += 1) {
      const stage = request.pipeline[at] as AggregateStage;
      if (stage.kind !== 'match' || !stage.onClass) break;
      leading.push(stage.where);
    }
    const where = new ConditionCompiler(this.context, this.params, request.className).compile({
      kind: 'and',
      conditions: leading,
    });
    const table = this.context.names.table(request.className);
    this.#add(
      `SELECT ${documentOf(schema, this.params)} AS doc, row_number() OVER () AS ord FROM ${table} WHERE ${where}`,
    );
    for (const stage of request.pipeline.slice(at)) this.#add(this.#stage(stage));
    return `WITH ${this.#ctes.join(', ')} SELECT p.doc FROM ${this.#last} AS p ORDER BY p.ord`;
  }

  /** The CTE of the last stage added. */
  #last = '';

  #add(select: string): void {
    this.#last = `s${this.#ctes.length}`;
    this.#ctes.push(`${this.#last} AS (${select})`);
  }

  #stage(stage: AggregateStage): string {
    const from = `FROM ${this.#last} AS p`;
    const docs = this.#documents;
    switch (stage.kind) {
      case 'match':
        return `SELECT p.doc, p.ord ${from} WHERE ${docs.condition(stage.where, DOC)}`;
      case 'sort': {
        const keys = stage.keys.map(
          ({ path, descending }) =>
            `${docs.path(DOC, path)} ${descending ? 'DESC NULLS LAST' : 'ASC NULLS FIRST'}`,
        );
        return `SELECT p.doc, row_number() OVER (ORDER BY ${keys.join(', ')}, p.ord) AS ord ${from}`;
      }
      case 'limit':
        return `SELECT p.doc, p.ord ${from} ORDER BY p.ord LIMIT ${this.params.add(stage.count, 'bigint')}`;
      case 'skip':
        return `SELECT p.doc, p.ord ${from} ORDER BY p.ord OFFSET ${this.params.add(stage.count, 'bigint')}`;
      case 'sample':
        return `SELECT q.doc, row_number() OVER () AS ord FROM (SELECT p.doc ${from} ORDER BY random() LIMIT ${this.params.add(stage.size, 'bigint')}) AS q`;
      case 'count':
        return `SELECT jsonb_build_object(${this.params.add(stage.field, 'text')}, count(*)) AS doc, 1::bigint AS ord ${from} HAVING count(*) > 0`;
      case 'project':
        return this.#project(stage, from);
      case 'group':
        return this.#group(stage, from);
      case 'unwind':
        return this.#unwind(stage, from);
      case 'lookup':
        return this.#lookup(stage, from);
    }
  }

  #project(stage: Extract<AggregateStage, { kind: 'project' }>, from: string): string {
    if (stage.mode === 'exclude') {
      return `SELECT p.doc - ${this.params.add([...stage.keys], 'text[]')} AS doc, p.ord ${from}`;
    }
    const docs = this.#documents;
    const kept = stage.excludeId
      ? stage.keys
      : ['objectId', ...stage.keys.filter((key) => key !== 'objectId')];
    const rows = [
      ...kept.map((key) => `(${this.params.add(key, 'text')}, ${docs.path(DOC, [key])})`),
      ...stage.computed.map(
        ({ name, value }) => `(${this.params.add(name, 'text')}, ${docs.expression(value, DOC)})`,
      ),
    ];
    return `SELECT (SELECT coalesce(jsonb_object_agg(e.k, e.v), '{}'::jsonb) FROM (VALUES ${rows.join(', ')}) AS e(k, v) WHERE e.v IS NOT NULL) AS doc, p.ord ${from}`;
  }

  #group(stage: Extract<AggregateStage, { kind: 'group' }>, from: string): string {
    const key = this.#documents.expression(stage.key, DOC, true);
    const outputs = [`jsonb_build_object('objectId', g.key)`];
    for (let at = 0; at < stage.fields.length; at += 50) {
      const pairs = stage.fields
        .slice(at, at + 50)
        .map((field) => `${this.params.add(field.name, 'text')}, ${this.#accumulate(field)}`);
      outputs.push(`jsonb_build_object(${pairs.join(', ')})`);
    }
    return `SELECT ${outputs.join(' || ')} AS doc, row_number() OVER (ORDER BY min(g.ord)) AS ord FROM (SELECT p.doc, p.ord, coalesce(${key}, 'null'::jsonb) AS key ${from}) AS g GROUP BY g.key`;
  }

  #accumulate({ accumulator }: NamedAccumulator): string {
    if (accumulator.op === 'count') return 'to_jsonb(count(*))';
    const value = this.#documents.expression(accumulator.of, 'g.doc');
    const present = `${value} IS NOT NULL AND jsonb_typeof(${value}) <> 'null'`;
    const number = `CASE WHEN jsonb_typeof(${value}) = 'number' THEN (${value})::float8 END`;
    switch (accumulator.op) {
      case 'sum':
        return `to_jsonb(coalesce(sum(${number}), 0))`;
      case 'avg':
        return `to_jsonb(avg(${number}))`;
      case 'min':
        return `(array_agg(${value} ORDER BY ${value}) FILTER (WHERE ${present}))[1]`;
      case 'max':
        return `(array_agg(${value} ORDER BY ${value} DESC) FILTER (WHERE ${present}))[1]`;
      case 'push':
        return `coalesce(jsonb_agg(${value} ORDER BY g.ord) FILTER (WHERE ${value} IS NOT NULL), '[]'::jsonb)`;
      case 'addToSet':
        return `coalesce(jsonb_agg(DISTINCT ${value}) FILTER (WHERE ${value} IS NOT NULL), '[]'::jsonb)`;
      case 'first':
        return `coalesce((array_agg(${value} ORDER BY g.ord))[1], 'null'::jsonb)`;
      case 'last':
        return `coalesce((array_agg(${value} ORDER BY g.ord DESC))[1], 'null'::jsonb)`;
    }
  }

  #unwind(stage: Extract<AggregateStage, { kind: 'unwind' }>, from: string): string {
    const value = this.#documents.path(DOC, stage.path);
    const path = this.params.add([...stage.path], 'text[]');
    const elements = `CASE WHEN ${value} IS NULL OR jsonb_typeof(${value}) = 'null' THEN '[]'::jsonb WHEN jsonb_typeof(${value}) = 'array' THEN ${value} ELSE jsonb_build_array(${value}) END`;
    // Preserved documents keep a missing or null value; an empty array is removed.
    const unwound = `CASE WHEN e.value IS NOT NULL THEN jsonb_set(p.doc, ${path}, e.value) WHEN jsonb_typeof(${value}) = 'array' THEN p.doc #- ${path} ELSE p.doc END`;
    const index = stage.indexField
      ? ` || jsonb_build_object(${this.params.add(stage.indexField, 'text')}, e.idx - 1)`
      : '';
    const join = stage.preserveEmpty ? 'LEFT JOIN LATERAL' : 'CROSS JOIN LATERAL';
    const on = stage.preserveEmpty ? ' ON TRUE' : '';
    return `SELECT ${unwound}${index} AS doc, row_number() OVER (ORDER BY p.ord, e.idx) AS ord ${from} ${join} jsonb_array_elements(${elements}) WITH ORDINALITY AS e(value, idx)${on}`;
  }

  #lookup(stage: Extract<AggregateStage, { kind: 'lookup' }>, from: string): string {
    const as = this.params.add(stage.as, 'text');
    const foreign = this.context.schemaOf(stage.from);
    if (!foreign) return `SELECT p.doc || jsonb_build_object(${as}, '[]'::jsonb) AS doc, p.ord ${from}`;
    // The foreign documents are built once, in their own CTE, and matched per document.
    const name = `l${this.#ctes.length}`;
    const table = this.context.names.table(stage.from);
    this.#ctes.push(
      `${name} AS (SELECT ${documentOf(foreign, this.params, 'f.')} AS doc, row_number() OVER () AS ord FROM ${table} AS f)`,
    );
    const docs = this.#documents;
    const local = docs.path(DOC, stage.localPath);
    const foreignValue = `coalesce(${pointerId(docs.path('x.doc', stage.foreignPath))}, 'null'::jsonb)`;
    // MongoDB's rules: a missing local value matches a missing or null foreign one; an array
    // local value matches any of its elements.
    const matches = `CASE WHEN jsonb_typeof(${local}) = 'array' THEN EXISTS (SELECT 1 FROM jsonb_array_elements(${local}) AS element WHERE ${pointerId('element.value')} = ${foreignValue}) ELSE coalesce(${pointerId(local)}, 'null'::jsonb) = ${foreignValue} END`;
    return `SELECT p.doc || jsonb_build_object(${as}, (SELECT coalesce(jsonb_agg(x.doc ORDER BY x.ord), '[]'::jsonb) FROM ${name} AS x WHERE ${matches})) AS doc, p.ord ${from}`;
  }
}
