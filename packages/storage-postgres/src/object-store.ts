import type {
  ClassSchema,
  Condition,
  DistinctRequest,
  ParseQuery,
  RelationChange,
  StorageObject,
  StorageObjects,
  StorageValue,
  UpdateRequest,
  WriteByQuery,
} from '@openparse/core';
import { ConditionCompiler, columnOf } from './condition-compiler.js';
import type { Queryable } from './database.js';
import { PgCode, pgCode, translateError } from './errors.js';
import { ident, Params } from './sql.js';
import { decodeRow, encodeForColumn, joinTableName } from './type-mapping.js';
import { compileUpdate } from './update-compiler.js';

const SYSTEM_COLUMNS = ['objectId', 'createdAt', 'updatedAt', '_rperm', '_wperm'];

/** Object reads and writes on one connection (the pool, or a transaction). */
export class ObjectStore implements StorageObjects {
  constructor(
    private readonly db: Queryable,
    private readonly schemaOf: (className: string) => ClassSchema | undefined,
  ) {}

  async #run(text: string, values: unknown[], missingTable: 'empty' | 'throw' = 'throw') {
    try {
      return await this.db.query(text, values);
    } catch (error) {
      if (missingTable === 'empty' && pgCode(error) === PgCode.UNDEFINED_TABLE)
        return { rows: [], rowCount: 0 };
      throw translateError(error);
    }
  }

  #where(condition: Condition, params: Params): string {
    return new ConditionCompiler(params).compile(condition);
  }

  async createObject(className: string, object: StorageObject): Promise<void> {
    const schema = this.schemaOf(className);
    const params = new Params();
    const columns: string[] = [];
    const values: string[] = [];
    for (const [name, value] of Object.entries(object)) {
      if (value === undefined || value === null) continue;
      columns.push(ident(name));
      values.push(encodeForColumn(name, schema?.fields[name], value, (v, cast) => params.add(v, cast)));
    }
    await this.#run(
      `INSERT INTO ${ident(className)} (${columns.join(', ')}) VALUES (${values.join(', ')})`,
      params.values,
    );
  }

  async updateObjects(request: UpdateRequest): Promise<number> {
    const params = new Params();
    const set = compileUpdate(request.update, this.schemaOf(request.className), params);
    const where = this.#where(request.where, params);
    const result = await this.#run(
      `UPDATE ${ident(request.className)} SET ${set} WHERE ${where}`,
      params.values,
    );
    return result.rowCount;
  }

  async findOneAndUpdate(request: UpdateRequest): Promise<StorageObject | undefined> {
    const schema = this.schemaOf(request.className);
    const params = new Params();
    const set = compileUpdate(request.update, schema, params);
    const where = this.#where(request.where, params);
    const table = ident(request.className);
    // "The first matched object": one row chosen and locked by the subquery, updated in the same statement.
    const result = await this.#run(
      `UPDATE ${table} SET ${set} WHERE "objectId" = (SELECT "objectId" FROM ${table} WHERE ${where} LIMIT 1 FOR UPDATE) RETURNING *`,
      params.values,
    );
    const [row] = result.rows;
    return row ? decodeRow(row, schema) : undefined;
  }

  async upsertObject(request: UpdateRequest): Promise<void> {
    const updated = await this.findOneAndUpdate(request);
    if (updated) return;
    const object: StorageObject = { objectId: '' };
    collectEqualities(request.where, object);
    for (const [name, change] of Object.entries(request.update)) {
      if (change.op === 'set' && !name.includes('.')) object[name] = change.value;
      else if (change.op === 'increment') object[name] = change.amount;
      else if (change.op === 'add' || change.op === 'addUnique')
        object[name] = [...change.items] as StorageValue;
    }
    if (!object.objectId)
      throw new TypeError('[storage-postgres] upsertObject needs an objectId equality or value');
    await this.createObject(request.className, object);
  }

  async deleteObjects(request: WriteByQuery): Promise<number> {
    const params = new Params();
    const where = this.#where(request.where, params);
    const result = await this.#run(
      `DELETE FROM ${ident(request.className)} WHERE ${where}`,
      params.values,
      'empty',
    );
    return result.rowCount;
  }

  async purge(className: string): Promise<void> {
    await this.#run(`DELETE FROM ${ident(className)}`, [], 'empty');
  }

  #select(query: ParseQuery, schema: ClassSchema | undefined): string {
    if (!query.keys) return '*';
    const wanted = new Set([...SYSTEM_COLUMNS, ...query.keys]);
    if (schema?.className === '_User') wanted.add('_hashed_password');
    const columns = [...wanted].filter((name) => {
      const field = schema?.fields[name];
      return (
        SYSTEM_COLUMNS.includes(name) ||
        name.startsWith('_') ||
        (field !== undefined && field.type !== 'Relation' && field.type !== 'ACL')
      );
    });
    return columns.map(ident).join(', ');
  }

  #tail(query: ParseQuery, params: Params): string {
    let sql = '';
    if (query.sort && query.sort.length > 0) {
      const keys = query.sort
        .filter((key) => key.field !== '$score')
        .map(
          (key) =>
            `${columnOf(key.field as Exclude<typeof key.field, '$score'>)} ${key.descending ? 'DESC' : 'ASC'}`,
        );
      if (keys.length > 0) sql += ` ORDER BY ${keys.join(', ')}`;
    }
    if (query.limit !== undefined) sql += ` LIMIT ${params.add(query.limit, 'int')}`;
    if (query.skip) sql += ` OFFSET ${params.add(query.skip, 'int')}`;
    return sql;
  }

  async find(query: ParseQuery): Promise<StorageObject[]> {
    const schema = this.schemaOf(query.className);
    const params = new Params();
    const where = this.#where(query.where, params);
    const sql = `SELECT ${this.#select(query, schema)} FROM ${ident(query.className)} WHERE ${where}${this.#tail(query, params)}`;
    const result = await this.#run(sql, params.values, 'empty');
    return result.rows.map((row) => decodeRow(row, schema));
  }

  async count(query: ParseQuery): Promise<number> {
    const params = new Params();
    const where = this.#where(query.where, params);
    const result = await this.#run(
      `SELECT count(*)::int AS count FROM ${ident(query.className)} WHERE ${where}`,
      params.values,
      'empty',
    );
    return Number(result.rows[0]?.count ?? 0);
  }

  async distinct(request: DistinctRequest): Promise<StorageValue[]> {
    const schema = this.schemaOf(request.query.className);
    const params = new Params();
    const where = this.#where(request.query.where, params);
    const column = columnOf(request.field);
    const sql = `SELECT DISTINCT ${column} AS value FROM ${ident(request.query.className)} WHERE ${where} AND ${column} IS NOT NULL`;
    const result = await this.#run(sql, params.values, 'empty');
    const name = request.field.name;
    return result.rows.map((row) => {
      const decoded =
        request.field.path.length === 0
          ? decodeRow({ objectId: '', [name]: row.value }, schema)[name]
          : row.value;
      return decoded as StorageValue;
    });
  }

  async addRelations(change: RelationChange): Promise<void> {
    if (change.relatedIds.length === 0) return;
    const table = ident(joinTableName(change.className, change.field));
    await this.#run(
      `INSERT INTO ${table} ("relatedId", "owningId") SELECT id, $2 FROM unnest($1::text[]) AS id ON CONFLICT DO NOTHING`,
      [[...change.relatedIds], change.owningId],
    );
  }

  async removeRelations(change: RelationChange): Promise<void> {
    if (change.relatedIds.length === 0) return;
    const table = ident(joinTableName(change.className, change.field));
    await this.#run(
      `DELETE FROM ${table} WHERE "owningId" = $2 AND "relatedId" = ANY($1::text[])`,
      [[...change.relatedIds], change.owningId],
      'empty',
    );
  }
}

/** The `field = value` conditions of a where, as the fields of an upserted object. */
function collectEqualities(condition: Condition, into: StorageObject): void {
  if (condition.kind === 'and') for (const inner of condition.conditions) collectEqualities(inner, into);
  else if (condition.kind === 'compare' && condition.op === 'eq' && condition.field.path.length === 0) {
    into[condition.field.name] = condition.value;
  }
}
