import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
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
import type { CompileContext } from './condition-compiler.js';
import { type Database, openDatabase } from './database.js';
import { sharedDatabases } from './shared-database.js';
import { pgCode, translateError } from './errors.js';
import { enableGeo, type GeoSupport } from './geo-support.js';
import { ObjectStore } from './object-store.js';
import { StatementCache } from './statement-cache.js';
import { type PostgresStorageAdapterOptions, validateOptions } from './options.js';
import { SchemaStore } from './schema-store.js';
import { TableNames } from './sql.js';
import { TableStatistics } from './statistics.js';

export type { PostgresStorageAdapterOptions } from './options.js';

/** parse-server's schema-change channel, so mixed fleets invalidate each other's caches. */
const NOTIFY_CHANNEL = 'schema.change';

interface Connected {
  readonly db: Database;
  readonly store: SchemaStore;
  readonly objects: ObjectStore;
  readonly statistics: TableStatistics | undefined;
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
  readonly #names: TableNames;
  readonly #senderId = randomUUID();
  readonly #inTransaction = new AsyncLocalStorage<true>();
  /** Transactions open now; with none, {@link #inTransaction} is disabled (see `transaction`). */
  #openTransactions = 0;
  readonly #listeners = new Set<(change: SchemaChange) => void>();
  readonly #context: CompileContext;
  /** The statements of common reads, shared by the pool's store and every transaction's. */
  readonly #statements = new StatementCache();
  #schemas = new Map<string, ClassSchema>();
  #geo: GeoSupport = { available: false, reason: 'connect() was not called' };
  #connected: Connected | undefined;
  #unlisten: (() => Promise<void>) | undefined;

  constructor(options: PostgresStorageAdapterOptions) {
    validateOptions(options);
    this.#options = options;
    sharedDatabases.set(this, {
      database: () => this.#connected?.db,
      databaseSchema: options.databaseSchema,
    });
    this.#names = new TableNames(options.databaseSchema);
    this.#context = {
      names: this.#names,
      schemaOf: (className) => this.#schemas.get(className),
      geo: () => this.#geo,
    };
    this.capabilities = {
      transactions: true,
      subqueries: true,
      crossProcessSchemaNotifications: !('pglite' in options),
      aggregate: true,
      fullText: true,
      geo: true,
      include: true,
    };
  }

  async connect(): Promise<void> {
    if (this.#connected) return;
    const db = await this.#open();
    try {
      const store = new SchemaStore(db, this.#names, () => this.#geo);
      await store.initialize();
      this.#geo = await enableGeo(db);
      // PGlite runs no autovacuum: the adapter keeps its tables analyzed itself.
      const statistics =
        'pglite' in this.#options
          ? new TableStatistics(db, (className) => this.#names.table(className))
          : undefined;
      this.#connected = {
        db,
        store,
        statistics,
        objects: new ObjectStore(db, this.#context, statistics, this.#statements),
      };
      await this.#reloadAll();
      await this.#listen();
    } catch (error) {
      this.#connected = undefined;
      await db.close();
      throw translateError(error);
    }
  }

  async close(): Promise<void> {
    const connected = this.#connected;
    this.#connected = undefined;
    const unlisten = this.#unlisten;
    this.#unlisten = undefined;
    await unlisten?.();
    await connected?.statistics?.settled();
    await connected?.db.close();
  }

  async #open(): Promise<Database> {
    return openDatabase(this.#options);
  }

  #channel(): string {
    const schema = this.#options.databaseSchema;
    return schema ? `${NOTIFY_CHANNEL}:${schema}` : NOTIFY_CHANNEL;
  }

  async #listen(): Promise<void> {
    const db = this.#connected?.db;
    if (!db?.listen) return;
    this.#unlisten = await db.listen(
      this.#channel(),
      (payload) => void this.#onNotification(payload),
      () => {
        // The LISTEN connection died: changes may have been missed, so drop every cached class.
        this.#unlisten = undefined;
        void this.#reloadAll()
          .then(() => this.#emit({}))
          .then(() => (this.#connected ? this.#listen() : undefined))
          .catch(() => this.#emit({}));
      },
    );
  }

  async #onNotification(payload: string): Promise<void> {
    let message: { senderId?: unknown; className?: unknown } = {};
    try {
      message = JSON.parse(payload) as typeof message;
    } catch {
      // Not one of ours or parse-server's: treat it as "something changed".
    }
    if (message.senderId === this.#senderId || !this.#connected) return;
    const className = typeof message.className === 'string' ? message.className : undefined;
    if (className) await this.#reloadOne(className);
    else await this.#reloadAll();
    this.#emit(className ? { className } : {});
  }

  get #ready(): Connected {
    if (!this.#connected) throw new Error('[storage-postgres] connect() was not called, or close() was');
    return this.#connected;
  }

  async #reloadAll(): Promise<void> {
    const classes = await this.#ready.store.all();
    this.#schemas = new Map(classes.map((schema) => [schema.className, schema]));
  }

  async #reloadOne(className: string): Promise<void> {
    const schema = await this.#ready.store.one(className);
    if (schema) this.#schemas.set(className, schema);
    else this.#schemas.delete(className);
  }

  #emit(change: SchemaChange): void {
    this.#connected?.db.statementsChanged?.();
    for (const listener of this.#listeners) listener(change);
  }

  /** Runs a schema change on the pool, then refreshes the cache, tells listeners and other processes. */
  async #schemaOp<T>(className: string, work: (store: SchemaStore) => Promise<T>): Promise<T> {
    if (this.#inTransaction.getStore()) {
      throw new TypeError(
        '[storage-postgres] schema changes cannot run inside transaction(): make them before opening it',
      );
    }
    const { db, store } = this.#ready;
    try {
      return await work(store);
    } catch (error) {
      throw translateError(error);
    } finally {
      await this.#reloadOne(className);
      this.#emit({ className });
      if (db.listen) {
        const payload = JSON.stringify({ senderId: this.#senderId, className });
        await db.query('SELECT pg_notify($1, $2)', [this.#channel(), payload]);
      }
    }
  }

  onSchemaChange(listener: (change: SchemaChange) => void): () => void {
    const wrapped = (change: SchemaChange) => listener(change);
    this.#listeners.add(wrapped);
    return () => {
      this.#listeners.delete(wrapped);
    };
  }

  async getAllClasses(): Promise<ClassSchema[]> {
    await this.#reloadAll();
    return [...this.#schemas.values()];
  }

  async getClass(className: string): Promise<ClassSchema | undefined> {
    const cached = this.#schemas.get(className);
    if (cached) return cached;
    await this.#reloadOne(className);
    return this.#schemas.get(className);
  }

  createClass(schema: ClassSchema): Promise<ClassSchema> {
    return this.#schemaOp(schema.className, (store) => store.create(schema));
  }

  deleteClass(className: string): Promise<void> {
    return this.#schemaOp(className, (store) => store.drop(className));
  }

  addField(request: AddFieldRequest): Promise<void> {
    return this.#schemaOp(request.className, (store) => store.addField(request));
  }

  deleteFields(className: string, fieldNames: readonly string[]): Promise<void> {
    return this.#schemaOp(className, (store) => store.deleteFields(className, fieldNames));
  }

  setClassLevelPermissions(className: string, permissions: ClassLevelPermissions): Promise<void> {
    return this.#schemaOp(className, (store) => store.setClassLevelPermissions(className, permissions));
  }

  updateIndexes(change: IndexChange): Promise<void> {
    return this.#schemaOp(change.className, (store) => store.updateIndexes(change));
  }

  async ensureUniqueness(className: string, fieldNames: readonly string[]): Promise<void> {
    await this.#ready.store.ensureUniqueness(className, fieldNames);
  }

  async purgeClass(className: string): Promise<void> {
    await this.#ready.objects.purge(className);
  }

  async transaction<T>(work: (tx: StorageObjects) => Promise<T>): Promise<T> {
    const { db } = this.#ready;
    this.#openTransactions++;
    try {
      return await db.transaction((tx) =>
        this.#inTransaction.run(true, () =>
          work(new ObjectStore(tx, this.#context, this.#connected?.statistics, this.#statements)),
        ),
      );
    } catch (error) {
      // The work's own errors pass through; only the driver's (BEGIN, COMMIT…) are translated.
      throw pgCode(error) === undefined ? error : translateError(error);
    } finally {
      // An AsyncLocalStorage in use hooks every promise of the process: keep it on only while
      // a transaction is open (the guard in #schemaOp needs it only then).
      if (--this.#openTransactions === 0) this.#inTransaction.disable();
    }
  }

  createObject: StorageObjects['createObject'] = (className, object) =>
    this.#ready.objects.createObject(className, object);
  createObjects: NonNullable<StorageObjects['createObjects']> = (className, objects) =>
    this.#ready.objects.createObjects(className, objects);
  updateObjects: StorageObjects['updateObjects'] = (request) => this.#ready.objects.updateObjects(request);
  findOneAndUpdate: StorageObjects['findOneAndUpdate'] = (request) =>
    this.#ready.objects.findOneAndUpdate(request);
  upsertObject: StorageObjects['upsertObject'] = (request) => this.#ready.objects.upsertObject(request);
  deleteObjects: StorageObjects['deleteObjects'] = (request) => this.#ready.objects.deleteObjects(request);
  find: StorageObjects['find'] = (query) => this.#ready.objects.find(query);
  explain: NonNullable<StorageObjects['explain']> = (query) => this.#ready.objects.explain(query);
  findWithCount: NonNullable<StorageObjects['findWithCount']> = (query) =>
    this.#ready.objects.findWithCount(query);
  count: StorageObjects['count'] = (query) => this.#ready.objects.count(query);
  distinct: StorageObjects['distinct'] = (request) => this.#ready.objects.distinct(request);
  aggregate: NonNullable<StorageObjects['aggregate']> = (request) => this.#ready.objects.aggregate(request);
  addRelations: StorageObjects['addRelations'] = (change) => this.#ready.objects.addRelations(change);
  removeRelations: StorageObjects['removeRelations'] = (change) =>
    this.#ready.objects.removeRelations(change);
  async roleNamesOf(userId: string): Promise<string[]> {
    return this.#ready.objects.roleNamesOf(userId);
  }
}
