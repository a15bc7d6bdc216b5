import type { StorageAdapter } from '../contracts/storage-adapter.js';
import { ParseError, ParseErrorCode } from '../errors.js';
import { describeFieldType, fieldTypesMatch } from './field-types.js';
import { assertClassName, assertFieldName, invalidClassNameError } from './names.js';
import { DEFAULT_CLASS_LEVEL_PERMISSIONS, DEFAULT_FIELDS, SYSTEM_CLASS_FIELDS } from './system-classes.js';
import type { ClassLevelPermissions, ClassSchema, FieldDefinition } from './types.js';

/**
 * The schema as this process knows it: every class, read once from storage and kept in
 * memory until storage reports a change. Request paths read it synchronously when warm.
 */
export class SchemaController {
  readonly #storage: StorageAdapter;
  #classes = new Map<string, ClassSchema>();
  #loading: Promise<void> | undefined;
  #stale = true;

  constructor(storage: StorageAdapter) {
    this.#storage = storage;
    storage.onSchemaChange(() => {
      this.#stale = true;
    });
  }

  /** Every class, system classes with their defaults included. */
  async all(): Promise<ClassSchema[]> {
    await this.#ensureLoaded();
    return [...this.#classes.values()];
  }

  /** One class as stored, or the virtual schema of a system class not yet stored, or undefined. */
  async get(className: string): Promise<ClassSchema | undefined> {
    if (this.#stale) await this.#ensureLoaded();
    return this.#classes.get(className) ?? virtualSystemClass(className);
  }

  /**
   * The cached schema of a class without waiting: for lookups during a request after an
   * awaited {@link get} has refreshed the cache.
   */
  peek(className: string): ClassSchema | undefined {
    return this.#classes.get(className) ?? virtualSystemClass(className);
  }

  /** True while the in-memory copy is current: {@link peek} and {@link has} answer as get and exists would. */
  get warm(): boolean {
    return !this.#stale;
  }

  /** Whether the class is stored, from the in-memory copy (see {@link warm}). */
  has(className: string): boolean {
    return this.#classes.has(className);
  }

  /** True when the class exists in storage. */
  async exists(className: string): Promise<boolean> {
    if (this.#stale) await this.#ensureLoaded();
    return this.#classes.has(className);
  }

  /** Drops the in-memory copy; the next read reloads. */
  invalidate(): void {
    this.#stale = true;
  }

  /**
   * Makes sure `className` exists with `fields` (adding the missing ones), as an object
   * write needs. Runs DDL outside any request transaction.
   * @throws {ParseError} INCORRECT_TYPE when a field exists with another type.
   * @throws {ParseError} OPERATION_FORBIDDEN when the class is missing and `allowCreate` is false.
   */
  async ensureFields(
    className: string,
    fields: Readonly<Record<string, FieldDefinition>>,
    options: { allowCreateClass: boolean; allowAddField: boolean },
  ): Promise<ClassSchema> {
    let schema = await this.get(className);
    if (!schema || !(await this.exists(className))) {
      if (!schema && !options.allowCreateClass) {
        throw new ParseError(
          ParseErrorCode.OPERATION_FORBIDDEN,
          `This user is not allowed to access non-existent class: ${className}`,
        );
      }
      assertClassName(className);
      schema = await this.#createOrReuse({
        className,
        fields: { ...DEFAULT_FIELDS, ...SYSTEM_CLASS_FIELDS[className] },
        classLevelPermissions: DEFAULT_CLASS_LEVEL_PERMISSIONS,
      });
    }
    const missing: [string, FieldDefinition][] = [];
    for (const [fieldName, field] of Object.entries(fields)) {
      const existing = schema.fields[fieldName];
      if (existing) {
        if (!fieldTypesMatch(existing, field)) {
          throw new ParseError(
            ParseErrorCode.INCORRECT_TYPE,
            `schema mismatch for ${className}.${fieldName}; expected ${describeFieldType(existing)} but got ${describeFieldType(field)}`,
          );
        }
      } else {
        missing.push([fieldName, field]);
      }
    }
    if (missing.length === 0) return schema;
    if (!options.allowAddField) {
      throw new ParseError(
        ParseErrorCode.OPERATION_FORBIDDEN,
        `Permission denied for action addField on class ${className}.`,
      );
    }
    for (const [fieldName, field] of missing) {
      assertFieldName(fieldName);
      await this.#storage.addField({ className, fieldName, field });
    }
    await this.#reload();
    const updated = this.#classes.get(className);
    if (!updated) throw new ParseError(ParseErrorCode.INTERNAL_SERVER_ERROR, `class ${className} vanished`);
    for (const [fieldName, field] of missing) {
      const stored = updated.fields[fieldName];
      if (stored && !fieldTypesMatch(stored, field)) {
        throw new ParseError(
          ParseErrorCode.INCORRECT_TYPE,
          `schema mismatch for ${className}.${fieldName}; expected ${describeFieldType(stored)} but got ${describeFieldType(field)}`,
        );
      }
    }
    return updated;
  }

  /**
   * Creates a class from `/schemas`.
   * @throws {ParseError} INVALID_CLASS_NAME when it exists already.
   */
  async createClass(schema: ClassSchema): Promise<ClassSchema> {
    if (await this.exists(schema.className)) {
      throw new ParseError(ParseErrorCode.INVALID_CLASS_NAME, `Class ${schema.className} already exists.`);
    }
    const created = await this.#storage.createClass({
      ...schema,
      fields: { ...DEFAULT_FIELDS, ...SYSTEM_CLASS_FIELDS[schema.className], ...schema.fields },
    });
    await this.#reload();
    return (await this.get(schema.className)) ?? created;
  }

  /** Adds and deletes fields and replaces CLP / indexes of an existing class. */
  async updateClass(
    className: string,
    change: {
      add: Readonly<Record<string, FieldDefinition>>;
      remove: readonly string[];
      classLevelPermissions?: ClassLevelPermissions;
      indexes?: { create: Record<string, Record<string, number | string>>; drop: string[] };
    },
  ): Promise<ClassSchema> {
    if (change.remove.length > 0) await this.#storage.deleteFields(className, change.remove);
    for (const [fieldName, field] of Object.entries(change.add)) {
      await this.#storage.addField({ className, fieldName, field });
    }
    if (change.classLevelPermissions) {
      await this.#storage.setClassLevelPermissions(className, change.classLevelPermissions);
    }
    if (change.indexes && (Object.keys(change.indexes.create).length > 0 || change.indexes.drop.length > 0)) {
      await this.#storage.updateIndexes({
        className,
        create: change.indexes.create,
        drop: change.indexes.drop,
      });
    }
    await this.#reload();
    const updated = await this.get(className);
    if (!updated) throw invalidClassNameError(className);
    return updated;
  }

  /** Drops a class from storage. */
  async deleteClass(className: string): Promise<void> {
    await this.#storage.deleteClass(className);
    await this.#reload();
  }

  async #createOrReuse(schema: ClassSchema): Promise<ClassSchema> {
    try {
      await this.#storage.createClass(schema);
    } catch (error) {
      // Another request or process created it first: use theirs.
      if (!(error instanceof ParseError && error.code === ParseErrorCode.INVALID_CLASS_NAME)) throw error;
    }
    for (const fields of UNIQUE_FIELDS[schema.className] ?? []) {
      await this.#storage.ensureUniqueness(schema.className, fields);
    }
    await this.#reload();
    const created = this.#classes.get(schema.className);
    if (!created)
      throw new ParseError(ParseErrorCode.INTERNAL_SERVER_ERROR, `class ${schema.className} vanished`);
    return created;
  }

  async #reload(): Promise<void> {
    // A load already in flight may have read before our change: let it finish, then read again.
    if (this.#loading) await this.#loading.catch(() => undefined);
    this.#stale = true;
    await this.#ensureLoaded();
  }

  #ensureLoaded(): Promise<void> {
    if (!this.#stale) return Promise.resolve();
    this.#loading ??= (async () => {
      try {
        this.#stale = false;
        const classes = await this.#storage.getAllClasses();
        this.#classes = new Map(classes.map((schema) => [schema.className, withClosedDefaults(schema)]));
      } catch (error) {
        this.#stale = true;
        throw error;
      } finally {
        this.#loading = undefined;
      }
    })();
    return this.#loading;
  }
}

/** Unique indexes system classes get when they are created, as parse-server makes them. */
const UNIQUE_FIELDS: Readonly<Record<string, readonly (readonly string[])[]>> = {
  _User: [['username'], ['email']],
  _Role: [['name']],
};

/** Operations a stored CLP leaves out are closed to clients, as parse-server reads them. */
const CLOSED_OPERATIONS = {
  find: {},
  get: {},
  count: {},
  create: {},
  update: {},
  delete: {},
  addField: {},
  protectedFields: {},
} as const;

function withClosedDefaults(schema: ClassSchema): ClassSchema {
  return { ...schema, classLevelPermissions: { ...CLOSED_OPERATIONS, ...schema.classLevelPermissions } };
}

function virtualSystemClass(className: string): ClassSchema | undefined {
  const fields = SYSTEM_CLASS_FIELDS[className];
  if (!fields) return undefined;
  return {
    className,
    fields: { ...DEFAULT_FIELDS, ...fields },
    classLevelPermissions: DEFAULT_CLASS_LEVEL_PERMISSIONS,
  };
}
