import { isParseError, ParseError, ParseErrorCode } from '../errors.js';
import type { Logger } from '../contracts/logger.js';

/**
 * What cloud code threw (or rejected with), as the error the client sees, by parse-server's rule:
 * a Parse.Error keeps its code and message; a string becomes `code` with that message; any other
 * error becomes `code` with its message, its stack logged; nothing at all becomes `code` with
 * `fallback`.
 */
export function resolveCloudError(
  thrown: unknown,
  code: ParseErrorCode,
  fallback: string,
  logger?: Logger,
): ParseError {
  if (thrown === undefined || thrown === null || thrown === false || thrown === '') {
    return new ParseError(code, fallback);
  }
  if (isParseError(thrown)) return thrown;
  if (thrown instanceof Error && typeof (thrown as { code?: unknown }).code === 'number') {
    // The SDK's Parse.Error (a different class from core's, same shape).
    return new ParseError((thrown as unknown as { code: ParseErrorCode }).code, thrown.message, {
      cause: thrown,
    });
  }
  if (typeof thrown === 'string') return new ParseError(code, thrown);
  if (thrown instanceof Error) {
    logger?.error({ err: thrown }, 'cloud code failed');
    return new ParseError(code, thrown.message || fallback, { cause: thrown });
  }
  const message = (thrown as { message?: unknown }).message;
  return new ParseError(code, typeof message === 'string' ? message : JSON.stringify(thrown));
}

/** Default codes by kind of cloud code. */
export const SCRIPT_FAILED = ParseErrorCode.SCRIPT_FAILED;
