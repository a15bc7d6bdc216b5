/** The field types a Parse class can declare. */
export type FieldType =
  | 'String'
  | 'Number'
  | 'Boolean'
  | 'Date'
  | 'Object'
  | 'Array'
  | 'Pointer'
  | 'Relation'
  | 'File'
  | 'GeoPoint'
  | 'Polygon'
  | 'Bytes'
  | 'ACL';

/** Every {@link FieldType}, in the order the schema guide lists them. */
export const FIELD_TYPES: readonly FieldType[] = [
  'String',
  'Number',
  'Boolean',
  'Date',
  'Object',
  'Array',
  'Pointer',
  'Relation',
  'File',
  'GeoPoint',
  'Polygon',
  'Bytes',
  'ACL',
];

/** One field of a class, as `/schemas` shows it. */
export interface FieldDefinition {
  readonly type: FieldType;
  /** The class a `Pointer` or `Relation` field points to. */
  readonly targetClass?: string;
  /** A create without this field is refused with 142. @default false */
  readonly required?: boolean;
  /** Stored on create when the field is absent (Parse JSON encoding). */
  readonly defaultValue?: unknown;
}

/** The operations a class-level permission controls, each mapping principals to `true`. */
export type ClpOperation = 'find' | 'count' | 'get' | 'create' | 'update' | 'delete' | 'addField';

/**
 * Who may do what on a class. Keys are `*`, `requiresAuthentication`, a user objectId,
 * `role:<name>` or `pointerFields`. Stored in parse-server's layout, unchanged.
 */
export type ClassLevelPermissions = {
  readonly [op in ClpOperation]?: Readonly<Record<string, boolean | readonly string[]>>;
} & {
  /**
   * The ACL given to objects created without one (parse-server 9). `currentUser` stands for
   * the signed-in user. `{ '*': { read: true, write: true } }` means "no default ACL".
   */
  readonly ACL?: Readonly<Record<string, { readonly read?: boolean; readonly write?: boolean }>>;
  readonly readUserFields?: readonly string[];
  readonly writeUserFields?: readonly string[];
  readonly protectedFields?: Readonly<Record<string, readonly string[]>>;
};

/** An index: field name → 1 / -1 (or `'text'`, `'2dsphere'` as parse-server writes them). */
export type IndexDefinition = Readonly<Record<string, number | string>>;

/** A class as stored in `_SCHEMA` and answered by `/schemas`. */
export interface ClassSchema {
  readonly className: string;
  readonly fields: Readonly<Record<string, FieldDefinition>>;
  readonly classLevelPermissions: ClassLevelPermissions;
  readonly indexes?: Readonly<Record<string, IndexDefinition>>;
}
