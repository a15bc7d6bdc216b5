import type { ClassSchema, FieldDefinition, FieldType } from '@openparse/core';
import { DEFAULT_CLASS_LEVEL_PERMISSIONS } from '@openparse/core';

/**
 * Columns parse-server adds to the `_User` table without declaring them in `_SCHEMA`
 * (besides `_hashed_password`, which it does declare).
 */
export const USER_INTERNAL_COLUMNS: Readonly<Record<string, FieldDefinition>> = {
  _email_verify_token_expires_at: { type: 'Date' },
  _email_verify_token: { type: 'String' },
  _account_lockout_expires_at: { type: 'Date' },
  _failed_login_count: { type: 'Number' },
  _perishable_token: { type: 'String' },
  _perishable_token_expires_at: { type: 'Date' },
  _password_changed_at: { type: 'Date' },
  _password_history: { type: 'Array' },
};

/** How parse-server declares the ACL columns in `_SCHEMA`. */
const PERMISSION_FIELD = { type: 'Array', contents: { type: 'String' } } as const;

/** Fields every row has, whatever `_SCHEMA` says. */
const SYSTEM_FIELDS: Readonly<Record<string, FieldType>> = {
  objectId: 'String',
  createdAt: 'Date',
  updatedAt: 'Date',
};

/** The PostgreSQL column type parse-server uses for a field, or undefined when it has no column. */
export function columnType(name: string, field: FieldDefinition): string | undefined {
  if (name === '_rperm' || name === '_wperm') return 'text[]';
  switch (field.type) {
    case 'String':
    case 'File':
    case 'Pointer':
      return 'text';
    case 'Date':
      return 'timestamp with time zone';
    case 'Object':
    case 'Bytes':
      return 'jsonb';
    case 'Array':
      return (field as { contents?: { type?: string } }).contents?.type === 'String' ? 'text[]' : 'jsonb';
    case 'Boolean':
      return 'boolean';
    case 'Number':
      return 'double precision';
    case 'GeoPoint':
      return 'point';
    case 'Polygon':
      return 'polygon';
    case 'Relation':
    case 'ACL':
      return undefined;
  }
}

/**
 * The type of a column of `schema`: a declared field, a system field, the ACL arrays or one of
 * `_User`'s internal columns. `undefined` when the class has no such column.
 */
export function storedFieldOf(schema: ClassSchema | undefined, name: string): FieldDefinition | undefined {
  if (name === '_rperm' || name === '_wperm') return PERMISSION_FIELD;
  // parse-server keeps `_User.password` only as `_hashed_password`: there is no such column.
  if (schema?.className === '_User' && name === 'password') return undefined;
  const declared = schema?.fields[name];
  if (declared) return declared.type === 'ACL' ? undefined : declared;
  const system = SYSTEM_FIELDS[name];
  if (system) return { type: system };
  if (schema?.className === '_User') {
    if (name === '_hashed_password') return { type: 'String' };
    return USER_INTERNAL_COLUMNS[name];
  }
  return undefined;
}

/**
 * Core's schema → the JSON parse-server keeps in `_SCHEMA.schema`: the ACL as `_rperm`/`_wperm`
 * fields, `_User`'s `password` as `_hashed_password`, `indexes` only when there are some.
 */
export function toStoredSchema(schema: ClassSchema): Record<string, unknown> {
  const fields: Record<string, unknown> = {};
  for (const [name, field] of Object.entries(schema.fields)) {
    if (field.type === 'ACL') continue;
    if (schema.className === '_User' && name === 'password') continue;
    fields[name] = field;
  }
  if (schema.className === '_User') fields._hashed_password = { type: 'String' };
  fields._rperm = PERMISSION_FIELD;
  fields._wperm = PERMISSION_FIELD;
  const stored: Record<string, unknown> = {
    className: schema.className,
    fields,
    classLevelPermissions: schema.classLevelPermissions,
  };
  if (schema.indexes && Object.keys(schema.indexes).length > 0) stored.indexes = schema.indexes;
  return stored;
}

/** A `_SCHEMA` row → core's schema, the way parse-server reads it back. */
export function fromStoredSchema(className: string, stored: Record<string, unknown>): ClassSchema {
  const storedFields = (stored.fields ?? {}) as Record<string, FieldDefinition>;
  const fields: Record<string, FieldDefinition> = {};
  for (const [name, field] of Object.entries(storedFields)) {
    if (name === '_rperm' || name === '_wperm') continue;
    if (className === '_User' && (name === '_hashed_password' || name in USER_INTERNAL_COLUMNS)) continue;
    fields[name] = field;
  }
  if (className === '_User' && !fields.password) fields.password = { type: 'String' };
  fields.ACL = { type: 'ACL' };
  const clp = stored.classLevelPermissions as ClassSchema['classLevelPermissions'] | undefined;
  return {
    className,
    fields,
    classLevelPermissions: clp ?? DEFAULT_CLASS_LEVEL_PERMISSIONS,
    indexes: (stored.indexes ?? {}) as NonNullable<ClassSchema['indexes']>,
  };
}

/** Every column a new class table gets: its fields plus parse-server's `_User` internals. */
export function tableColumns(stored: Record<string, unknown>): [string, FieldDefinition][] {
  const fields = { ...(stored.fields as Record<string, FieldDefinition>) };
  if (stored.className === '_User') Object.assign(fields, USER_INTERNAL_COLUMNS);
  return Object.entries(fields);
}
