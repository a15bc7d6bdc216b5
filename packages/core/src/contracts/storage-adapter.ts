import type { AggregateStage } from '../query/pipeline-types.js';
import type { Condition, ParseQuery } from '../query/types.js';
import type {
  ClassLevelPermissions,
  ClassSchema,
  FieldDefinition,
  IndexDefinition,
} from '../schema/types.js';
import type { FieldRef, JsonValue, StorageObject, StorageValue } from './values.js';

/**
 * One change to one field in an update. Field names may be dot paths (`a.b`) into an
 * `Object` field for `set`, `unset` and `increment`.
 */
export type FieldUpdate =
  | { readonly op: 'set'; readonly value: StorageValue }
  | { readonly op: 'unset' }
  | { readonly op: 'increment'; readonly amount: number }
  /** Append to an array (creating it when missing). */
  | { readonly op: 'add'; readonly items: readonly StorageValue[] }
  /** Append the items not already present (JSON equality). */
  | { readonly op: 'addUnique'; readonly items: readonly StorageValue[] }
  /** Remove every occurrence of each item (JSON equality). */
  | { readonly op: 'remove'; readonly items: readonly StorageValue[] };

/** Changes to apply to matched objects: field name (or dot path) → change. */
export type ObjectUpdate = Readonly<Record<string, FieldUpdate>>;

/** A write that targets the objects matching `where` in `className`. */
export interface WriteByQuery {
  readonly className: string;
  /** Validated condition, ACL condition included. */
  readonly where: Condition;
}

/** An update of the objects matching a condition. */
export interface UpdateRequest extends WriteByQuery {
  readonly update: ObjectUpdate;
}

/** A relation edit: objects `relatedIds` added to / removed from `owningId`'s relation `field`. */
export interface RelationChange {
  readonly className: string;
  readonly field: string;
  readonly targetClass: string;
  readonly owningId: string;
  readonly relatedIds: readonly string[];
}

/** A field added to a class. */
export interface AddFieldRequest {
  readonly className: string;
  readonly fieldName: string;
  readonly field: FieldDefinition;
}

/** Index changes on one class. */
export interface IndexChange {
  readonly className: string;
  readonly create?: Readonly<Record<string, IndexDefinition>>;
  readonly drop?: readonly string[];
}

/** Distinct values of one field among the matched objects. */
export interface DistinctRequest {
  readonly query: ParseQuery;
  readonly field: FieldRef;
}

/**
 * An aggregation pipeline on one class, validated by core (see {@link AggregateStage} for what
 * each stage must do). The first stage reads the class's objects as documents in Parse JSON:
 * every stored field, `objectId`, `createdAt` / `updatedAt` and other dates as
 * `{__type: 'Date', iso}`, pointers as `{__type: 'Pointer', className, objectId}`, files as
 * `{__type: 'File', name}`, `_rperm` / `_wperm` as arrays; never internal fields.
 */
export interface AggregateRequest {
  readonly className: string;
  readonly pipeline: readonly AggregateStage[];
}

/** Why the schema cache must be dropped: one class changed, or (no class) all of them. */
export interface SchemaChange {
  readonly className?: string;
}

/**
 * The object and read half of storage: what a transaction can do too.
 *
 * Every method receives input validated and normalised by core; adapters translate, they
 * never re-validate. A unique-index violation must reject with
 * `ParseError(DUPLICATE_VALUE)`; a missing class reads as no objects (never an error).
 */
export interface StorageObjects {
  /**
   * Insert one object. `objectId`, `createdAt` and `updatedAt` are set by core.
   * @throws {ParseError} DUPLICATE_VALUE when the objectId or a unique field is taken.
   */
  createObject(className: string, object: StorageObject): Promise<void>;
  /**
   * Insert several objects of one class in one step, all or none (core retries them one by
   * one when this rejects). Optional: core uses it for the creates of a `/batch`.
   * @throws {ParseError} DUPLICATE_VALUE when an objectId or a unique field is taken.
   */
  createObjects?(className: string, objects: readonly StorageObject[]): Promise<void>;
  /** Apply `update` to every matched object; resolves to how many matched. */
  updateObjects(request: UpdateRequest): Promise<number>;
  /** Apply `update` to the first matched object and return it as it is after the update. */
  findOneAndUpdate(request: UpdateRequest): Promise<StorageObject | undefined>;
  /** Update the first matched object, or insert one built from the `set` fields and the `eq` conditions. */
  upsertObject(request: UpdateRequest): Promise<void>;
  /** Delete every matched object; resolves to how many were deleted. */
  deleteObjects(request: WriteByQuery): Promise<number>;
  /** Run a read. Objects come back with every stored column, or `keys` plus the system fields. */
  find(query: ParseQuery): Promise<StorageObject[]>;
  /**
   * The database's plan for `find(query)`, in its own JSON (REST `explain`). Optional; without
   * it core answers `explain` with 102.
   */
  explain?(query: ParseQuery): Promise<JsonValue[]>;
  /**
   * `find` and `count` of one query in one step (REST `count=1` with results). Optional; core
   * runs `find` and `count` side by side without it.
   */
  findWithCount?(query: ParseQuery): Promise<{ objects: StorageObject[]; count: number }>;
  /** Count matched objects, ignoring `limit`, `skip` and `sort`. */
  count(query: ParseQuery): Promise<number>;
  /** Distinct values of a field among the matched objects. */
  distinct(request: DistinctRequest): Promise<StorageValue[]>;
  /**
   * Run an aggregation pipeline. Requires `capabilities.aggregate`. Resolves to the output
   * documents in order, in Parse JSON (see {@link AggregateRequest}); the group key and the
   * object id are named `objectId`. A missing class reads as no documents.
   */
  aggregate?(request: AggregateRequest): Promise<Record<string, unknown>[]>;
  /** Add related objects to a relation (idempotent). */
  addRelations(change: RelationChange): Promise<void>;
  /** Remove related objects from a relation (missing ones are ignored). */
  removeRelations(change: RelationChange): Promise<void>;
}

/** What a storage adapter can do beyond the required methods. */
export interface StorageCapabilities {
  /** `transaction()` runs callbacks atomically. @default false */
  readonly transactions?: boolean;
  /** `aggregate()` is implemented. @default false */
  readonly aggregate?: boolean;
  /** `onSchemaChange()` reports changes made by other processes too. @default false */
  readonly crossProcessSchemaNotifications?: boolean;
  /** `inQuery`, `select` and `relatedTo` run inside the database. @default false */
  readonly subqueries?: boolean;
  /** Full-text `text` conditions and `$score` sorting. @default false */
  readonly fullText?: boolean;
  /** Geo conditions (`nearSphere`, `withinBox`…). @default false */
  readonly geo?: boolean;
  /** `find` resolves `ParseQuery.include` in the same read. @default false */
  readonly include?: boolean;
}

/**
 * Where Parse data lives: the schema (`_SCHEMA`), objects, relations and indexes.
 *
 * Implementations: `@openparse/storage-postgres` (PostgreSQL and PGlite),
 * `@openparse/storage-mongo`. Prove yours with `runStorageAdapterSuite` from
 * `@openparse/conformance`.
 *
 * Schema methods are idempotent where parse-server's are: creating a field that exists
 * with the same type, or a class that another process just created, succeeds.
 */
export interface StorageAdapter extends StorageObjects {
  readonly capabilities: StorageCapabilities;
  /** Connect and create the metadata tables if needed. Called once by core before any other method. */
  connect(): Promise<void>;
  /** Release connections. No method is called after. */
  close(): Promise<void>;

  /** Every class in `_SCHEMA`. */
  getAllClasses(): Promise<ClassSchema[]>;
  /** One class, or `undefined`. */
  getClass(className: string): Promise<ClassSchema | undefined>;
  /**
   * Create a class with its fields (core has added `objectId`, `createdAt`, `updatedAt`, `ACL`).
   * @throws {ParseError} INVALID_CLASS_NAME when it already exists.
   */
  createClass(schema: ClassSchema): Promise<ClassSchema>;
  /** Drop a class, its objects and its relation tables. Missing classes are ignored. */
  deleteClass(className: string): Promise<void>;
  /** Add a field (a column, or a relation table for `Relation`). Idempotent. */
  addField(request: AddFieldRequest): Promise<void>;
  /** Delete fields and their data. */
  deleteFields(className: string, fieldNames: readonly string[]): Promise<void>;
  /** Replace the class-level permissions. */
  setClassLevelPermissions(className: string, permissions: ClassLevelPermissions): Promise<void>;
  /** Create and drop indexes; the schema's `indexes` reflects the result. */
  updateIndexes(change: IndexChange): Promise<void>;
  /**
   * Make a field combination unique (an index). Idempotent.
   * @throws {ParseError} DUPLICATE_VALUE when existing objects already violate it.
   */
  ensureUniqueness(className: string, fieldNames: readonly string[]): Promise<void>;
  /** Delete every object of a class, keeping its schema. */
  purgeClass(className: string): Promise<void>;

  /**
   * Names of every `_Role` the user holds: roles whose `users` relation holds `userId`, then,
   * transitively, roles whose `roles` relation holds one of those (a member of a child role
   * has the parent's access). Cycles must terminate; a missing `_Role` class means no roles.
   * One round trip where the backend allows it (a recursive query).
   */
  roleNamesOf(userId: string): Promise<string[]>;

  /**
   * Run `work` in one transaction: everything it writes commits together or not at all.
   * Schema changes must not be made inside; core makes them before opening it.
   * Without `capabilities.transactions`, core refuses transactional batches.
   */
  transaction<T>(work: (tx: StorageObjects) => Promise<T>): Promise<T>;

  /**
   * Subscribe to schema changes, so caches are invalidated. Called for changes made through
   * this adapter, and from other processes when `capabilities.crossProcessSchemaNotifications`.
   * Returns the unsubscribe function.
   */
  onSchemaChange(listener: (change: SchemaChange) => void): () => void;
}
