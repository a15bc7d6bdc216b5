import { remembered } from '../remembered.js';
import type { JsonValue, StorageObject, StorageValue } from '../contracts/values.js';
import type { ClassSchema } from '../schema/types.js';
import { permissionsToAcl } from './acl.js';

/** How stored file names become URLs. */
export type FileUrlBuilder = (name: string) => string;

/** Options of {@link encodeObject}. */
export interface EncodeOptions {
  readonly schema: ClassSchema | undefined;
  readonly fileUrl: FileUrlBuilder;
  /** Fields removed from the answer (protected fields, `excludeKeys`). */
  readonly omit?: ReadonlySet<string> | undefined;
  /** When given, only these top-level fields (plus the system ones) are answered. */
  readonly keys?: ReadonlySet<string> | undefined;
  /** The schema's `Relation` fields, when the caller computed them once for many objects. */
  readonly relations?: readonly RelationField[];
}

/** A `Relation` field of a schema, as answered in every object of its class. */
export interface RelationField {
  readonly field: string;
  readonly value: { readonly __type: 'Relation'; readonly className: string };
}

const ALWAYS_ANSWERED = new Set(['objectId', 'createdAt', 'updatedAt']);
const UNDERSCORE = 95;

/** The relation fields of each schema seen (schemas are replaced, never changed). */
const relationFields = new WeakMap<ClassSchema, readonly RelationField[]>();
const NO_RELATIONS: readonly RelationField[] = Object.freeze([]);

/** The `Relation` fields of `schema`, for {@link EncodeOptions.relations}; computed once per schema. */
export function relationFieldsOf(schema: ClassSchema | undefined): readonly RelationField[] {
  return schema ? remembered(relationFields, schema, findRelationFields) : NO_RELATIONS;
}

function findRelationFields(schema: ClassSchema): readonly RelationField[] {
  const found: RelationField[] = [];
  for (const field in schema.fields) {
    const definition = schema.fields[field];
    if (definition?.type !== 'Relation' || !definition.targetClass) continue;
    found.push(
      Object.freeze({
        field,
        value: Object.freeze({ __type: 'Relation', className: definition.targetClass }),
      }),
    );
  }
  return found.length === 0 ? NO_RELATIONS : Object.freeze(found);
}

/** Encodes a stored object as the REST API answers it. */
export function encodeObject(object: StorageObject, options: EncodeOptions): Record<string, JsonValue> {
  const out: Record<string, JsonValue> = {};
  const { keys, omit, fileUrl } = options;
  for (const field in object) {
    const value = object[field];
    if (value === undefined || value === null || field.charCodeAt(0) === UNDERSCORE) continue;
    if (keys && !keys.has(field) && !ALWAYS_ANSWERED.has(field)) continue;
    if (omit?.has(field)) continue;
    out[field] = typeof value === 'object' ? encodeValue(field, value, fileUrl) : (value as JsonValue);
  }
  if ((object._rperm || object._wperm) && (!keys || keys.has('ACL')) && !omit?.has('ACL')) {
    out.ACL = permissionsToAcl(object._rperm, object._wperm);
  }
  for (const { field, value } of options.relations ?? relationFieldsOf(options.schema)) {
    if ((keys && !keys.has(field)) || omit?.has(field)) continue;
    out[field] = { ...value };
  }
  return out;
}

function encodeValue(field: string, value: StorageValue & object, fileUrl: FileUrlBuilder): JsonValue {
  if (value instanceof Date) {
    const iso = value.toISOString();
    return field === 'createdAt' || field === 'updatedAt' ? iso : { __type: 'Date', iso };
  }
  const file = value as { __type?: unknown; name?: unknown };
  if (file.__type === 'File' && typeof file.name === 'string' && !Array.isArray(value)) {
    return { __type: 'File', name: file.name, url: fileUrl(file.name) };
  }
  return value as JsonValue;
}
