import { ParseError, ParseErrorCode } from '../errors.js';
import { DEFAULT_CLASS_LEVEL_PERMISSIONS } from '../schema/system-classes.js';
import type { ClassLevelPermissions, ClassSchema, ClpOperation } from '../schema/types.js';
import type { Auth } from './auth.js';

const OPERATIONS: readonly ClpOperation[] = [
  'find',
  'count',
  'get',
  'create',
  'update',
  'delete',
  'addField',
];
const EXTRA_KEYS = new Set(['readUserFields', 'writeUserFields', 'protectedFields']);

/** True when `auth` may perform `operation` on the class, by its class-level permissions. */
export function clpAllows(schema: ClassSchema | undefined, operation: ClpOperation, auth: Auth): boolean {
  if (auth.isMaster) return true;
  const clp = schema?.classLevelPermissions ?? DEFAULT_CLASS_LEVEL_PERMISSIONS;
  const permissions = clp[operation];
  if (!permissions) return true;
  if (permissions['*'] === true) return true;
  if (auth.principals.some((principal) => principal !== '*' && permissions[principal] === true)) return true;
  // `requiresAuthentication` opens the operation to every signed-in user.
  if (permissions.requiresAuthentication === true) return auth.userId !== undefined;
  // Pointer permissions grant access to the objects that point to the user: the read or write
  // then carries that condition (see read-policy.ts), which nothing matches without a user.
  return pointerFieldsOf(clp, operation).length > 0;
}

/** The pointer fields through which CLP may grant `operation` (`pointerFields`, `read/writeUserFields`). */
export function pointerFieldsOf(clp: ClassLevelPermissions, operation: ClpOperation): string[] {
  const named = clp[operation]?.pointerFields;
  const fields = new Set<string>(Array.isArray(named) ? named : []);
  const reads = operation === 'find' || operation === 'get' || operation === 'count';
  const writes = operation === 'update' || operation === 'delete';
  for (const name of (reads ? clp.readUserFields : writes ? clp.writeUserFields : undefined) ?? []) {
    fields.add(name);
  }
  return [...fields];
}

/**
 * Throws unless `auth` may perform `operation` on the class: 101 when only a signed-in user
 * would be allowed (`requiresAuthentication`), 119 otherwise.
 * @throws {ParseError} OBJECT_NOT_FOUND, OPERATION_FORBIDDEN
 */
export function assertClpAllows(
  schema: ClassSchema | undefined,
  className: string,
  operation: ClpOperation,
  auth: Auth,
): void {
  if (!clpAllows(schema, operation, auth)) {
    const permissions = (schema?.classLevelPermissions ?? DEFAULT_CLASS_LEVEL_PERMISSIONS)[operation];
    if (permissions?.requiresAuthentication === true && auth.userId === undefined) {
      // parse-server answers this refusal as 101 (not 119).
      throw new ParseError(
        ParseErrorCode.OBJECT_NOT_FOUND,
        'Permission denied, user needs to be authenticated.',
      );
    }
    throw new ParseError(
      ParseErrorCode.OPERATION_FORBIDDEN,
      `Permission denied for action ${operation} on class ${className}.`,
    );
  }
}

/**
 * Validates class-level permissions sent to `/schemas`.
 * @throws {ParseError} INVALID_JSON
 */
export function validateClassLevelPermissions(input: unknown): ClassLevelPermissions {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new ParseError(ParseErrorCode.INVALID_JSON, 'classLevelPermissions must be an object');
  }
  for (const [key, value] of Object.entries(input)) {
    if (key === 'ACL') {
      validateDefaultAcl(value);
      continue;
    }
    if (EXTRA_KEYS.has(key)) {
      if (key === 'protectedFields') {
        if (typeof value !== 'object' || value === null || Array.isArray(value)) {
          throw new ParseError(ParseErrorCode.INVALID_JSON, 'protectedFields must be an object');
        }
        for (const [principal, fields] of Object.entries(value)) {
          if (!Array.isArray(fields) || !fields.every((field) => typeof field === 'string')) {
            throw new ParseError(
              ParseErrorCode.INVALID_JSON,
              `'${String(fields)}' is not a valid value for protectedFields[${principal}] - expected an array.`,
            );
          }
        }
      } else if (!Array.isArray(value) || !value.every((field) => typeof field === 'string')) {
        throw new ParseError(ParseErrorCode.INVALID_JSON, `this perms[${key}] is not a valid array`);
      }
      continue;
    }
    if (!OPERATIONS.includes(key as ClpOperation)) {
      throw new ParseError(
        ParseErrorCode.INVALID_JSON,
        `${key} is not a valid operation for class level permissions`,
      );
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw new ParseError(ParseErrorCode.INVALID_JSON, `${key} permissions must be an object`);
    }
    for (const [principal, allowed] of Object.entries(value)) {
      if (principal === 'pointerFields') {
        if (!Array.isArray(allowed) || !allowed.every((field) => typeof field === 'string')) {
          throw new ParseError(
            ParseErrorCode.INVALID_JSON,
            `'${String(allowed)}' is not a valid value for class level permissions ${key}:pointerFields`,
          );
        }
        continue;
      }
      if (allowed !== true) {
        throw new ParseError(
          ParseErrorCode.INVALID_JSON,
          `'${String(allowed)}' is not a valid value for class level permissions ${key}:${principal}:${String(allowed)}`,
        );
      }
    }
  }
  return input as ClassLevelPermissions;
}

function validateDefaultAcl(value: unknown): void {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ParseError(
      ParseErrorCode.INVALID_JSON,
      `'${String(value)}' is not a valid value for class level permissions acl`,
    );
  }
  for (const permit of Object.values(value)) {
    if (typeof permit !== 'object' || permit === null || Array.isArray(permit)) {
      throw new ParseError(
        ParseErrorCode.INVALID_JSON,
        `'${String(permit)}' is not a valid value for class level permissions acl`,
      );
    }
    for (const [key, granted] of Object.entries(permit)) {
      if (key !== 'read' && key !== 'write') {
        throw new ParseError(
          ParseErrorCode.INVALID_JSON,
          `'${key}' is not a valid key for class level permissions acl`,
        );
      }
      if (typeof granted !== 'boolean') {
        throw new ParseError(
          ParseErrorCode.INVALID_JSON,
          `'${String(granted)}' is not a valid value for class level permissions acl`,
        );
      }
    }
  }
}

/**
 * The ACL a create without one receives from the class's `ACL` permission, in storage form;
 * undefined when the class sets none (or the public default).
 */
export function defaultAclFor(
  schema: ClassSchema,
  userId: string | undefined,
): Record<string, { read?: boolean; write?: boolean }> | undefined {
  const acl = schema.classLevelPermissions.ACL;
  if (!acl) return undefined;
  if (JSON.stringify(acl) === JSON.stringify({ '*': { read: true, write: true } })) return undefined;
  const resolved: Record<string, { read?: boolean; write?: boolean }> = {};
  for (const [principal, permit] of Object.entries(acl)) {
    if (principal === 'currentUser') {
      if (userId) resolved[userId] = { ...permit };
    } else resolved[principal] = { ...permit };
  }
  return resolved;
}
