import { createHash } from 'node:crypto';
import type {
  AddFieldRequest,
  ClassLevelPermissions,
  ClassSchema,
  FieldDefinition,
  IndexChange,
} from '@openparse/core';
import { ParseError, ParseErrorCode } from '@openparse/core';
import type { Database, Queryable } from './database.js';
import { isCatalogRace, PgCode, pgCode, translateError } from './errors.js';
import { earthIndexExpression } from './geo-compiler.js';
import { geoUnavailable, type GeoSupport } from './geo-support.js';
import { columnType, fromStoredSchema, tableColumns, toStoredSchema } from './schema-json.js';
import { ident, type TableNames } from './sql.js';
import { textVector } from './text-search.js';

const JOIN_TABLE_COLUMNS =
  '("relatedId" varchar(120), "owningId" varchar(120), PRIMARY KEY ("relatedId", "owningId"))';

/** The `_SCHEMA` table and the DDL that keeps class tables in step with it. Runs on the pool only. */
export class SchemaStore {
  readonly #schemaTable: string;

  constructor(
    private readonly db: Database,
    private readonly names: TableNames,
    private readonly geo: () => GeoSupport = () => ({ available: false, reason: 'unknown' }),
  ) {
    this.#schemaTable = names.table('_SCHEMA');
  }

  /** Creates `_SCHEMA` (parse-server's definition) if it is missing. */
  async initialize(): Promise<void> {
    if (this.names.databaseSchema) {
      await this.db.query(`CREATE SCHEMA IF NOT EXISTS ${ident(this.names.databaseSchema)}`);
    }
    await this.db.query(
      `CREATE TABLE IF NOT EXISTS ${this.#schemaTable} ("className" varchar(120), "schema" jsonb, "isParseClass" bool, PRIMARY KEY ("className"))`,
    );
  }

  async all(): Promise<ClassSchema[]> {
    const { rows } = await this.db.query(`SELECT "className", "schema" FROM ${this.#schemaTable}`);
    return rows.map((row) =>
      fromStoredSchema(String(row.className), (row.schema ?? {}) as Record<string, unknown>),
    );
  }

  async one(className: string, on: Queryable = this.db): Promise<ClassSchema | undefined> {
    const { rows } = await on.query(`SELECT "schema" FROM ${this.#schemaTable} WHERE "className" = $1`, [
      className,
    ]);
    const row = rows[0];
    return row ? fromStoredSchema(className, (row.schema ?? {}) as Record<string, unknown>) : undefined;
  }

  /**
   * Creates the table, its relation tables and the `_SCHEMA` row in one transaction. A class that
   * existed before is refused; one that a concurrent caller created meanwhile is returned as theirs.
   */
  async create(schema: ClassSchema): Promise<ClassSchema> {
    const stored = toStoredSchema(schema);
    const { className } = schema;
    try {
      await this.db.transaction(async (tx) => {
        if (await this.one(className, tx)) {
          throw new ParseError(ParseErrorCode.INVALID_CLASS_NAME, `Class ${className} already exists.`);
        }
        const columns: string[] = [];
        const relations: string[] = [];
        for (const [name, field] of tableColumns(stored)) {
          const type = columnType(name, field);
          if (type) columns.push(`${ident(name)} ${type}`);
          else if (field.type === 'Relation') relations.push(name);
        }
        if (stored.fields && 'objectId' in (stored.fields as object))
          columns.push('PRIMARY KEY ("objectId")');
        await tx.query(`CREATE TABLE IF NOT EXISTS ${this.names.table(className)} (${columns.join(', ')})`);
        for (const name of relations) await this.#createJoinTable(tx, className, name);
        for (const [name, field] of tableColumns(stored)) {
          if (field.type === 'GeoPoint') await this.#createEarthIndex(tx, className, name);
        }
        await tx.query(
          `INSERT INTO ${this.#schemaTable} ("className", "schema", "isParseClass") VALUES ($1, $2::jsonb, true)`,
          [className, JSON.stringify(stored)],
        );
      });
    } catch (error) {
      if (error instanceof ParseError) throw error;
      // A concurrent creator won the race (on `_SCHEMA`, on the catalog, or by a lock conflict
      // such as a deadlock between the two): when the class now exists, theirs is the class.
      const theirs = await this.one(className);
      if (theirs) return theirs;
      throw translateError(error);
    }
    if (schema.indexes && Object.keys(schema.indexes).length > 0) {
      await this.updateIndexes({ className, create: schema.indexes });
    }
    return fromStoredSchema(className, stored);
  }

  /** Drops the table, its relation tables (as `_SCHEMA` lists them) and the `_SCHEMA` row. */
  async drop(className: string): Promise<void> {
    await this.db.transaction(async (tx) => {
      const schema = await this.one(className, tx);
      await tx.query(`DROP TABLE IF EXISTS ${this.names.table(className)}`);
      for (const field of relationFields(schema)) {
        await tx.query(`DROP TABLE IF EXISTS ${this.names.joinTable(className, field)}`);
      }
      await tx.query(`DELETE FROM ${this.#schemaTable} WHERE "className" = $1`, [className]);
    });
  }

  /** Adds the column (or relation table) and records the field, unless a concurrent caller did. */
  async addField(request: AddFieldRequest): Promise<void> {
    try {
      await this.#addField(request);
    } catch (error) {
      // A concurrent add of the same column or relation table aborted ours; now it exists.
      if (!isCatalogRace(error)) throw error;
      await this.#addField(request);
    }
  }

  async #addField({ className, fieldName, field }: AddFieldRequest): Promise<void> {
    const type = columnType(fieldName, field);
    await this.db.transaction(async (tx) => {
      if (type) {
        await tx.query(
          `ALTER TABLE ${this.names.table(className)} ADD COLUMN IF NOT EXISTS ${ident(fieldName)} ${type}`,
        );
        if (field.type === 'GeoPoint') await this.#createEarthIndex(tx, className, fieldName);
      } else if (field.type === 'Relation') {
        await this.#createJoinTable(tx, className, fieldName);
      }
      // The first writer's declaration stays: a concurrent add of the same field changes nothing.
      await tx.query(
        `UPDATE ${this.#schemaTable} SET "schema" = jsonb_set("schema", ARRAY['fields', $2::text], $3::jsonb)
         WHERE "className" = $1 AND NOT (COALESCE("schema"->'fields', '{}'::jsonb) ? $2::text)`,
        [className, fieldName, JSON.stringify(field)],
      );
    });
  }

  async deleteFields(className: string, fieldNames: readonly string[]): Promise<void> {
    await this.db.transaction(async (tx) => {
      const schema = await this.one(className, tx);
      const relations = relationFields(schema);
      for (const name of fieldNames) {
        if (relations.includes(name)) {
          await tx.query(`DROP TABLE IF EXISTS ${this.names.joinTable(className, name)}`);
        } else {
          await tx.query(`ALTER TABLE ${this.names.table(className)} DROP COLUMN IF EXISTS ${ident(name)}`);
        }
      }
      await tx.query(
        `UPDATE ${this.#schemaTable} SET "schema" = jsonb_set("schema", '{fields}', COALESCE("schema"->'fields', '{}'::jsonb) - $2::text[]) WHERE "className" = $1`,
        [className, [...fieldNames]],
      );
    });
  }

  async setClassLevelPermissions(className: string, permissions: ClassLevelPermissions): Promise<void> {
    await this.db.query(
      `UPDATE ${this.#schemaTable} SET "schema" = jsonb_set("schema", '{classLevelPermissions}', $2::jsonb) WHERE "className" = $1`,
      [className, JSON.stringify(permissions)],
    );
  }

  /**
   * Creates and drops indexes and records them in `_SCHEMA`: b-tree indexes (parse-server's);
   * on one Array field a GIN index (array equality, `$all`); `'text'` on one String field a GIN
   * index on the `$text` expression; GiST indexes on one GeoPoint field (on the sphere; `'2d'` on
   * the flat point) or one Polygon field.
   */
  async updateIndexes({ className, create = {}, drop = [] }: IndexChange): Promise<void> {
    await this.db.transaction(async (tx) => {
      const fields = (await this.one(className, tx))?.fields ?? {};
      const definitions = Object.entries(create).map(([name, keys]) => ({
        name,
        keys,
        using: this.#indexUsing(keys, (field) => fields[field]),
      }));
      for (const name of drop) await tx.query(`DROP INDEX IF EXISTS ${this.names.index(name)}`);
      for (const { name, using } of definitions) {
        await tx.query(
          `CREATE INDEX IF NOT EXISTS ${ident(name)} ON ${this.names.table(className)} ${using}`,
        );
      }
      const added = Object.fromEntries(definitions.map(({ name, keys }) => [name, keys]));
      await tx.query(
        `UPDATE ${this.#schemaTable}
         SET "schema" = jsonb_set("schema", '{indexes}', (COALESCE("schema"->'indexes', '{}'::jsonb) - $2::text[]) || $3::jsonb)
         WHERE "className" = $1`,
        [className, [...drop], JSON.stringify(added)],
      );
    });
  }

  /**
   * A unique index named as parse-server names it (`<class>_unique_<sorted fields>`).
   * @throws {ParseError} DUPLICATE_VALUE when existing rows already repeat a value.
   */
  async ensureUniqueness(className: string, fieldNames: readonly string[]): Promise<void> {
    const sorted = [...fieldNames].sort();
    const name = `${className}_unique_${sorted.join('_')}`;
    try {
      await this.db.query(
        `CREATE UNIQUE INDEX IF NOT EXISTS ${ident(name)} ON ${this.names.table(className)} (${sorted.map(ident).join(', ')})`,
      );
    } catch (error) {
      if (isCatalogRace(error)) return;
      if (pgCode(error) === PgCode.UNDEFINED_TABLE) {
        throw new ParseError(ParseErrorCode.INVALID_CLASS_NAME, `Class ${className} does not exist.`, {
          cause: error,
        });
      }
      throw translateError(error);
    }
  }

  /** `USING … (…)` of one index definition. */
  #indexUsing(
    keys: Readonly<Record<string, unknown>>,
    definitionOf: (field: string) => FieldDefinition | undefined,
  ): string {
    const typeOf = (field: string) => definitionOf(field)?.type;
    const entries = Object.entries(keys);
    const single = (field: string, what: string): void => {
      if (entries.length > 1) {
        throw new ParseError(ParseErrorCode.INVALID_QUERY, `${what} on ${field} cannot include other fields`);
      }
    };
    const geoKey = entries.find(([field]) => typeOf(field) === 'GeoPoint' || typeOf(field) === 'Polygon');
    if (geoKey) {
      const [field, kind] = geoKey;
      single(field, `An index on the ${String(typeOf(field))} field`);
      if (typeOf(field) === 'Polygon' || kind === '2d') return `USING gist (${ident(field)})`;
      const geo = this.geo();
      if (!geo.available) throw geoUnavailable('A spherical GeoPoint index', geo.reason);
      return `USING gist (${earthIndexExpression(ident(field))})`;
    }
    const textKey = entries.find(([, kind]) => kind === 'text');
    if (textKey) {
      const [field] = textKey;
      single(field, 'A text index');
      if (typeOf(field) !== 'String') {
        throw new ParseError(
          ParseErrorCode.INVALID_QUERY,
          `A text index needs a String field; ${field} is not one`,
        );
      }
      return `USING gin (${textVector(ident(field), undefined, false)})`;
    }
    const [first] = entries;
    if (
      entries.length === 1 &&
      first &&
      typeOf(first[0]) === 'Array' &&
      (first[1] === 1 || first[1] === -1)
    ) {
      const contents = (definitionOf(first[0]) as { contents?: { type?: string } } | undefined)?.contents;
      // Arrays of strings are text[] (GIN's default array ops); others jsonb (containment only).
      return contents?.type === 'String'
        ? `USING gin (${ident(first[0])})`
        : `USING gin (${ident(first[0])} jsonb_path_ops)`;
    }
    const columns = entries.map(([field, direction]) => {
      if (direction !== 1 && direction !== -1) {
        throw new ParseError(
          ParseErrorCode.INVALID_QUERY,
          `Index type ${String(direction)} is not supported yet by storage-postgres`,
        );
      }
      return `${ident(field)} ${direction === -1 ? 'DESC' : 'ASC'}`;
    });
    return `(${columns.join(', ')})`;
  }

  /**
   * The GiST index `$nearSphere` and `$centerSphere` use, made with every GeoPoint column (as
   * parse-server on MongoDB indexes GeoPoint fields for its geo queries). Skipped when the
   * extensions are missing: the queries then fail with the reason.
   */
  async #createEarthIndex(on: Queryable, className: string, fieldName: string): Promise<void> {
    if (!this.geo().available) return;
    await on.query(
      `CREATE INDEX IF NOT EXISTS ${ident(earthIndexName(className, fieldName))} ON ${this.names.table(className)} USING gist ${earthIndexExpression(ident(fieldName))}`,
    );
  }

  async #createJoinTable(on: Queryable, className: string, field: string): Promise<void> {
    await on.query(
      `CREATE TABLE IF NOT EXISTS ${this.names.joinTable(className, field)} ${JOIN_TABLE_COLUMNS}`,
    );
  }
}

/** `<class>_<field>_earth`, shortened with a hash to PostgreSQL's 63-byte names when needed. */
export function earthIndexName(className: string, fieldName: string): string {
  const name = `${className}_${fieldName}_earth`;
  if (Buffer.byteLength(name) <= 63) return name;
  const hash = createHash('sha1').update(name).digest('hex').slice(0, 10);
  return `${name.slice(0, 40)}_${hash}_earth`;
}

function relationFields(schema: ClassSchema | undefined): string[] {
  return Object.entries(schema?.fields ?? {})
    .filter(([, field]: [string, FieldDefinition]) => field.type === 'Relation')
    .map(([name]) => name);
}
