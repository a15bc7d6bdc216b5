import { ParseError, ParseErrorCode } from '../errors.js';
import { SYSTEM_CLASSES } from './system-classes.js';

const CLASS_NAME = /^[A-Za-z][A-Za-z0-9_]*$/;
const FIELD_NAME = /^[A-Za-z][A-Za-z0-9_]*$/;
const JOIN_CLASS = /^_Join:[A-Za-z0-9_]+:[A-Za-z0-9_]+$/;

/** True for a class a client may name: a user class name or a system class. */
export function isValidClassName(className: string): boolean {
  return SYSTEM_CLASSES.includes(className) || CLASS_NAME.test(className) || JOIN_CLASS.test(className);
}

/** The 103 error parse-server answers for a bad class name. */
export function invalidClassNameError(className: string): ParseError {
  return new ParseError(
    ParseErrorCode.INVALID_CLASS_NAME,
    `Invalid classname: ${className}, classnames can only have alphanumeric characters and _, and must start with an alpha character `,
  );
}

/** Throws 103 unless `className` is valid. */
export function assertClassName(className: string): void {
  if (!isValidClassName(className)) throw invalidClassNameError(className);
}

/** True for a field name a client may use at the top level of an object. */
export function isValidFieldName(fieldName: string): boolean {
  return FIELD_NAME.test(fieldName);
}

/** Throws 105 unless `fieldName` is valid. */
export function assertFieldName(fieldName: string): void {
  if (!isValidFieldName(fieldName)) {
    throw new ParseError(ParseErrorCode.INVALID_KEY_NAME, `Invalid field name: ${fieldName}.`);
  }
}
