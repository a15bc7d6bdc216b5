import { ParseError, ParseErrorCode } from '../errors.js';
import type { Auth } from './auth.js';

/** System classes only the master key may touch through the REST API. */
const MASTER_ONLY_CLASSES = new Set([
  '_JobStatus',
  '_PushStatus',
  '_Hooks',
  '_GlobalConfig',
  '_JobSchedule',
  '_Idempotency',
]);

/** The REST operations a class can be asked for. */
export type ClassOperation = 'find' | 'get' | 'create' | 'update' | 'delete';

/**
 * The access rules of system classes that hold regardless of CLP: master-only classes,
 * installations that clients may neither list nor delete, and the read-only master key.
 * @throws {ParseError} OPERATION_FORBIDDEN
 */
export function assertClassAccess(operation: ClassOperation, className: string, auth: Auth): void {
  if (!auth.isMaster) {
    if (className === '_Installation' && (operation === 'find' || operation === 'delete')) {
      throw new ParseError(
        ParseErrorCode.OPERATION_FORBIDDEN,
        `Clients aren't allowed to perform the ${operation} operation on the installation collection.`,
      );
    }
    if (MASTER_ONLY_CLASSES.has(className)) {
      throw new ParseError(
        ParseErrorCode.OPERATION_FORBIDDEN,
        `Clients aren't allowed to perform the ${operation} operation on the ${className} collection.`,
      );
    }
  }
  if (auth.isReadOnly && (operation === 'create' || operation === 'update' || operation === 'delete')) {
    throw new ParseError(
      ParseErrorCode.OPERATION_FORBIDDEN,
      `read-only masterKey isn't allowed to perform the ${operation} operation.`,
    );
  }
}
