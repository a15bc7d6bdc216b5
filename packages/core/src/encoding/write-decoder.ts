import type { FieldUpdate } from '../contracts/storage-adapter.js';
import type { JsonValue, StorageValue } from '../contracts/values.js';
import { ParseError, ParseErrorCode } from '../errors.js';
import { inferFieldDefinition } from '../schema/field-types.js';
import { assertFieldName } from '../schema/names.js';
import type { FieldDefinition } from '../schema/types.js';
import { aclToPermissions, type StoredAcl } from './acl.js';
import { checkNestedKeys, decodeValue, isJsonObject, type JsonObject } from './values.js';

/** A relation edit carried by an `AddRelation` / `RemoveRelation` / `Batch` op. */
export interface RelationEdit {
  readonly field: string;
  readonly targetClass: string;
  readonly add: string[];
  readonly remove: string[];
}

/** A REST write body, decoded and checked (but not yet checked against the schema). */
export interface DecodedWrite {
  /** Field changes, in storage form (dot paths allowed for Object fields). */
  readonly updates: Record<string, FieldUpdate>;
  /** The types the body implies, keyed by top-level field, for schema enforcement. */
  readonly fieldTypes: Record<string, FieldDefinition>;
  readonly relations: RelationEdit[];
  readonly acl?: StoredAcl;
}

const IGNORED_ON_WRITE = new Set(['createdAt', 'updatedAt']);

/**
 * Decodes a create or update body: values, `__op` operations, the ACL.
 * @throws {ParseError} INVALID_JSON, INVALID_KEY_NAME, INCORRECT_TYPE, INVALID_ACL, INVALID_POINTER, INVALID_NESTED_KEY
 */
export function decodeWrite(body: unknown, options: { isCreate: boolean; objectId?: string }): DecodedWrite {
  if (!isJsonObject(body)) {
    throw new ParseError(ParseErrorCode.INVALID_JSON, 'The request body must be a JSON object');
  }
  const updates: Record<string, FieldUpdate> = {};
  const fieldTypes: Record<string, FieldDefinition> = {};
  const relations: RelationEdit[] = [];
  let acl: StoredAcl | undefined;
  for (const [key, value] of Object.entries(body)) {
    if (IGNORED_ON_WRITE.has(key)) {
      if (isJsonObject(value) && value.__type === 'Date') continue;
      fieldTypes[key] = inferFieldDefinition(value) ?? { type: 'Object' };
      continue;
    }
    if (key === 'objectId') {
      // parse-server would move the object to the new id on update; never allow it.
      if (options.isCreate || value !== options.objectId) {
        throw new ParseError(ParseErrorCode.INVALID_KEY_NAME, 'objectId is an invalid field name.');
      }
      continue;
    }
    if (key === 'ACL') {
      acl = aclToPermissions(value);
      continue;
    }
    const [root = key, ...path] = key.split('.');
    assertFieldName(root);
    if (path.length > 0) {
      if (options.isCreate) assertFieldName(key);
      for (const segment of path) {
        if (segment.length === 0 || segment.includes('$')) {
          throw new ParseError(ParseErrorCode.INVALID_KEY_NAME, `Invalid field name: ${key}.`);
        }
      }
      updates[key] = decodeNestedUpdate(value);
      fieldTypes[root] ??= { type: 'Object' };
      continue;
    }
    const inferred = inferFieldDefinition(value);
    if (inferred) fieldTypes[key] = inferred;
    if (isJsonObject(value) && typeof value.__op === 'string') {
      const change = decodeOperation(key, value, relations);
      if (change) updates[key] = change;
      continue;
    }
    updates[key] = value === null ? { op: 'unset' } : { op: 'set', value: decodeValue(value) };
  }
  return acl ? { updates, fieldTypes, relations, acl } : { updates, fieldTypes, relations };
}

function decodeNestedUpdate(value: JsonValue): FieldUpdate {
  if (isJsonObject(value) && typeof value.__op === 'string') {
    if (value.__op === 'Delete') return { op: 'unset' };
    if (value.__op === 'Increment') return { op: 'increment', amount: incrementAmount(value) };
    throw new ParseError(ParseErrorCode.INVALID_JSON, `${value.__op} is not supported on a nested key`);
  }
  checkNestedKeys(value);
  return { op: 'set', value };
}

function incrementAmount(op: JsonObject): number {
  if (typeof op.amount !== 'number' || !Number.isFinite(op.amount)) {
    throw new ParseError(ParseErrorCode.INVALID_JSON, 'Increment amount must be a number');
  }
  return op.amount;
}

function operationItems(op: JsonObject): StorageValue[] {
  if (!Array.isArray(op.objects)) {
    throw new ParseError(ParseErrorCode.INVALID_JSON, 'objects to add must be an array');
  }
  for (const item of op.objects) checkNestedKeys(item);
  return op.objects;
}

function decodeOperation(field: string, op: JsonObject, relations: RelationEdit[]): FieldUpdate | undefined {
  switch (op.__op) {
    case 'Delete':
      return { op: 'unset' };
    case 'Increment':
      return { op: 'increment', amount: incrementAmount(op) };
    case 'Add':
      return { op: 'add', items: operationItems(op) };
    case 'AddUnique':
      return { op: 'addUnique', items: operationItems(op) };
    case 'Remove':
      return { op: 'remove', items: operationItems(op) };
    case 'AddRelation':
    case 'RemoveRelation':
      addRelationEdit(field, op, relations);
      return undefined;
    case 'Batch': {
      if (!Array.isArray(op.ops))
        throw new ParseError(ParseErrorCode.INVALID_JSON, 'Batch ops must be an array');
      for (const inner of op.ops) {
        if (!isJsonObject(inner) || (inner.__op !== 'AddRelation' && inner.__op !== 'RemoveRelation')) {
          throw new ParseError(
            ParseErrorCode.INVALID_JSON,
            'A Batch op may only hold AddRelation and RemoveRelation',
          );
        }
        addRelationEdit(field, inner, relations);
      }
      return undefined;
    }
    default:
      throw new ParseError(ParseErrorCode.INVALID_JSON, `The ${String(op.__op)} operator is not supported.`);
  }
}

function addRelationEdit(field: string, op: JsonObject, relations: RelationEdit[]): void {
  const objects = op.objects;
  if (!Array.isArray(objects)) {
    throw new ParseError(ParseErrorCode.INVALID_JSON, 'objects to add must be an array');
  }
  let targetClass: string | undefined;
  const ids: string[] = [];
  for (const item of objects) {
    const pointer = decodeValue(item);
    if (!isJsonObject(pointer) || pointer.__type !== 'Pointer') {
      throw new ParseError(ParseErrorCode.INVALID_POINTER, 'A relation can only hold pointers');
    }
    const className = pointer.className as string;
    if (targetClass !== undefined && targetClass !== className) {
      throw new ParseError(
        ParseErrorCode.INCORRECT_TYPE,
        'All objects in a relation must have the same class',
      );
    }
    targetClass = className;
    ids.push(pointer.objectId as string);
  }
  if (targetClass === undefined) return;
  let edit = relations.find((candidate) => candidate.field === field);
  if (!edit) {
    edit = { field, targetClass, add: [], remove: [] };
    relations.push(edit);
  } else if (edit.targetClass !== targetClass) {
    throw new ParseError(ParseErrorCode.INCORRECT_TYPE, 'All objects in a relation must have the same class');
  }
  (op.__op === 'AddRelation' ? edit.add : edit.remove).push(...ids);
}

/**
 * The value a create stores for an update (an operation applied to nothing).
 * `undefined` means "store nothing".
 */
export function valueForCreate(update: FieldUpdate): StorageValue | undefined {
  switch (update.op) {
    case 'set':
      return update.value;
    case 'unset':
      return undefined;
    case 'increment':
      return update.amount;
    case 'add':
      return [...update.items] as StorageValue;
    case 'addUnique': {
      const seen = new Set<string>();
      return update.items.filter((item) => {
        const key = JSON.stringify(item);
        if (seen.has(key)) return false;
        seen.add(key);
        return true;
      }) as StorageValue;
    }
    case 'remove':
      return [];
  }
}
