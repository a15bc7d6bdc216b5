import { type ParseError, ParseErrorCode } from '../errors.js';
import type { AppContext } from '../rest/types.js';

/** The message clients see for permission errors when errors are sanitized. */
export const PERMISSION_DENIED = 'Permission denied';

/**
 * The `{ code, error }` body a client sees. With sanitized errors (parse-server 9's default),
 * 119 keeps its code but says only "Permission denied"; the reason goes to the log.
 */
export function publicError(error: ParseError, app: AppContext): { code: ParseErrorCode; error: string } {
  if (app.sanitizeErrors && error.code === ParseErrorCode.OPERATION_FORBIDDEN && !error.exposed) {
    app.logger.debug({ reason: error.message }, 'permission denied');
    return { code: error.code, error: PERMISSION_DENIED };
  }
  return error.toJSON();
}
