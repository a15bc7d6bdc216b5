import type { FieldType } from '../schema/types.js';

/** A JSON value, as it is read from or written to the wire. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** A pointer to another object. */
export interface PointerValue {
  readonly __type: 'Pointer';
  readonly className: string;
  readonly objectId: string;
}

/** A stored file reference: the adapter keeps the name; the URL is computed on read. */
export interface FileValue {
  readonly __type: 'File';
  readonly name: string;
}

/** A point on Earth, in degrees. */
export interface GeoPointValue {
  readonly __type: 'GeoPoint';
  readonly latitude: number;
  readonly longitude: number;
}

/** A closed polygon: `[latitude, longitude]` pairs, at least three. */
export interface PolygonValue {
  readonly __type: 'Polygon';
  readonly coordinates: readonly (readonly [number, number])[];
}

/** Binary data, base64 encoded. */
export interface BytesValue {
  readonly __type: 'Bytes';
  readonly base64: string;
}

/**
 * A value as core hands it to a storage adapter and expects it back.
 *
 * Top-level fields are decoded by their schema type: `Date` fields are JS `Date`s, the
 * other Parse types keep their `__type` object shape. Values inside `Object` and `Array`
 * fields stay in Parse JSON encoding (`{ __type: 'Date', iso }`), exactly as parse-server
 * stores them in PostgreSQL's `jsonb`.
 */
export type StorageValue =
  | JsonValue
  | Date
  | PointerValue
  | FileValue
  | GeoPointValue
  | PolygonValue
  | BytesValue
  | IncludedValue;

/**
 * A pointer a read resolved (`ParseQuery.include`): the object it points to, or `null` when it
 * is gone or fails the include's condition. A field without a pointer stays absent. Only reads
 * produce it; writes never carry it.
 */
export interface IncludedValue {
  readonly __type: 'Included';
  /** The stored pointer. */
  readonly pointer: PointerValue;
  readonly object: StorageObject | null;
}

/**
 * One object as stored. `_rperm` / `_wperm` hold the ACL in parse-server's layout
 * (`'*'`, user objectIds, `role:<name>`); absent means public.
 * Fields starting with `_` other than those are internal (`_hashed_password`…).
 */
export interface StorageObject {
  objectId: string;
  createdAt?: Date;
  updatedAt?: Date;
  _rperm?: string[];
  _wperm?: string[];
  [field: string]: StorageValue | undefined;
}

/** A reference to a field in a query: the top-level name, a dot path below it, and its schema type. */
export interface FieldRef {
  /** Top-level field name (`objectId`, `createdAt` and `_rperm` included). */
  readonly name: string;
  /** The path inside an `Object` field for `a.b.c` keys; empty for the field itself. */
  readonly path: readonly string[];
  /** The field's schema type; `undefined` for a field the class does not declare. */
  readonly type: FieldType | undefined;
  /** For `Pointer` / `Relation` fields. */
  readonly targetClass?: string;
}
