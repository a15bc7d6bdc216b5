import { PGlite } from '@electric-sql/pglite';
import type {
  AddFieldRequest,
  ClassLevelPermissions,
  ClassSchema,
  IndexChange,
  SchemaChange,
  StorageAdapter,
  StorageCapabilities,
  StorageObjects,
} from '@openparse/core';
import pg from 'pg';
import { type Database, pgliteDatabase, poolDatabase } from './database.js';
import { translateError } from './errors.js';
import { ObjectStore } from './object-store.js';
import { SchemaStore } from './schema-store.js';
import { ident } from './sql.js';

/** Options of {@link PostgresStorageAdapter}: a URL, a ready pool, or PGlite. */
export type PostgresStorageAdapterOptions = (
  | {
      /** A `postgres://` connection string. */
      readonly uri: string;
      /** Connections in the pool. @default 10 */
      readonly poolSize?: number;
    }
  | { readonly client: pg.Pool }
  | {
      /** An open PGlite instance, or where to keep the embedded database (in memory when no dataDir). */
      readonly pglite: PGlite | { readonly dataDir?: string };
    }
) & {
  /**
   * A PostgreSQL schema (namespace) to keep every table in, created when missing; lets
   * several apps or test runs share a database. @default the connection's search_path
   */
  readonly databaseSchema?: string;
};

const NOTIFY_CHANNEL = 'openparse_schema';

function validate(options: PostgresStorageAdapterOptions): void {
  if (typeof options !== 'object' || options === null) {
    throw new TypeError('[storage-postgres] options must be an object with uri, client or pglite');
  }
  const given = ['uri', 'client', 'pglite'].filter((key) => key in options);
  if (given.length !== 1) {
    throw new TypeError(
      `[storage-postgres] give exactly one of uri, client or pglite (got ${given.join(', ') || 'none'})`,
    );
  }
  if ('uri' in options && !/^postgres(ql)?:\/\//.test(options.uri)) {
    throw new TypeError(
      `[storage-postgres] uri must start with postgres:// or postgresql://, got '${options.uri}'`,
    );
  }
  if (
    'poolSize' in options &&
    options.poolSize !== undefined &&
    (!Number.isInteger(options.poolSize) || options.poolSize < 1)
  ) {
    throw new RangeError('[storage-postgres] poolSize must be a positive integer');
  }
  if (options.databaseSchema !== undefined && !/^[A-Za-z_][A-Za-z0-9_]{0,62}$/.test(options.databaseSchema)) {
    throw new TypeError(
      `[storage-postgres] databaseSchema must be a plain identifier, got '${options.databaseSchema}'`,
    );
  }
}

/**
 * Parse data in PostgreSQL (or embedded PGlite), in parse-server 9's table layout: a database
 * written by parse-server is read and written in place and stays readable by it.
 *
 * @example
 * new PostgresStorageAdapter({ uri: 'postgres://localhost/app' });
 * new PostgresStorageAdapter({ pglite: { dataDir: './.openparse/db' } });
 */
export class PostgresStorageAdapter implements StorageAdapter {
  readonly capabilities: StorageCapabilities;
  readonly #options: PostgresStorageAdapterOptions;
  #db: Database | undefined;
  #schemas = new Map<string, ClassSchema>();
  #store: SchemaStore | undefined;
  #objects: ObjectStore | undefined;
  readonly #listeners = new Set<(change: SchemaChange) => void>();
  #unlisten: (() => Promise<void>) | undefined;

  constructor(options: PostgresStorageAdapterOptions) {
    validate(options);
    this.#options = options;
    this.capabilities = {
      transactions: true,
      subqueries: true,
      crossProcessSchemaNotifications: !('pglite' in options),
    };
  }

  async connect(): Promise<void> {
    if (this.#db) return;
    const db = await this.#open();
    this.#db = db;
    try {
      this.#store = new SchemaStore(db);
      await this.#store.initialize();
      this.#objects = new ObjectStore(db, (className) => this.#schemas.get(className));
      await this.#reloadSchemas();
      if (db.listen) {
        this.#unlisten = await db.listen(this.#channel(), (payload) => {
          void this.#reloadSchemas().then(() => this.#emit(payload ? { className: payload } : {}));
        });
      }
    } catch (error) {
      this.#db = undefined;
      await db.close();
      throw translateError(error);
    }
  }

  async close(): Promise<void> {
    const db = this.#db;
    this.#db = undefined;
    await this.#unlisten?.();
    this.#unlisten = undefined;
    await db?.close();
  }

  async #open(): Promise<Database> {
    const options = this.#options;
    const schema = options.databaseSchema;
    if ('pglite' in options) {
      const given = options.pglite;
      const instance = given instanceof PGlite ? given : await PGlite.create(given.dataDir);
      if (schema) {
        await instance.query(`CREATE SCHEMA IF NOT EXISTS ${ident(schema)}`);
        await instance.query(`SET search_path TO ${ident(schema)}`);
      }
      return pgliteDatabase(instance, !(given instanceof PGlite));
    }
    if ('client' in options) {
      if (schema) throw new TypeError('[storage-postgres] databaseSchema needs uri, not client');
      return poolDatabase(options.client, false);
    }
    if (schema) {
      const setup = new pg.Client({ connectionString: options.uri });
      await setup.connect();
      try {
        await setup.query(`CREATE SCHEMA IF NOT EXISTS ${ident(schema)}`);
      } finally {
        await setup.end();
      }
    }
    const pool = new pg.Pool({
      connectionString: options.uri,
      max: options.poolSize ?? 10,
      ...(schema ? { options: `-c search_path=${schema}` } : {}),
    });
    return poolDatabase(pool, true);
  }

  #channel(): string {
    return this.#options.databaseSchema
      ? `${NOTIFY_CHANNEL}_${this.#options.databaseSchema}`
      : NOTIFY_CHANNEL;
  }

  get #ready(): { db: Database; store: SchemaStore; objects: ObjectStore } {
    if (!this.#db || !this.#store || !this.#objects)
      throw new Error('[storage-postgres] connect() was not called');
    return { db: this.#db, store: this.#store, objects: this.#objects };
  }

  async #reloadSchemas(): Promise<void> {
    const classes = await this.#ready.store.all();
    this.#schemas = new Map(classes.map((schema) => [schema.className, schema]));
  }

  #emit(change: SchemaChange): void {
    for (const listener of this.#listeners) listener(change);
  }

  /** Refreshes this process's schema copy, tells listeners here, and other processes via NOTIFY. */
  async #changed(className: string): Promise<void> {
    await this.#reloadSchemas();
    this.#emit({ className });
    if (this.#db?.listen) await this.#db.query('SELECT pg_notify($1, $2)', [this.#channel(), className]);
  }

  async #schemaOp<T>(className: string, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      throw translateError(error);
    } finally {
      await this.#changed(className);
    }
  }

  onSchemaChange(listener: (change: SchemaChange) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  async getAllClasses(): Promise<ClassSchema[]> {
    await this.#reloadSchemas();
    return [...this.#schemas.values()];
  }

  async getClass(className: string): Promise<ClassSchema | undefined> {
    await this.#reloadSchemas();
    return this.#schemas.get(className);
  }

  createClass(schema: ClassSchema): Promise<ClassSchema> {
    return this.#schemaOp(schema.className, () => this.#ready.store.create(schema));
  }

  deleteClass(className: string): Promise<void> {
    const relations = relationFields(this.#schemas.get(className));
    return this.#schemaOp(className, () => this.#ready.store.drop(className, relations));
  }

  addField(request: AddFieldRequest): Promise<void> {
    return this.#schemaOp(request.className, () => this.#ready.store.addField(request));
  }

  deleteFields(className: string, fieldNames: readonly string[]): Promise<void> {
    const relations = relationFields(this.#schemas.get(className));
    return this.#schemaOp(className, () => this.#ready.store.deleteFields(className, fieldNames, relations));
  }

  setClassLevelPermissions(className: string, permissions: ClassLevelPermissions): Promise<void> {
    return this.#schemaOp(className, () =>
      this.#ready.store.setClassLevelPermissions(className, permissions),
    );
  }

  updateIndexes(change: IndexChange): Promise<void> {
    return this.#schemaOp(change.className, () => this.#ready.store.updateIndexes(change));
  }

  async ensureUniqueness(className: string, fieldNames: readonly string[]): Promise<void> {
    await this.#ready.store.ensureUniqueness(className, fieldNames);
  }

  async purgeClass(className: string): Promise<void> {
    await this.#ready.objects.purge(className);
  }

  async transaction<T>(work: (tx: StorageObjects) => Promise<T>): Promise<T> {
    const { db } = this.#ready;
    return db.transaction((tx) => work(new ObjectStore(tx, (className) => this.#schemas.get(className))));
  }

  createObject: StorageObjects['createObject'] = (className, object) =>
    this.#ready.objects.createObject(className, object);
  updateObjects: StorageObjects['updateObjects'] = (request) => this.#ready.objects.updateObjects(request);
  findOneAndUpdate: StorageObjects['findOneAndUpdate'] = (request) =>
    this.#ready.objects.findOneAndUpdate(request);
  upsertObject: StorageObjects['upsertObject'] = (request) => this.#ready.objects.upsertObject(request);
  deleteObjects: StorageObjects['deleteObjects'] = (request) => this.#ready.objects.deleteObjects(request);
  find: StorageObjects['find'] = (query) => this.#ready.objects.find(query);
  count: StorageObjects['count'] = (query) => this.#ready.objects.count(query);
  distinct: StorageObjects['distinct'] = (request) => this.#ready.objects.distinct(request);
  addRelations: StorageObjects['addRelations'] = (change) => this.#ready.objects.addRelations(change);
  removeRelations: StorageObjects['removeRelations'] = (change) =>
    this.#ready.objects.removeRelations(change);
}

function relationFields(schema: ClassSchema | undefined): string[] {
  return Object.entries(schema?.fields ?? {})
    .filter(([, field]) => field.type === 'Relation')
    .map(([name]) => name);
}
