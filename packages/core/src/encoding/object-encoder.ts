import type { JsonValue, StorageObject, StorageValue } from '../contracts/values.js';
import type { ClassSchema } from '../schema/types.js';
import { permissionsToAcl } from './acl.js';
import { isJsonObject } from './values.js';

/** How stored file names become URLs. */
export type FileUrlBuilder = (name: string) => string;

/** Options of {@link encodeObject}. */
export interface EncodeOptions {
  readonly schema: ClassSchema | undefined;
  readonly fileUrl: FileUrlBuilder;
  /** Fields removed from the answer (protected fields, `excludeKeys`). */
  readonly omit?: ReadonlySet<string>;
  /** When given, only these top-level fields (plus the system ones) are answered. */
  readonly keys?: ReadonlySet<string>;
}

const ALWAYS_ANSWERED = new Set(['objectId', 'createdAt', 'updatedAt']);

/** Encodes a stored object as the REST API answers it. */
export function encodeObject(object: StorageObject, options: EncodeOptions): Record<string, JsonValue> {
  const out: Record<string, JsonValue> = {};
  const { keys, omit } = options;
  for (const [field, value] of Object.entries(object)) {
    if (value === undefined || value === null) continue;
    if (field.startsWith('_')) continue;
    if (keys && !keys.has(field) && !ALWAYS_ANSWERED.has(field)) continue;
    if (omit?.has(field)) continue;
    out[field] = encodeValue(field, value, options.fileUrl);
  }
  if ((object._rperm || object._wperm) && (!keys || keys.has('ACL')) && !omit?.has('ACL')) {
    out.ACL = permissionsToAcl(object._rperm, object._wperm);
  }
  if (options.schema) {
    for (const [field, definition] of Object.entries(options.schema.fields)) {
      if (definition.type !== 'Relation' || !definition.targetClass) continue;
      if ((keys && !keys.has(field)) || omit?.has(field)) continue;
      out[field] = { __type: 'Relation', className: definition.targetClass };
    }
  }
  return out;
}

function encodeValue(field: string, value: StorageValue, fileUrl: FileUrlBuilder): JsonValue {
  if (value instanceof Date) {
    const iso = value.toISOString();
    return field === 'createdAt' || field === 'updatedAt' ? iso : { __type: 'Date', iso };
  }
  if (isJsonObject(value) && value.__type === 'File' && typeof value.name === 'string') {
    return { __type: 'File', name: value.name, url: fileUrl(value.name) };
  }
  return value as JsonValue;
}
