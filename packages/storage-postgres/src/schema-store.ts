import type { AddFieldRequest, ClassLevelPermissions, ClassSchema, IndexChange } from '@openparse/core';
import { ParseError, ParseErrorCode } from '@openparse/core';
import type { Database, Queryable } from './database.js';
import { PgCode, pgCode, translateError } from './errors.js';
import { ident } from './sql.js';
import {
  columnType,
  fromStoredSchema,
  joinTableName,
  toStoredSchema,
  USER_INTERNAL_COLUMNS,
} from './type-mapping.js';

const JOIN_TABLE_COLUMNS =
  '("relatedId" varchar(120), "owningId" varchar(120), PRIMARY KEY ("relatedId", "owningId"))';

/** The `_SCHEMA` table and the DDL that keeps class tables in step with it. */
export class SchemaStore {
  constructor(private readonly db: Database) {}

  /** Creates `_SCHEMA` if it is missing. */
  async initialize(): Promise<void> {
    await this.db.query(
      'CREATE TABLE IF NOT EXISTS "_SCHEMA" ("className" varchar(120), "schema" jsonb, "isParseClass" bool, PRIMARY KEY ("className"))',
    );
  }

  async all(): Promise<ClassSchema[]> {
    const { rows } = await this.db.query('SELECT "className", "schema" FROM "_SCHEMA"');
    return rows.map((row) =>
      fromStoredSchema(String(row.className), (row.schema ?? {}) as Record<string, unknown>),
    );
  }

  async create(schema: ClassSchema): Promise<ClassSchema> {
    const stored = toStoredSchema(schema);
    try {
      await this.db.transaction(async (tx) => {
        const fields = { ...(stored.fields as ClassSchema['fields']) };
        if (schema.className === '_User') Object.assign(fields, USER_INTERNAL_COLUMNS);
        const columns: string[] = [];
        for (const [name, field] of Object.entries(fields)) {
          const type = columnType(name, field);
          if (type) columns.push(`${ident(name)} ${type}${name === 'objectId' ? ' PRIMARY KEY' : ''}`);
        }
        await tx.query(`CREATE TABLE IF NOT EXISTS ${ident(schema.className)} (${columns.join(', ')})`);
        for (const [name, field] of Object.entries(fields)) {
          if (field.type === 'Relation') await this.#createJoinTable(tx, schema.className, name);
        }
        await tx.query(
          'INSERT INTO "_SCHEMA" ("className", "schema", "isParseClass") VALUES ($1, $2::jsonb, true)',
          [schema.className, JSON.stringify(stored)],
        );
      });
    } catch (error) {
      if (pgCode(error) === PgCode.UNIQUE_VIOLATION || pgCode(error) === PgCode.DUPLICATE_TABLE) {
        throw new ParseError(ParseErrorCode.INVALID_CLASS_NAME, `Class ${schema.className} already exists.`, {
          cause: error,
        });
      }
      throw translateError(error);
    }
    if (schema.indexes && Object.keys(schema.indexes).length > 0) {
      await this.updateIndexes({ className: schema.className, create: schema.indexes });
    }
    return fromStoredSchema(schema.className, stored);
  }

  async drop(className: string, relationFields: readonly string[]): Promise<void> {
    await this.db.transaction(async (tx) => {
      await tx.query(`DROP TABLE IF EXISTS ${ident(className)}`);
      for (const field of relationFields)
        await tx.query(`DROP TABLE IF EXISTS ${ident(joinTableName(className, field))}`);
      await tx.query('DELETE FROM "_SCHEMA" WHERE "className" = $1', [className]);
    });
  }

  async addField({ className, fieldName, field }: AddFieldRequest): Promise<void> {
    const type = columnType(fieldName, field);
    if (type)
      await this.db.query(
        `ALTER TABLE ${ident(className)} ADD COLUMN IF NOT EXISTS ${ident(fieldName)} ${type}`,
      );
    else if (field.type === 'Relation') await this.#createJoinTable(this.db, className, fieldName);
    // Only the first writer records the field: a concurrent add of the same field keeps its type.
    await this.db.query(
      `UPDATE "_SCHEMA" SET "schema" = jsonb_set("schema", ARRAY['fields', $2::text], $3::jsonb)
       WHERE "className" = $1 AND NOT ("schema"->'fields' ? $2::text)`,
      [className, fieldName, JSON.stringify(field)],
    );
  }

  async deleteFields(
    className: string,
    fieldNames: readonly string[],
    relationFields: readonly string[],
  ): Promise<void> {
    await this.db.transaction(async (tx) => {
      for (const name of fieldNames) {
        if (relationFields.includes(name))
          await tx.query(`DROP TABLE IF EXISTS ${ident(joinTableName(className, name))}`);
        else await tx.query(`ALTER TABLE ${ident(className)} DROP COLUMN IF EXISTS ${ident(name)}`);
        await tx.query(
          `UPDATE "_SCHEMA" SET "schema" = "schema" #- ARRAY['fields', $2::text] WHERE "className" = $1`,
          [className, name],
        );
      }
    });
  }

  async setClassLevelPermissions(className: string, permissions: ClassLevelPermissions): Promise<void> {
    await this.db.query(
      `UPDATE "_SCHEMA" SET "schema" = jsonb_set("schema", '{classLevelPermissions}', $2::jsonb) WHERE "className" = $1`,
      [className, JSON.stringify(permissions)],
    );
  }

  async updateIndexes({ className, create = {}, drop = [] }: IndexChange): Promise<void> {
    for (const name of drop) {
      await this.db.query(`DROP INDEX IF EXISTS ${ident(name)}`);
      await this.db.query(
        `UPDATE "_SCHEMA" SET "schema" = "schema" #- ARRAY['indexes', $2::text] WHERE "className" = $1`,
        [className, name],
      );
    }
    for (const [name, keys] of Object.entries(create)) {
      const columns = Object.entries(keys).map(([field, direction]) => {
        if (direction !== 1 && direction !== -1) {
          throw new ParseError(
            ParseErrorCode.INVALID_QUERY,
            `Index type ${String(direction)} is not supported yet by storage-postgres`,
          );
        }
        return `${ident(field)} ${direction === -1 ? 'DESC' : 'ASC'}`;
      });
      try {
        await this.db.query(
          `CREATE INDEX IF NOT EXISTS ${ident(name)} ON ${ident(className)} (${columns.join(', ')})`,
        );
      } catch (error) {
        throw translateError(error);
      }
      await this.db.query(
        `UPDATE "_SCHEMA" SET "schema" = jsonb_set(jsonb_set("schema", '{indexes}', COALESCE("schema"->'indexes', '{}'::jsonb)), ARRAY['indexes', $2::text], $3::jsonb)
         WHERE "className" = $1`,
        [className, name, JSON.stringify(keys)],
      );
    }
  }

  async ensureUniqueness(className: string, fieldNames: readonly string[]): Promise<void> {
    const name = `${className}_unique_${[...fieldNames].sort().join('_')}`;
    const columns = fieldNames.map(ident).join(', ');
    try {
      await this.db.query(
        `CREATE UNIQUE INDEX IF NOT EXISTS ${ident(name)} ON ${ident(className)} (${columns})`,
      );
    } catch (error) {
      if (pgCode(error) === PgCode.UNDEFINED_TABLE) return;
      throw translateError(error);
    }
  }

  async #createJoinTable(target: Queryable, className: string, field: string): Promise<void> {
    await target.query(
      `CREATE TABLE IF NOT EXISTS ${ident(joinTableName(className, field))} ${JOIN_TABLE_COLUMNS}`,
    );
  }
}
