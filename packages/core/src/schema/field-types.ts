import type { JsonValue } from '../contracts/values.js';
import { ParseError, ParseErrorCode } from '../errors.js';
import { isValidClassName } from './names.js';
import { FIELD_TYPES, type FieldDefinition, type FieldType } from './types.js';

/** The type a REST value implies for its field, or `undefined` for null / Delete (no type). */
export function inferFieldDefinition(value: JsonValue): FieldDefinition | undefined {
  if (value === null) return undefined;
  switch (typeof value) {
    case 'boolean':
      return { type: 'Boolean' };
    case 'string':
      return { type: 'String' };
    case 'number':
      return { type: 'Number' };
  }
  if (Array.isArray(value)) return { type: 'Array' };
  const type = value.__type;
  if (typeof type === 'string') {
    switch (type) {
      case 'Pointer':
      case 'Relation':
        if (typeof value.className !== 'string') {
          throw new ParseError(ParseErrorCode.INCORRECT_TYPE, `This is not a valid ${type}`);
        }
        return { type, targetClass: value.className };
      case 'File':
      case 'Date':
      case 'GeoPoint':
      case 'Polygon':
      case 'Bytes':
        return { type };
      default:
        throw new ParseError(ParseErrorCode.INCORRECT_TYPE, `This is not a valid ${type}`);
    }
  }
  const op = value.__op;
  if (typeof op === 'string') {
    switch (op) {
      case 'Increment':
        return { type: 'Number' };
      case 'Delete':
        return undefined;
      case 'Add':
      case 'AddUnique':
      case 'Remove':
        return { type: 'Array' };
      case 'AddRelation':
      case 'RemoveRelation': {
        const first = Array.isArray(value.objects) ? value.objects[0] : undefined;
        const className = isObject(first) ? first.className : undefined;
        if (typeof className !== 'string') return undefined;
        return { type: 'Relation', targetClass: className };
      }
      case 'Batch': {
        const ops = Array.isArray(value.ops) ? value.ops : [];
        for (const inner of ops) {
          const found = inferFieldDefinition(inner);
          if (found) return found;
        }
        return undefined;
      }
      default:
        throw new ParseError(ParseErrorCode.INVALID_JSON, `unexpected op ${op}`);
    }
  }
  return { type: 'Object' };
}

function isObject(value: unknown): value is Record<string, JsonValue> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `Pointer<_User>`-style name used in schema mismatch messages. */
export function describeFieldType(field: FieldDefinition): string {
  return field.targetClass ? `${field.type}<${field.targetClass}>` : field.type;
}

/** True when a value of type `actual` may be stored in a field declared `expected`. */
export function fieldTypesMatch(expected: FieldDefinition, actual: FieldDefinition): boolean {
  if (expected.type !== actual.type) return false;
  if (expected.type === 'Pointer' || expected.type === 'Relation') {
    return expected.targetClass === actual.targetClass;
  }
  return true;
}

/**
 * Validates a field definition sent to `/schemas` and returns it normalised. `label`
 * (`Class.field`) names the field in messages.
 * @throws {ParseError} INCORRECT_TYPE, MISSING_REQUIRED_FIELD_ERROR, INVALID_CLASS_NAME, INVALID_JSON
 */
export function parseFieldDefinition(input: unknown, label = 'field'): FieldDefinition {
  if (!isObject(input) || typeof input.type !== 'string') {
    throw new ParseError(ParseErrorCode.INVALID_JSON, 'invalid JSON');
  }
  const type = input.type as FieldType;
  if (!FIELD_TYPES.includes(type)) {
    throw new ParseError(ParseErrorCode.INCORRECT_TYPE, `invalid field type: ${input.type}`);
  }
  const definition: { type: FieldType; targetClass?: string; required?: boolean; defaultValue?: unknown } = {
    type,
  };
  if (type === 'Pointer' || type === 'Relation') {
    if (input.targetClass === undefined) {
      throw new ParseError(ParseErrorCode.MISSING_REQUIRED_FIELD_ERROR, `type ${type} needs a class name`);
    }
    if (typeof input.targetClass !== 'string') {
      throw new ParseError(ParseErrorCode.INVALID_JSON, 'invalid JSON');
    }
    if (!isValidClassName(input.targetClass)) {
      throw new ParseError(
        ParseErrorCode.INVALID_CLASS_NAME,
        `Invalid classname: ${input.targetClass}, classnames can only have alphanumeric characters and _, and must start with an alpha character `,
      );
    }
    definition.targetClass = input.targetClass;
  }
  if (input.required !== undefined) {
    if (typeof input.required !== 'boolean') {
      throw new ParseError(ParseErrorCode.INCORRECT_TYPE, 'required must be a boolean');
    }
    definition.required = input.required;
  }
  if (input.defaultValue !== undefined && input.defaultValue !== null) {
    if (type === 'Relation') {
      throw new ParseError(ParseErrorCode.INCORRECT_TYPE, 'The Relation type cannot have a default value');
    }
    const actual = inferFieldDefinition(input.defaultValue);
    if (!actual || !fieldTypesMatch({ type, targetClass: definition.targetClass }, actual)) {
      throw new ParseError(
        ParseErrorCode.INCORRECT_TYPE,
        `schema mismatch for ${label} default value; expected ${describeFieldType(definition)} but got ${actual ? describeFieldType(actual) : 'null'}`,
      );
    }
    definition.defaultValue = input.defaultValue;
  }
  return definition;
}
