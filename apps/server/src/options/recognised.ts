import type { OptionDefinition, OptionType, OptionValueTypes } from './types.js';

function notYet(
  name: string,
  type: OptionType,
  env: string,
  help: string,
  fallback?: OptionValueTypes[OptionType],
): OptionDefinition {
  return fallback === undefined
    ? { name, type, env, help, status: 'not-yet' }
    : { name, type, env, help, status: 'not-yet', default: fallback };
}

/**
 * parse-server's options that OpenParse recognises but does not honour yet. Giving one (in the
 * config file, its variable or its flag) fails at start naming it, rather than being ignored.
 */
// biome-ignore format: a table, one option per line
export const RECOGNISED_OPTIONS: readonly OptionDefinition[] = [
  notYet('allowCustomObjectId', 'boolean', 'PARSE_SERVER_ALLOW_CUSTOM_OBJECT_ID', 'Clients choose objectIds.', false),
  notYet('allowExpiredAuthDataToken', 'boolean', 'PARSE_SERVER_ALLOW_EXPIRED_AUTH_DATA_TOKEN', 'Log in with an expired third-party token.', false),
  notYet('analyticsAdapter', 'module', 'PARSE_SERVER_ANALYTICS_ADAPTER', 'Where analytics events go.'),
  notYet('cacheAdapter', 'module', 'PARSE_SERVER_CACHE_ADAPTER', 'A custom cache (Redis comes later).'),
  notYet('collectionPrefix', 'string', 'PARSE_SERVER_COLLECTION_PREFIX', 'A prefix for every table name.'),
  notYet('convertEmailToLowercase', 'boolean', 'PARSE_SERVER_CONVERT_EMAIL_TO_LOWERCASE', 'Store emails in lowercase.', false),
  notYet('convertUsernameToLowercase', 'boolean', 'PARSE_SERVER_CONVERT_USERNAME_TO_LOWERCASE', 'Store usernames in lowercase.', false),
  notYet('databaseAdapter', 'module', 'PARSE_SERVER_DATABASE_ADAPTER', 'A storage adapter instead of databaseURI.'),
  notYet('directAccess', 'boolean', 'PARSE_SERVER_DIRECT_ACCESS', 'Cloud Code calls the server in-process.'),
  notYet('enableCollationCaseComparison', 'boolean', 'PARSE_SERVER_ENABLE_COLLATION_CASE_COMPARISON', 'Case-insensitive comparisons by collation.', false),
  notYet('enableExpressErrorHandler', 'boolean', 'PARSE_SERVER_ENABLE_EXPRESS_ERROR_HANDLER', 'Pass errors on to Express.', false),
  notYet('enableInsecureAuthAdapters', 'boolean', 'PARSE_SERVER_ENABLE_INSECURE_AUTH_ADAPTERS', 'Allow legacy insecure auth adapters.', false),
  notYet('enableProductPurchaseLegacyApi', 'boolean', 'PARSE_SERVER_ENABLE_PRODUCT_PURCHASE_LEGACY_API', 'The legacy in-app purchase routes.'),
  notYet('extendSessionOnUse', 'boolean', 'PARSE_SERVER_EXTEND_SESSION_ON_USE', 'Using a session extends it.', false),
  notYet('fileDownload', 'object', 'PARSE_SERVER_FILE_DOWNLOAD_OPTIONS', 'Who may download files.'),
  notYet('fileKey', 'string', 'PARSE_SERVER_FILE_KEY', 'The key of files migrated from parse.com.'),
  notYet('graphQLPath', 'string', 'PARSE_SERVER_GRAPHQL_PATH', 'Where the GraphQL API is served.', '/graphql'),
  notYet('graphQLPublicIntrospection', 'boolean', 'PARSE_SERVER_GRAPHQL_PUBLIC_INTROSPECTION', 'GraphQL introspection without keys.'),
  notYet('graphQLSchema', 'string', 'PARSE_SERVER_GRAPH_QLSCHEMA', 'Extra GraphQL type definitions.'),
  notYet('jsonLogs', 'boolean', 'JSON_LOGS', 'Console logs as JSON (ours always are).'),
  notYet('liveQuery', 'object', 'PARSE_SERVER_LIVE_QUERY', 'LiveQuery classes and pub/sub.'),
  notYet('liveQueryServerOptions', 'object', 'PARSE_SERVER_LIVE_QUERY_SERVER_OPTIONS', 'The LiveQuery server.'),
  notYet('loggerAdapter', 'module', 'PARSE_SERVER_LOGGER_ADAPTER', 'A custom log transport.'),
  notYet('logLevels', 'object', 'PARSE_SERVER_LOG_LEVELS', 'Log levels of trigger and function events.'),
  notYet('logsFolder', 'string', 'PARSE_SERVER_LOGS_FOLDER', 'Where log files are written.', './logs'),
  notYet('masterKeyTtl', 'integer', 'PARSE_SERVER_MASTER_KEY_TTL', 'Seconds a computed master key is kept.'),
  notYet('maxLogFiles', 'string', 'PARSE_SERVER_MAX_LOG_FILES', 'How many log files are kept.'),
  notYet('middleware', 'module', 'PARSE_SERVER_MIDDLEWARE', 'Express middleware run before the API.'),
  notYet('mountGraphQL', 'boolean', 'PARSE_SERVER_MOUNT_GRAPHQL', 'Serve the GraphQL API.', false),
  notYet('mountPlayground', 'boolean', 'PARSE_SERVER_MOUNT_PLAYGROUND', 'Serve the GraphQL playground.', false),
  notYet('objectIdSize', 'integer', 'PARSE_SERVER_OBJECT_ID_SIZE', 'Length of generated objectIds.', 10),
  notYet('playgroundPath', 'string', 'PARSE_SERVER_PLAYGROUND_PATH', 'Where the GraphQL playground is served.'),
  notYet('preventSignupWithUnverifiedEmail', 'boolean', 'PARSE_SERVER_PREVENT_SIGNUP_WITH_UNVERIFIED_EMAIL', 'Sign-up returns no session until verified.', false),
  notYet('protectedFieldsSaveResponseExempt', 'boolean', 'PARSE_SERVER_PROTECTED_FIELDS_SAVE_RESPONSE_EXEMPT', 'Save responses are not filtered.'),
  notYet('protectedFieldsTriggerExempt', 'boolean', 'PARSE_SERVER_PROTECTED_FIELDS_TRIGGER_EXEMPT', 'Triggers see protected fields.'),
  notYet('push', 'object', 'PARSE_SERVER_PUSH', 'Push notification providers.'),
  notYet('query', 'object', 'PARSE_SERVER_QUERY', 'Query behaviour settings.'),
  notYet('requestContextMiddleware', 'module', 'PARSE_SERVER_REQUEST_CONTEXT_MIDDLEWARE', 'Adds context to each request.'),
  notYet('routeAllowList', 'list', 'PARSE_SERVER_ROUTE_ALLOW_LIST', 'Routes clients may call without the master key.'),
  notYet('scheduledPush', 'boolean', 'PARSE_SERVER_SCHEDULED_PUSH', 'Allow scheduled pushes.', false),
  notYet('schema', 'object', 'PARSE_SERVER_SCHEMA', 'Classes defined and migrated at start.'),
  notYet('security', 'object', 'PARSE_SERVER_SECURITY', 'The security checks.'),
  notYet('sendUserEmailVerification', 'boolean', 'PARSE_SERVER_SEND_USER_EMAIL_VERIFICATION', 'Send the verification email.', true),
  notYet('serverCloseComplete', 'module', 'PARSE_SERVER_SERVER_CLOSE_COMPLETE', 'Called once the server has closed.'),
  notYet('startLiveQueryServer', 'boolean', 'PARSE_SERVER_START_LIVE_QUERY_SERVER', 'Start the LiveQuery server too.'),
  notYet('trustProxy', 'object', 'PARSE_SERVER_TRUST_PROXY', 'Which proxies to trust for client IPs.'),
  notYet('userSensitiveFields', 'list', 'PARSE_SERVER_USER_SENSITIVE_FIELDS', '_User fields hidden from others.'),
  notYet('verifyServerUrl', 'boolean', 'PARSE_SERVER_VERIFY_SERVER_URL', 'Check serverURL answers at start.'),
];
