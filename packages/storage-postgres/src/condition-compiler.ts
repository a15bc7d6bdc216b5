import type { ClassSchema, Condition, FieldRef, ParseQuery, StorageValue } from '@openparse/core';
import { compileArraySet, compileCompare, compileExists, compileIn, notYet } from './compare-compiler.js';
import { type ResolvedField, resolveField } from './field-kinds.js';
import { distanceSortOf, GeoCompiler } from './geo-compiler.js';
import type { GeoSupport } from './geo-support.js';
import { limitOffset, orderBy } from './order-by.js';
import { toPostgresRegex } from './regex.js';
import { stripDiacritics, TEXT_CONFIGS, textVector } from './text-search.js';
import { ident, type Params, type TableNames } from './sql.js';

/** What compiling needs besides the condition: table names and the cached schema. */
export interface CompileContext {
  readonly names: TableNames;
  schemaOf(className: string): ClassSchema | undefined;
  /** Whether `cube` + `earthdistance` are there (spherical geo queries); assumed when absent. */
  geo?(): GeoSupport;
}

const GEO_ASSUMED: GeoSupport = { available: true };

/** The `text[]` literals of principal lists: a session's requests share one list. */
const principalLiterals = new WeakMap<readonly string[], string>();

/**
 * A principal list as a `text[]` literal (`{"*","id","role:Name"}`), made once per list: the
 * driver would otherwise serialize the array again for every statement.
 */
export function principalsLiteral(principals: readonly string[]): string {
  let literal = principalLiterals.get(principals);
  if (literal === undefined) {
    const elements = principals.map((name) => `"${name.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`);
    literal = `{${elements.join(',')}}`;
    principalLiterals.set(principals, literal);
  }
  return literal;
}

/**
 * Compiles a typed condition on one class into a SQL boolean expression. Values always travel
 * as parameters; `inQuery`, `select` and `relatedTo` become subqueries of the same statement.
 */
export class ConditionCompiler {
  readonly #schema: ClassSchema | undefined;

  constructor(
    private readonly context: CompileContext,
    private readonly params: Params,
    readonly className: string,
  ) {
    this.#schema = context.schemaOf(className);
  }

  /** The class's field, resolved (see {@link resolveField}). */
  field(field: FieldRef, sample?: StorageValue): ResolvedField {
    return resolveField(field, this.#schema, sample);
  }

  compile(condition: Condition): string {
    const params = this.params;
    switch (condition.kind) {
      case 'and':
        return this.#join(condition.conditions, 'AND', 'TRUE');
      case 'or':
        return this.#join(condition.conditions, 'OR', 'FALSE');
      case 'nor':
        return condition.conditions.length === 0
          ? 'TRUE'
          : `NOT COALESCE(${this.#join(condition.conditions, 'OR', 'FALSE')}, FALSE)`;
      case 'constant':
        return condition.value ? 'TRUE' : 'FALSE';
      case 'compare':
        return compileCompare(
          this.field(condition.field, condition.value),
          condition.op,
          condition.value,
          params,
        );
      case 'in':
        return compileIn(
          this.field(condition.field, condition.values[0]),
          condition.values,
          condition.negated,
          params,
        );
      case 'exists':
        return compileExists(this.field(condition.field), condition.exists);
      case 'all':
      case 'containedBy':
        return compileArraySet(this.field(condition.field), condition.kind, condition.values, params);
      case 'regex':
        return this.#regex(condition.field, condition.pattern, condition.flags);
      case 'acl': {
        const column = ident(condition.access === 'read' ? '_rperm' : '_wperm');
        return `(${column} IS NULL OR ${column} && ${params.add(principalsLiteral(condition.principals), 'text[]')})`;
      }
      case 'pointerPermission':
        return this.#pointerPermission(condition.field, condition.userId);
      case 'inQuery':
        return this.#inQuery(condition.field, condition.query, condition.negated);
      case 'select':
        return this.#select(condition.field, condition.query, condition.key, condition.negated);
      case 'relatedTo':
        return this.#relatedTo(condition.owner.className, condition.owner.objectId, condition.key);
      case 'text':
        return this.#text(condition);
      case 'nearSphere':
      case 'withinBox':
      case 'withinPolygon':
      case 'withinCenterSphere':
      case 'intersectsPoint':
        return this.#geo().compile(condition, this.field(condition.field));
    }
  }

  #geoCompiler: GeoCompiler | undefined;

  #geo(): GeoCompiler {
    this.#geoCompiler ??= new GeoCompiler(this.params, () => this.context.geo?.() ?? GEO_ASSUMED);
    return this.#geoCompiler;
  }

  /**
   * The ORDER BY key of a top-level `$nearSphere` that orders by distance (the request gave no
   * order), or undefined.
   */
  distanceOrder(where: Condition): string | undefined {
    const near = distanceSortOf(where);
    return near ? this.#geo().distanceOrder(near, this.field(near.field)) : undefined;
  }

  #join(conditions: readonly Condition[], operator: 'AND' | 'OR', empty: string): string {
    if (conditions.length === 0) return empty;
    if (conditions.length === 1) return this.compile(conditions[0] as Condition);
    return `(${conditions.map((condition) => this.compile(condition)).join(` ${operator} `)})`;
  }

  /**
   * The relevance of the first text condition compiled (`ts_rank`), for ordering by `$score`
   * and answering `score`. Undefined until one is compiled.
   */
  rank: string | undefined;

  /**
   * Full-text search with PostgreSQL's text search (no extension): the field's words against
   * the term's, stemmed for the language (`simple` for `none`). Diacritics are folded unless
   * `diacriticSensitive`; `caseSensitive` also requires each word of the term as written.
   */
  #text(condition: Extract<Condition, { kind: 'text' }>): string {
    const field = this.field(condition.field, '');
    if (field.kind !== 'scalar') return 'FALSE';
    const vector = textVector(field.sql, condition.language, condition.diacriticSensitive);
    const config = TEXT_CONFIGS[condition.language ?? 'english'] ?? 'english';
    const term = condition.diacriticSensitive ? condition.term : stripDiacritics(condition.term);
    const query = `plainto_tsquery('${config}'::regconfig, ${this.params.add(term, 'text')})`;
    this.rank ??= `ts_rank(${vector}, ${query})`;
    const words = condition.term.split(/\s+/).filter((word) => word.length > 0);
    const exact = condition.caseSensitive
      ? words.map((word) => ` AND strpos(${field.sql}, ${this.params.add(word, 'text')}) > 0`).join('')
      : '';
    return `(${vector} @@ ${query}${exact})`;
  }

  #regex(ref: FieldRef, pattern: string, flags: string): string {
    const field = this.field(ref, '');
    const regex = toPostgresRegex(pattern, flags);
    const param = this.params.add(regex.pattern, 'text');
    switch (field.kind) {
      case 'scalar':
      case 'jsonPath':
        return `${field.textSql} ${regex.operator} ${param}`;
      case 'jsonArray':
      case 'textArray': {
        const elements = field.kind === 'jsonArray' ? 'jsonb_array_elements_text' : 'unnest';
        return `EXISTS (SELECT 1 FROM ${elements}(${field.sql}) AS element WHERE element ${regex.operator} ${param})`;
      }
      case 'missing':
        return 'FALSE';
      default:
        throw notYet('$regex on this field type');
    }
  }

  #pointerPermission(ref: FieldRef, userId: string): string {
    const field = this.field(ref, userId);
    if (field.kind === 'scalar') return `${field.sql} = ${this.params.add(userId, 'text')}`;
    if (field.kind === 'jsonArray' || field.kind === 'jsonPath' || field.kind === 'json') {
      // Arrays of pointers hold `{__type, className, objectId}`: containment on objectId alone.
      return `${field.sql} @> ${this.params.add(JSON.stringify([{ objectId: userId }]), 'jsonb')}`;
    }
    return 'FALSE';
  }

  /**
   * `SELECT <expression> FROM <class> WHERE …` with the subquery's own order and paging, or
   * undefined when the class is unknown (its table does not exist: no rows).
   */
  #subquery(
    query: ParseQuery,
    expression: (inner: ConditionCompiler) => string | undefined,
  ): string | undefined {
    if (!this.context.schemaOf(query.className)) return undefined;
    const inner = new ConditionCompiler(this.context, this.params, query.className);
    const selected = expression(inner);
    if (selected === undefined) return undefined;
    const where = inner.compile(query.where);
    const order = orderBy(
      query.sort,
      this.context.schemaOf(query.className),
      undefined,
      inner.distanceOrder(query.where),
    );
    return `SELECT ${selected} FROM ${this.context.names.table(query.className)} WHERE ${where} AND ${selected} IS NOT NULL${order}${limitOffset(query, this.params)}`;
  }

  #membership(field: ResolvedField, subquery: string | undefined, negated: boolean): string {
    if (field.kind === 'missing' || subquery === undefined) return negated ? 'TRUE' : 'FALSE';
    if (field.kind === 'jsonArray') {
      const any = `EXISTS (SELECT 1 FROM jsonb_array_elements(${field.sql}) AS element WHERE element->>'objectId' IN (${subquery}))`;
      return negated ? `NOT ${any}` : any;
    }
    return negated
      ? `(${field.sql} IS NULL OR ${field.sql} NOT IN (${subquery}))`
      : `${field.sql} IN (${subquery})`;
  }

  #inQuery(ref: FieldRef, query: ParseQuery, negated: boolean): string {
    const subquery = this.#subquery(query, () => ident('objectId'));
    return this.#membership(this.field(ref), subquery, negated);
  }

  #select(ref: FieldRef, query: ParseQuery, key: FieldRef, negated: boolean): string {
    const outer = this.field(ref);
    const types = { same: true };
    const subquery = this.#subquery(query, (inner) => {
      const selected = inner.field(key);
      if (selected.kind === 'missing') return undefined;
      types.same = selected.kind === outer.kind && selected.cast === outer.cast;
      // Columns of different types meet as jsonb (a String field against a value inside an Object).
      return types.same ? selected.sql : `to_jsonb(${selected.sql})`;
    });
    if (types.same || outer.kind === 'missing') return this.#membership(outer, subquery, negated);
    const asJson: ResolvedField = { ...outer, sql: `to_jsonb(${outer.sql})`, kind: 'json' };
    return negated && subquery !== undefined
      ? `(${outer.sql} IS NULL OR ${asJson.sql} NOT IN (${subquery}))`
      : this.#membership(asJson, subquery, negated);
  }

  #relatedTo(ownerClass: string, ownerId: string, key: string): string {
    const owner = this.context.schemaOf(ownerClass);
    if (owner?.fields[key]?.type !== 'Relation') return 'FALSE';
    const table = this.context.names.joinTable(ownerClass, key);
    return `${ident('objectId')} IN (SELECT ${ident('relatedId')} FROM ${table} WHERE ${ident('owningId')} = ${this.params.add(ownerId, 'text')})`;
  }
}
