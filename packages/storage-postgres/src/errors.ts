import { ParseError, ParseErrorCode } from '@openparse/core';

/** PostgreSQL error codes the adapter reacts to. */
export const PgCode = {
  UNIQUE_VIOLATION: '23505',
  UNDEFINED_TABLE: '42P01',
  UNDEFINED_COLUMN: '42703',
  DUPLICATE_TABLE: '42P07',
  DUPLICATE_COLUMN: '42701',
  DUPLICATE_OBJECT: '42710',
  INVALID_TEXT_REPRESENTATION: '22P02',
  INVALID_REGULAR_EXPRESSION: '2201B',
} as const;

/** The SQLSTATE of a driver error, if it has one. */
export function pgCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/**
 * True when concurrent DDL collided in the catalog (two `CREATE … IF NOT EXISTS` of the same
 * table or index at once): the other statement created the object, which is what was wanted.
 */
export function isCatalogRace(error: unknown): boolean {
  const code = pgCode(error);
  if (
    code === PgCode.DUPLICATE_TABLE ||
    code === PgCode.DUPLICATE_OBJECT ||
    code === PgCode.DUPLICATE_COLUMN
  ) {
    return true;
  }
  const constraint = (error as { constraint?: unknown } | null)?.constraint;
  return code === PgCode.UNIQUE_VIOLATION && typeof constraint === 'string' && constraint.startsWith('pg_');
}

/** Translates a driver error into a ParseError, keeping it as the cause. */
export function translateError(error: unknown): ParseError {
  if (error instanceof ParseError) return error;
  switch (pgCode(error)) {
    case PgCode.UNIQUE_VIOLATION:
      return new ParseError(
        ParseErrorCode.DUPLICATE_VALUE,
        'A duplicate value for a field with unique values was provided',
        { cause: error },
      );
    case PgCode.INVALID_REGULAR_EXPRESSION:
      return new ParseError(ParseErrorCode.INVALID_QUERY, 'Invalid regular expression', { cause: error });
    case PgCode.INVALID_TEXT_REPRESENTATION:
      return new ParseError(ParseErrorCode.INVALID_QUERY, 'A query value has the wrong type for its field', {
        cause: error,
      });
    default:
      return new ParseError(ParseErrorCode.INTERNAL_SERVER_ERROR, '[storage-postgres] database error', {
        cause: error,
      });
  }
}
