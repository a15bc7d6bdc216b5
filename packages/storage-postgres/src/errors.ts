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
