export * from './errors.js';
export * from './contracts/values.js';
export * from './contracts/storage-adapter.js';
export * from './contracts/cache-adapter.js';
export * from './contracts/files-adapter.js';
export { InMemoryFilesAdapter } from './files/in-memory-files-adapter.js';
export { DEFAULT_FILE_EXTENSIONS } from './files/filename.js';
export * from './contracts/logger.js';
export * from './contracts/analytics-adapter.js';
export * from './schema/types.js';
export * from './query/types.js';
export * from './query/pipeline-types.js';
export * from './cache/in-memory-cache-adapter.js';
export * from './server/options.js';
export * from './server/parse-server.js';
export * from './schema/system-classes.js';
export * from './schema/names.js';
export * from './encoding/acl.js';
export { PARSE_SERVER_COMPATIBILITY } from './rest/server-info.js';
export type { Auth } from './security/auth.js';
export { compareObjects, matches } from './query/matcher.js';
export { angularDistance, EARTH_RADIUS_KILOMETERS, EARTH_RADIUS_MILES } from './query/geo.js';
export { parseWhere } from './query/where-parser.js';
export { unquoteRegex } from './query/regex.js';
export type { AuthProvider } from './users/auth-data.js';
export * from './contracts/mail-adapter.js';
export type { DeniedKeyword } from './security/keyword-denylist.js';
export type { RateLimitOptions } from './security/rate-limit.js';
export type { IdempotencyOptions } from './security/idempotency.js';
export type { RequestComplexity } from './query/complexity.js';
export {
  isParseServerFilesAdapter,
  type ParseServerFilesAdapter,
  ParseServerFilesAdapterBridge,
} from './files/parse-server-files-adapter.js';
export type { FileAccessOptions } from './files/signed-url.js';
export type { CloudOption } from './cloud/loader.js';
export { parseUtcTimestamp, StoredDate } from './encoding/stored-date.js';
