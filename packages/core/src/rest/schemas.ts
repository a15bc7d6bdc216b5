import type { JsonValue } from '../contracts/values.js';
import { isJsonObject } from '../encoding/values.js';
import { ParseError, ParseErrorCode } from '../errors.js';
import { MATCH_ALL } from '../query/types.js';
import { parseFieldDefinition } from '../schema/field-types.js';
import { assertClassName, invalidClassNameError, isValidFieldName } from '../schema/names.js';
import {
  DEFAULT_CLASS_LEVEL_PERMISSIONS,
  DEFAULT_FIELDS,
  SYSTEM_CLASS_FIELDS,
} from '../schema/system-classes.js';
import type { ClassSchema, FieldDefinition, IndexDefinition } from '../schema/types.js';
import type { Auth } from '../security/auth.js';
import { validateClassLevelPermissions } from '../security/class-level-permissions.js';
import type { AppContext, RestRequest, RestResponse } from './types.js';

/** A class as `/schemas` answers it: internal fields hidden. */
export function schemaToJson(schema: ClassSchema): JsonValue {
  const fields: Record<string, JsonValue> = {};
  for (const [name, field] of Object.entries(schema.fields)) {
    if (name.startsWith('_')) continue;
    fields[name] = { ...field } as JsonValue;
  }
  if (schema.className === '_User') delete fields.authData;
  const out: Record<string, JsonValue> = {
    className: schema.className,
    fields,
    classLevelPermissions: schema.classLevelPermissions as JsonValue,
  };
  if (schema.indexes && Object.keys(schema.indexes).length > 0) out.indexes = schema.indexes as JsonValue;
  return out;
}

function assertWritable(auth: Auth, action: string): void {
  if (auth.isReadOnly) {
    throw new ParseError(
      ParseErrorCode.OPERATION_FORBIDDEN,
      `read-only masterKey isn't allowed to ${action} a schema.`,
    );
  }
}

function doesNotExist(className: string): ParseError {
  return new ParseError(ParseErrorCode.INVALID_CLASS_NAME, `Class ${className} does not exist.`);
}

function newFieldDefinition(className: string, name: string, input: unknown): FieldDefinition {
  if (!isValidFieldName(name) || (className !== '_Hooks' && name === 'className')) {
    throw new ParseError(ParseErrorCode.INVALID_KEY_NAME, `invalid field name: ${name}`);
  }
  if (DEFAULT_FIELDS[name] || SYSTEM_CLASS_FIELDS[className]?.[name]) {
    throw new ParseError(ParseErrorCode.CHANGED_IMMUTABLE_FIELD_ERROR, `field ${name} cannot be added`);
  }
  return parseFieldDefinition(input, `${className}.${name}`);
}

function checkOneGeoPoint(fields: Readonly<Record<string, FieldDefinition>>): void {
  const points = Object.entries(fields)
    .filter(([, field]) => field.type === 'GeoPoint')
    .map(([name]) => name);
  if (points.length > 1) {
    throw new ParseError(
      ParseErrorCode.INCORRECT_TYPE,
      `currently, only one GeoPoint field may exist in an object. Adding ${points[1]} when ${points[0]} already exists.`,
    );
  }
}

function parseIndexes(input: unknown): Record<string, IndexDefinition> {
  if (input === undefined) return {};
  if (!isJsonObject(input)) throw new ParseError(ParseErrorCode.INVALID_QUERY, 'indexes must be an object');
  return input as Record<string, IndexDefinition>;
}

/** `GET /schemas` */
export async function listSchemas(_req: RestRequest, app: AppContext): Promise<RestResponse> {
  const classes = await app.schema.all();
  return { body: { results: classes.map(schemaToJson) } };
}

/** `GET /schemas/:className` */
export async function getSchema(
  _req: RestRequest,
  app: AppContext,
  className: string,
): Promise<RestResponse> {
  if (!(await app.schema.exists(className))) throw doesNotExist(className);
  const schema = await app.schema.get(className);
  if (!schema) throw doesNotExist(className);
  return { body: schemaToJson(schema) };
}

/** `POST /schemas` and `POST /schemas/:className` */
export async function createSchema(
  req: RestRequest,
  app: AppContext,
  pathClass?: string,
): Promise<RestResponse> {
  assertWritable(req.auth, 'create');
  const body = isJsonObject(req.body) ? req.body : {};
  const bodyClass = typeof body.className === 'string' ? body.className : undefined;
  if (pathClass && bodyClass && pathClass !== bodyClass) {
    throw new ParseError(
      ParseErrorCode.INVALID_CLASS_NAME,
      `Class name mismatch between ${bodyClass} and ${pathClass}.`,
    );
  }
  const className = pathClass ?? bodyClass;
  if (!className)
    throw new ParseError(ParseErrorCode.MISSING_REQUIRED_FIELD_ERROR, 'POST /schemas needs a class name.');
  if (await app.schema.exists(className)) {
    throw new ParseError(ParseErrorCode.INVALID_CLASS_NAME, `Class ${className} already exists.`);
  }
  assertClassName(className);
  const fields: Record<string, FieldDefinition> = {};
  const inputFields = body.fields === undefined ? {} : body.fields;
  if (!isJsonObject(inputFields))
    throw new ParseError(ParseErrorCode.INVALID_JSON, 'fields must be an object');
  for (const [name, input] of Object.entries(inputFields)) {
    fields[name] = newFieldDefinition(className, name, input);
  }
  checkOneGeoPoint(fields);
  const classLevelPermissions =
    body.classLevelPermissions === undefined
      ? DEFAULT_CLASS_LEVEL_PERMISSIONS
      : { ...validateClassLevelPermissions(body.classLevelPermissions) };
  const indexes = parseIndexes(body.indexes);
  let created = await app.schema.createClass({ className, fields, classLevelPermissions });
  if (Object.keys(indexes).length > 0) {
    created = await app.schema.updateClass(className, {
      add: {},
      remove: [],
      indexes: { create: indexes, drop: [] },
    });
  }
  return { body: schemaToJson(created) };
}

/** `PUT /schemas/:className` */
export async function updateSchema(
  req: RestRequest,
  app: AppContext,
  className: string,
): Promise<RestResponse> {
  assertWritable(req.auth, 'update');
  const body = isJsonObject(req.body) ? req.body : {};
  if (typeof body.className === 'string' && body.className !== className) {
    throw new ParseError(
      ParseErrorCode.INVALID_CLASS_NAME,
      `Class name mismatch between ${body.className} and ${className}.`,
    );
  }
  const schema = (await app.schema.exists(className)) ? await app.schema.get(className) : undefined;
  if (!schema) throw doesNotExist(className);
  const add: Record<string, FieldDefinition> = {};
  const remove: string[] = [];
  const inputFields = body.fields ?? {};
  if (!isJsonObject(inputFields))
    throw new ParseError(ParseErrorCode.INVALID_JSON, 'fields must be an object');
  for (const [name, input] of Object.entries(inputFields)) {
    const existing = schema.fields[name];
    const isDelete = isJsonObject(input) && input.__op === 'Delete';
    if (isDelete) {
      if (!existing)
        throw new ParseError(
          ParseErrorCode.INVALID_SCHEMA_OPERATION,
          `Field ${name} does not exist, cannot delete.`,
        );
      if (DEFAULT_FIELDS[name])
        throw new ParseError(ParseErrorCode.CHANGED_IMMUTABLE_FIELD_ERROR, `field ${name} cannot be changed`);
      remove.push(name);
    } else if (existing) {
      // Re-declaring a field with its own type changes nothing; another type is refused.
      if (!isJsonObject(input) || input.type !== existing.type) {
        throw new ParseError(ParseErrorCode.INVALID_SCHEMA_OPERATION, `Field ${name} exists, cannot update.`);
      }
    } else {
      add[name] = newFieldDefinition(className, name, input);
    }
  }
  const remaining = Object.fromEntries(
    Object.entries(schema.fields).filter(([name]) => !remove.includes(name)),
  );
  checkOneGeoPoint({ ...remaining, ...add });
  const classLevelPermissions =
    body.classLevelPermissions === undefined
      ? undefined
      : validateClassLevelPermissions(body.classLevelPermissions);
  const create: Record<string, Record<string, number | string>> = {};
  const drop: string[] = [];
  for (const [name, index] of Object.entries(parseIndexes(body.indexes))) {
    const exists = schema.indexes?.[name] !== undefined;
    if (isJsonObject(index) && index.__op === 'Delete') {
      if (!exists)
        throw new ParseError(ParseErrorCode.INVALID_QUERY, `Index ${name} does not exist, cannot delete.`);
      drop.push(name);
      continue;
    }
    if (exists) throw new ParseError(ParseErrorCode.INVALID_QUERY, `Index ${name} exists, cannot update.`);
    for (const field of Object.keys(index)) {
      if (!remaining[field] && !add[field]) {
        throw new ParseError(
          ParseErrorCode.INVALID_QUERY,
          `Field ${field} does not exist, cannot add index.`,
        );
      }
    }
    create[name] = { ...index };
  }
  const updated = await app.schema.updateClass(className, {
    add,
    remove,
    classLevelPermissions,
    indexes: { create, drop },
  });
  return { body: schemaToJson(updated) };
}

/** `DELETE /schemas/:className`: refused with 255 while the class holds objects. */
export async function deleteSchema(
  req: RestRequest,
  app: AppContext,
  className: string,
): Promise<RestResponse> {
  assertWritable(req.auth, 'delete');
  assertClassName(className);
  if (await app.schema.exists(className)) {
    const count = await app.storage.count({ className, where: MATCH_ALL });
    if (count > 0) {
      throw new ParseError(
        ParseErrorCode.INVALID_SCHEMA_OPERATION,
        `Class ${className} is not empty, contains ${count} objects, cannot drop schema.`,
      );
    }
    await app.schema.deleteClass(className);
  }
  return { body: {} };
}

/** `DELETE /purge/:className`: deletes every object, keeps the class. */
export async function purgeClass(
  req: RestRequest,
  app: AppContext,
  className: string,
): Promise<RestResponse> {
  if (req.auth.isReadOnly) {
    throw new ParseError(
      ParseErrorCode.OPERATION_FORBIDDEN,
      "read-only masterKey isn't allowed to purge a schema.",
    );
  }
  if (!/^[A-Za-z_][A-Za-z0-9_:]*$/.test(className)) throw invalidClassNameError(className);
  if (await app.schema.exists(className)) await app.storage.purgeClass(className);
  return { body: {} };
}
