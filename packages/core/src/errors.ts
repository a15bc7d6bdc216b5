/**
 * Every error code a Parse server can answer with, by name.
 *
 * Codes come from the Parse error table (REST API guide, "Error Codes") and the names
 * the Parse JS SDK gives them (`Parse.Error.OBJECT_NOT_FOUND`…). Several names share a
 * code where the table does. Codes are stable: never renumber or reuse one.
 */
export const ParseErrorCode = {
  OTHER_CAUSE: -1,
  INTERNAL_SERVER_ERROR: 1,
  SERVICE_UNAVAILABLE: 2,
  CLIENT_DISCONNECTED: 4,
  CONNECTION_FAILED: 100,
  OBJECT_NOT_FOUND: 101,
  INVALID_QUERY: 102,
  INVALID_CLASS_NAME: 103,
  MISSING_OBJECT_ID: 104,
  INVALID_KEY_NAME: 105,
  INVALID_POINTER: 106,
  INVALID_JSON: 107,
  COMMAND_UNAVAILABLE: 108,
  NOT_INITIALIZED: 109,
  INCORRECT_TYPE: 111,
  INVALID_CHANNEL_NAME: 112,
  INVALID_SUBSCRIPTION_TYPE: 113,
  INVALID_DEVICE_TOKEN: 114,
  PUSH_MISCONFIGURED: 115,
  OBJECT_TOO_LARGE: 116,
  EXCEEDED_CONFIG_PARAMS: 116,
  INVALID_LIMIT: 117,
  INVALID_SKIP: 118,
  OPERATION_FORBIDDEN: 119,
  CACHE_MISS: 120,
  INVALID_NESTED_KEY: 121,
  INVALID_FILE_NAME: 122,
  INVALID_ACL: 123,
  TIMEOUT: 124,
  INVALID_EMAIL_ADDRESS: 125,
  MISSING_CONTENT_TYPE: 126,
  MISSING_CONTENT_LENGTH: 127,
  INVALID_CONTENT_LENGTH: 128,
  FILE_TOO_LARGE: 129,
  FILE_SAVE_ERROR: 130,
  FILE_DELETE_FAILED: 131,
  INVALID_INSTALLATION_ID: 132,
  INVALID_DEVICE_TYPE: 133,
  INVALID_CHANNELS_ARRAY: 134,
  MISSING_REQUIRED_FIELD_ERROR: 135,
  CHANGED_IMMUTABLE_FIELD_ERROR: 136,
  DUPLICATE_VALUE: 137,
  INVALID_EXPIRATION_ERROR: 138,
  INVALID_ROLE_NAME: 139,
  RESERVED_VALUE: 139,
  EXCEEDED_QUOTA: 140,
  SCRIPT_FAILED: 141,
  VALIDATION_ERROR: 142,
  WEBHOOK_ERROR: 143,
  RECEIPT_MISSING: 143,
  INVALID_PURCHASE_RECEIPT: 144,
  PAYMENT_DISABLED: 145,
  INVALID_PRODUCT_IDENTIFIER: 146,
  PRODUCT_NOT_FOUND_IN_APP_STORE: 147,
  INVALID_SERVER_RESPONSE: 148,
  PRODUCT_DOWNLOAD_FILE_SYSTEM_FAILURE: 149,
  INVALID_IMAGE_DATA: 150,
  UNSAVED_FILE_ERROR: 151,
  INVALID_PUSH_TIME_ERROR: 152,
  FILE_DELETE_ERROR: 153,
  INEFFICIENT_QUERY_ERROR: 154,
  REQUEST_LIMIT_EXCEEDED: 155,
  MISSING_PUSH_ID_ERROR: 156,
  MISSING_DEVICE_TYPE_ERROR: 157,
  HOSTING_ERROR: 158,
  DUPLICATE_REQUEST: 159,
  TEMPORARY_REJECTION_ERROR: 159,
  INVALID_EVENT_NAME: 160,
  FILE_DELETE_UNKNOWN_ERROR: 161,
  INVALID_VALUE: 162,
  USERNAME_MISSING: 200,
  PASSWORD_MISSING: 201,
  USERNAME_TAKEN: 202,
  EMAIL_TAKEN: 203,
  EMAIL_MISSING: 204,
  EMAIL_NOT_FOUND: 205,
  SESSION_MISSING: 206,
  MUST_CREATE_USER_THROUGH_SIGNUP: 207,
  ACCOUNT_ALREADY_LINKED: 208,
  INVALID_SESSION_TOKEN: 209,
  MFA_ERROR: 210,
  MFA_TOKEN_REQUIRED: 211,
  LINKED_ID_MISSING: 250,
  INVALID_LINKED_SESSION: 251,
  UNSUPPORTED_SERVICE: 252,
  INVALID_AUTH_DATA: 253,
  INVALID_SCHEMA_OPERATION: 255,
  APP_NAME_INVALID: 256,
  DATABASE_NOT_MIGRATED: 428,
  AGGREGATE_ERROR: 600,
  FILE_READ_ERROR: 601,
  X_DOMAIN_REQUEST: 602,
  MISSING_API_KEY: 902,
  INVALID_API_KEY: 903,
  LINKING_NOT_SUPPORTED: 999,
} as const;

/** A numeric Parse error code (a value of {@link ParseErrorCode}). */
export type ParseErrorCode = (typeof ParseErrorCode)[keyof typeof ParseErrorCode];

/**
 * An error a client may see: a Parse error code and a message.
 *
 * Serialises as `{ code, error }`, the body every Parse SDK parses. The HTTP layer alone
 * maps it to a status (parse-server's mapping: 101 → 404, 1 → 500, anything else → 400).
 * Wrap a driver error by passing it as `cause`; it is logged, never sent to the client.
 *
 * @example
 * throw new ParseError(ParseErrorCode.INVALID_CLASS_NAME, `Invalid class name: ${name}`);
 */
export class ParseError extends Error {
  override readonly name = 'ParseError';
  readonly code: ParseErrorCode;
  /**
   * A 119 whose message is answered even when permission errors are sanitized
   * (`enableSanitizedErrorResponse`), because parse-server answers it as is.
   */
  readonly exposed: boolean;

  constructor(code: ParseErrorCode, message: string, options?: { cause?: unknown; exposed?: boolean }) {
    super(message, options);
    this.code = code;
    this.exposed = options?.exposed ?? false;
  }

  toJSON(): { code: ParseErrorCode; error: string } {
    return { code: this.code, error: this.message };
  }
}

/** True when `value` is a {@link ParseError} (also across package copies, by shape). */
export function isParseError(value: unknown): value is ParseError {
  return (
    value instanceof ParseError ||
    (value instanceof Error &&
      value.name === 'ParseError' &&
      typeof (value as { code?: unknown }).code === 'number')
  );
}
