import type {
  AggregateRequest,
  ClassSchema,
  Condition,
  DistinctRequest,
  JsonValue,
  ParseQuery,
  RelationChange,
  StorageObject,
  StorageObjects,
  StorageValue,
  UpdateRequest,
  WriteByQuery,
} from '@openparse/core';
import { ParseError, ParseErrorCode } from '@openparse/core';
import { AggregateCompiler } from './aggregate-compiler.js';
import { type CompileContext, ConditionCompiler } from './condition-compiler.js';
import type { Queryable, QueryResult } from './database.js';
import { PgCode, pgCode, translateError } from './errors.js';
import { attachIncludes, IncludeCompiler, MAIN_ALIAS } from './include-compiler.js';
import { limitOffset, orderBy } from './order-by.js';
import { storedFieldOf } from './schema-json.js';
import { type Statement, StatementCache } from './statement-cache.js';
import { ident, Params } from './sql.js';
import type { TableStatistics } from './statistics.js';
import { compileUpdate } from './update-compiler.js';
import { upsertedObject } from './upsert.js';
import { decodeColumn, decodeRow, encodeForColumn } from './values.js';

const SYSTEM_COLUMNS = ['objectId', 'createdAt', 'updatedAt', '_rperm', '_wperm'];

/** The select list made for a `keys` array, with the schema and default list it was made for. */
const columnLists = new WeakMap<
  readonly string[],
  { schema: ClassSchema | undefined; all: string; columns: string }
>();

/** True when `condition` requires `objectId` to equal one value: it matches one row at most. */
function pinsObjectId(condition: Condition): boolean {
  if (condition.kind === 'and') return condition.conditions.some(pinsObjectId);
  return (
    condition.kind === 'compare' &&
    condition.op === 'eq' &&
    condition.field.name === 'objectId' &&
    condition.field.path.length === 0 &&
    typeof condition.value === 'string'
  );
}

function rethrowTranslated(error: unknown): never {
  throw translateError(error);
}

/** A missing table holds no rows. */
function readAsEmpty(error: unknown): QueryResult {
  if (pgCode(error) === PgCode.UNDEFINED_TABLE) return { rows: [], rowCount: 0 };
  throw translateError(error);
}

/** Object reads and writes on one connection (the pool, or a transaction's). One statement each. */
/** PostgreSQL's wire protocol counts a statement's parameters in 16 bits. */
const MAX_PARAMETERS = 65_535;

export class ObjectStore implements StorageObjects {
  constructor(
    private readonly db: Queryable,
    private readonly context: CompileContext,
    /** Where no autovacuum runs (PGlite): told of every write, to keep the table analyzed. */
    private readonly statistics?: TableStatistics,
    /** Shared by the adapter's stores: the statements of common reads, per shape. */
    private readonly statements: StatementCache = new StatementCache(),
  ) {}

  /** Runs a statement; a missing table reads as no rows when `missingTable` is 'empty'. */
  #run(text: string, values: unknown[], missingTable: 'empty' | 'throw' = 'empty'): Promise<QueryResult> {
    return this.db.query(text, values).catch(missingTable === 'empty' ? readAsEmpty : rethrowTranslated);
  }

  #table(className: string): string {
    return this.context.names.table(className);
  }

  #where(className: string, condition: Condition, params: Params): string {
    return new ConditionCompiler(this.context, params, className).compile(condition);
  }

  async createObject(className: string, object: StorageObject): Promise<void> {
    await this.createObjects(className, [object]);
  }

  /** One `INSERT … VALUES (…), (…)`: a column an object lacks gets its default (NULL). */
  async createObjects(className: string, objects: readonly StorageObject[]): Promise<void> {
    const schema = this.context.schemaOf(className);
    const params = new Params();
    const columns = new Map<string, number>();
    const rows: Map<number, string>[] = [];
    for (const object of objects) {
      const row = new Map<number, string>();
      for (const [name, value] of Object.entries(object)) {
        if (value === undefined || value === null) continue;
        const type = schema?.fields[name]?.type;
        if (type === 'Relation' || type === 'ACL') continue;
        let position = columns.get(name);
        if (position === undefined) {
          position = columns.size;
          columns.set(name, position);
        }
        const field = storedFieldOf(schema, name);
        row.set(
          position,
          encodeForColumn(name, field, value, (v, cast) => params.add(v, cast)),
        );
      }
      rows.push(row);
    }
    if (params.values.length > MAX_PARAMETERS) {
      // The protocol's limit: core retries such a batch one object at a time.
      throw new ParseError(ParseErrorCode.INTERNAL_SERVER_ERROR, 'too many values for one INSERT');
    }
    const names = [...columns.keys()].map(ident).join(', ');
    const values = rows
      .map(
        (row) => `(${Array.from({ length: columns.size }, (_, at) => row.get(at) ?? 'DEFAULT').join(', ')})`,
      )
      .join(', ');
    await this.#run(
      `INSERT INTO ${this.#table(className)} (${names}) VALUES ${values}`,
      params.values,
      'throw',
    );
    this.statistics?.written(className, objects.length);
  }

  async updateObjects(request: UpdateRequest): Promise<number> {
    const params = new Params();
    const set = compileUpdate(request.update, this.context.schemaOf(request.className), params);
    if (!set) return this.count({ className: request.className, where: request.where });
    const where = this.#where(request.className, request.where, params);
    const result = await this.#run(
      `UPDATE ${this.#table(request.className)} SET ${set} WHERE ${where}`,
      params.values,
    );
    this.statistics?.written(request.className, result.rowCount);
    return result.rowCount;
  }

  async findOneAndUpdate(request: UpdateRequest): Promise<StorageObject | undefined> {
    const schema = this.context.schemaOf(request.className);
    const params = new Params();
    const set = compileUpdate(request.update, schema, params) || '"objectId" = "objectId"';
    const where = this.#where(request.className, request.where, params);
    const table = this.#table(request.className);
    // A condition on one objectId matches one row at most: updated directly. Otherwise "the
    // first matched object" is chosen and locked by a subquery of the same statement.
    const target = pinsObjectId(request.where)
      ? where
      : `"objectId" = (SELECT "objectId" FROM ${table} WHERE ${where} LIMIT 1 FOR UPDATE)`;
    const result = await this.#run(`UPDATE ${table} SET ${set} WHERE ${target} RETURNING *`, params.values);
    const [row] = result.rows;
    this.statistics?.written(request.className, result.rows.length);
    return row ? decodeRow(row, schema) : undefined;
  }

  async upsertObject(request: UpdateRequest): Promise<void> {
    if (await this.findOneAndUpdate(request)) return;
    const object = upsertedObject(request);
    if (!object.objectId) {
      throw new TypeError('[storage-postgres] upsertObject needs an objectId equality or a set objectId');
    }
    try {
      await this.createObject(request.className, object);
    } catch (error) {
      // A concurrent upsert inserted the same object first: apply ours to it as an update.
      if (!(error instanceof ParseError && error.code === ParseErrorCode.DUPLICATE_VALUE)) throw error;
      if (!(await this.findOneAndUpdate(request))) throw error;
    }
  }

  async deleteObjects(request: WriteByQuery): Promise<number> {
    const params = new Params();
    const where = this.#where(request.className, request.where, params);
    const result = await this.#run(
      `DELETE FROM ${this.#table(request.className)} WHERE ${where}`,
      params.values,
    );
    this.statistics?.written(request.className, result.rowCount);
    return result.rowCount;
  }

  /** Deletes every object of a class (the table stays). */
  async purge(className: string): Promise<void> {
    const result = await this.#run(`DELETE FROM ${this.#table(className)}`, []);
    this.statistics?.written(className, result.rowCount);
  }

  #columns(query: ParseQuery, schema: ClassSchema | undefined, all: string): string {
    if (!query.keys) return all;
    // Core hands the same keys array for every read of a schema: its list is built once.
    const known = columnLists.get(query.keys);
    if (known && known.schema === schema && known.all === all) return known.columns;
    const columns = this.#columnList(query.keys, schema);
    columnLists.set(query.keys, { schema, all, columns });
    return columns;
  }

  #columnList(keys: readonly string[], schema: ClassSchema | undefined): string {
    const wanted = new Set([...SYSTEM_COLUMNS, ...keys]);
    // `_User.password` is stored as `_hashed_password`.
    if (schema?.className === '_User' && keys.includes('password')) wanted.add('_hashed_password');
    // Keys the class has no column for (relations, the ACL, unknown fields) select nothing.
    const columns = [...wanted].filter(
      (name) => SYSTEM_COLUMNS.includes(name) || storedFieldOf(schema, name),
    );
    return columns.map(ident).join(', ');
  }

  find(query: ParseQuery): Promise<StorageObject[]> {
    try {
      const schema = this.context.schemaOf(query.className);
      const { sql, values } = this.#findStatement(query, schema);
      return this.#run(sql, values).then((result) => {
        const rows = result.rows;
        const objects = new Array<StorageObject>(rows.length);
        for (let i = 0; i < rows.length; i++)
          objects[i] = this.#decode(rows[i] as Record<string, unknown>, schema, query);
        return objects;
      });
    } catch (error) {
      // As an async function would: a query that cannot compile is a rejected promise.
      return Promise.reject(error);
    }
  }

  /**
   * The page and the total in one statement (the total as a column of every row). A page past
   * the end has no row to carry it: only then is the count a second statement.
   */
  async findWithCount(query: ParseQuery): Promise<{ objects: StorageObject[]; count: number }> {
    const schema = this.context.schemaOf(query.className);
    const { sql, values } = this.#findStatement(query, schema, 'pageAndCount');
    const result = await this.#run(sql, values);
    if (result.rows.length === 0) return { objects: [], count: await this.count(query) };
    const count = Number(result.rows[0]?.__count ?? 0);
    return {
      // decodeRow skips the `__count` column.
      objects: result.rows.map((row) => this.#decode(row, schema, query)),
      count,
    };
  }

  #decode(row: Record<string, unknown>, schema: ClassSchema | undefined, query: ParseQuery): StorageObject {
    const object = decodeRow(row, schema);
    if (query.include?.length) attachIncludes(object, row, query.include, this.context);
    return object;
  }

  /** `EXPLAIN (FORMAT JSON)` of the find: `[{ "QUERY PLAN": [...] }]`, as parse-server answers on PostgreSQL. */
  async explain(query: ParseQuery): Promise<JsonValue[]> {
    const { sql, values } = this.#findStatement(query, this.context.schemaOf(query.className));
    const result = await this.#run(`EXPLAIN (FORMAT JSON) ${sql}`, values);
    return result.rows as JsonValue[];
  }

  /** The statement of a find: remembered for its shape, or compiled (and remembered when it qualifies). */
  #findStatement(
    query: ParseQuery,
    schema: ClassSchema | undefined,
    kind: 'page' | 'pageAndCount' = 'page',
  ): Statement {
    const remembered = this.statements.lookup(query, schema, kind);
    if (remembered) return remembered;
    const compiled = this.#compileFind(query, schema, kind === 'pageAndCount');
    this.statements.remember(query, schema, kind, compiled.sql, compiled.values);
    return compiled;
  }

  #compileFind(query: ParseQuery, schema: ClassSchema | undefined, withCount: boolean): Statement {
    const params = new Params();
    const compiler = new ConditionCompiler(this.context, params, query.className);
    const where = compiler.compile(query.where);
    const distance = compiler.distanceOrder(query.where);
    const tail = `${orderBy(query.sort, schema, compiler.rank, distance)}${limitOffset(query, params)}`;
    // The relevance overwrites a field named `score`, as MongoDB's text score does.
    const score = query.score && compiler.rank ? `, ${compiler.rank} AS "score"` : '';
    const include = query.include?.length
      ? new IncludeCompiler(this.context, params).compile(query.include)
      : undefined;
    // An uncorrelated subquery: computed once (an InitPlan), beside the page's own plan.
    const count = withCount
      ? `, (SELECT count(*)::int FROM ${this.#table(query.className)} WHERE ${this.#where(query.className, query.where, params)}) AS "__count"`
      : '';
    const from = include
      ? `${this.#table(query.className)} AS ${MAIN_ALIAS}${include.joins}`
      : this.#table(query.className);
    // The joins' columns are all `__include_…`: the main table's columns stay unambiguous.
    const columns = this.#columns(query, schema, include ? `${MAIN_ALIAS}.*` : '*');
    const sql = `SELECT ${columns}${score}${include?.columns ?? ''}${count} FROM ${from} WHERE ${where}${tail}`;
    return { sql, values: params.values };
  }

  async count(query: ParseQuery): Promise<number> {
    const schema = this.context.schemaOf(query.className);
    let statement = this.statements.lookup(query, schema, 'count');
    if (!statement) {
      const params = new Params();
      const where = this.#where(query.className, query.where, params);
      statement = {
        sql: `SELECT count(*)::int AS count FROM ${this.#table(query.className)} WHERE ${where}`,
        values: params.values,
      };
      this.statements.remember(query, schema, 'count', statement.sql, statement.values);
    }
    const result = await this.#run(statement.sql, statement.values);
    return Number(result.rows[0]?.count ?? 0);
  }

  /** Distinct values; elements of an Array field count one by one, as MongoDB's distinct does. */
  async distinct(request: DistinctRequest): Promise<StorageValue[]> {
    const { className } = request.query;
    const schema = this.context.schemaOf(className);
    const params = new Params();
    const compiler = new ConditionCompiler(this.context, params, className);
    const field = compiler.field(request.field);
    if (field.kind === 'missing') return [];
    const where = compiler.compile(request.query.where);
    const unwind = field.kind === 'jsonArray' || field.kind === 'textArray';
    const source = unwind
      ? `${field.kind === 'jsonArray' ? 'jsonb_array_elements' : 'unnest'}(${field.sql}) AS element(value)`
      : '';
    const expression = unwind ? 'element.value' : field.sql;
    const from = `${this.#table(className)}${source ? `, LATERAL ${source}` : ''}`;
    const sql = `SELECT DISTINCT ${expression} AS value FROM ${from} WHERE ${where} AND ${expression} IS NOT NULL`;
    const result = await this.#run(sql, params.values);
    const definition = field.kind === 'scalar' ? storedFieldOf(schema, request.field.name) : undefined;
    return result.rows.map((row) =>
      definition ? decodeColumn(row.value, definition) : (row.value as StorageValue),
    );
  }

  /** The whole pipeline is one statement (see AggregateCompiler). */
  async aggregate(request: AggregateRequest): Promise<Record<string, unknown>[]> {
    const compiler = new AggregateCompiler(this.context);
    const sql = compiler.compile(request);
    if (sql === undefined) return [];
    const result = await this.#run(sql, compiler.params.values);
    return result.rows.map(
      (row) => (typeof row.doc === 'string' ? JSON.parse(row.doc) : row.doc) as Record<string, unknown>,
    );
  }

  async addRelations(change: RelationChange): Promise<void> {
    if (change.relatedIds.length === 0) return;
    await this.#run(
      `INSERT INTO ${this.context.names.joinTable(change.className, change.field)} ("relatedId", "owningId")
       SELECT id, $2 FROM unnest($1::text[]) AS id ON CONFLICT DO NOTHING`,
      [[...change.relatedIds], change.owningId],
      'throw',
    );
  }

  async removeRelations(change: RelationChange): Promise<void> {
    if (change.relatedIds.length === 0) return;
    await this.#run(
      `DELETE FROM ${this.context.names.joinTable(change.className, change.field)} WHERE "owningId" = $2 AND "relatedId" = ANY($1::text[])`,
      [[...change.relatedIds], change.owningId],
    );
  }

  async roleNamesOf(userId: string): Promise<string[]> {
    const { names } = this.context;
    // UNION (not UNION ALL) drops rows already found, so a cycle of roles ends the recursion.
    const result = await this.#run(
      `WITH RECURSIVE held(id) AS (
         SELECT "owningId" FROM ${names.joinTable('_Role', 'users')} WHERE "relatedId" = $1
         UNION
         SELECT parent."owningId" FROM ${names.joinTable('_Role', 'roles')} parent JOIN held ON parent."relatedId" = held.id
       )
       SELECT name FROM ${names.table('_Role')} WHERE "objectId" IN (SELECT id FROM held) AND name IS NOT NULL`,
      [userId],
    );
    return result.rows.map((row) => String(row.name));
  }
}
