/** How an option's value is read from a string (environment variable or flag). */
export type OptionType = 'string' | 'url' | 'boolean' | 'integer' | 'list' | 'object' | 'size';

/** One server option, declared once: validation, env/flag mapping, --help and the README derive from it. */
export interface OptionDefinition {
  /** parse-server's option name, also the config-file key and the `--flag`. */
  readonly name: string;
  readonly type: OptionType;
  /** The environment variable parse-server reads it from. */
  readonly env: string;
  readonly help: string;
  readonly default?: unknown;
  /** Only accept these values. */
  readonly choices?: readonly string[];
}

/** Every option OpenParse supports today. */
export const OPTION_DEFINITIONS: readonly OptionDefinition[] = [
  {
    name: 'appId',
    type: 'string',
    env: 'PARSE_SERVER_APPLICATION_ID',
    help: 'The application id; generated and kept in .openparse/ when not given.',
  },
  {
    name: 'masterKey',
    type: 'string',
    env: 'PARSE_SERVER_MASTER_KEY',
    help: 'The master key; generated and kept in .openparse/ when not given.',
  },
  {
    name: 'masterKeyIps',
    type: 'list',
    env: 'PARSE_SERVER_MASTER_KEY_IPS',
    default: ['127.0.0.1', '::1'],
    help: 'IPs and CIDR ranges the master key is accepted from.',
  },
  {
    name: 'readOnlyMasterKey',
    type: 'string',
    env: 'PARSE_SERVER_READ_ONLY_MASTER_KEY',
    help: 'A master key that may read everything and write nothing.',
  },
  {
    name: 'readOnlyMasterKeyIps',
    type: 'list',
    env: 'PARSE_SERVER_READ_ONLY_MASTER_KEY_IPS',
    default: ['0.0.0.0/0', '::0'],
    help: 'IPs and CIDR ranges the read-only master key is accepted from.',
  },
  {
    name: 'clientKey',
    type: 'string',
    env: 'PARSE_SERVER_CLIENT_KEY',
    help: 'Client key (iOS, macOS, tvOS SDKs); required from clients once set.',
  },
  {
    name: 'javascriptKey',
    type: 'string',
    env: 'PARSE_SERVER_JAVASCRIPT_KEY',
    help: 'JavaScript key; required from JS clients once set.',
  },
  {
    name: 'restAPIKey',
    type: 'string',
    env: 'PARSE_SERVER_REST_API_KEY',
    help: 'REST API key; required from REST clients once set.',
  },
  {
    name: 'dotNetKey',
    type: 'string',
    env: 'PARSE_SERVER_DOT_NET_KEY',
    help: '.NET key; required from .NET clients once set.',
  },
  {
    name: 'databaseURI',
    type: 'url',
    env: 'PARSE_SERVER_DATABASE_URI',
    help: 'postgres:// URL of the database; the embedded PGlite database in .openparse/db when not given.',
  },
  {
    name: 'serverURL',
    type: 'url',
    env: 'PARSE_SERVER_URL',
    help: 'The URL the server is reached at; http://localhost:<port><mountPath> when not given.',
  },
  {
    name: 'publicServerURL',
    type: 'url',
    env: 'PARSE_PUBLIC_SERVER_URL',
    help: 'The public URL, when it differs from serverURL (used in file URLs).',
  },
  {
    name: 'mountPath',
    type: 'string',
    env: 'PARSE_SERVER_MOUNT_PATH',
    default: '/parse',
    help: 'The path the API is served under.',
  },
  { name: 'port', type: 'integer', env: 'PORT', default: 1337, help: 'The port to listen on.' },
  {
    name: 'host',
    type: 'string',
    env: 'PARSE_SERVER_HOST',
    default: '0.0.0.0',
    help: 'The interface to listen on.',
  },
  {
    name: 'allowClientClassCreation',
    type: 'boolean',
    env: 'PARSE_SERVER_ALLOW_CLIENT_CLASS_CREATION',
    default: false,
    help: 'Let clients create classes by saving objects.',
  },
  {
    name: 'enforcePrivateUsers',
    type: 'boolean',
    env: 'PARSE_SERVER_ENFORCE_PRIVATE_USERS',
    default: true,
    help: '_User objects are readable only by themselves and the master key.',
  },
  {
    name: 'maxLimit',
    type: 'integer',
    env: 'PARSE_SERVER_MAX_LIMIT',
    help: 'The largest limit a query may ask for.',
  },
  {
    name: 'defaultLimit',
    type: 'integer',
    env: 'PARSE_SERVER_DEFAULT_LIMIT',
    default: 100,
    help: 'The limit of a query that gives none.',
  },
  {
    name: 'maxUploadSize',
    type: 'size',
    env: 'PARSE_SERVER_MAX_UPLOAD_SIZE',
    default: '20mb',
    help: 'The largest request body.',
  },
  {
    name: 'allowOrigin',
    type: 'list',
    env: 'PARSE_SERVER_ALLOW_ORIGIN',
    help: 'Access-Control-Allow-Origin: one origin or a list (default *).',
  },
  {
    name: 'allowHeaders',
    type: 'list',
    env: 'PARSE_SERVER_ALLOW_HEADERS',
    help: 'Extra headers allowed by CORS preflight.',
  },
  {
    name: 'installation',
    type: 'object',
    env: 'PARSE_SERVER_INSTALLATION',
    default: {},
    help: 'Installation de-duplication: duplicateDeviceTokenAction, duplicateDeviceTokenActionEnforceAuth, duplicateDeviceTokenMergePriority.',
  },
  {
    name: 'enableSanitizedErrorResponse',
    type: 'boolean',
    env: 'PARSE_SERVER_ENABLE_SANITIZED_ERROR_RESPONSE',
    default: true,
    help: 'Permission errors answer only "Permission denied"; the reason is logged.',
  },
  {
    name: 'cacheMaxSize',
    type: 'integer',
    env: 'PARSE_SERVER_CACHE_MAX_SIZE',
    default: 10000,
    help: 'Entries kept by the in-memory cache.',
  },
  {
    name: 'cacheTTL',
    type: 'integer',
    env: 'PARSE_SERVER_CACHE_TTL',
    default: 5000,
    help: 'Time to live of in-memory cache entries, in milliseconds.',
  },
  {
    name: 'logLevel',
    type: 'string',
    env: 'PARSE_SERVER_LOG_LEVEL',
    default: 'info',
    choices: ['error', 'warn', 'info', 'verbose', 'debug', 'silly'],
    help: 'The lowest level logged.',
  },
  {
    name: 'verbose',
    type: 'boolean',
    env: 'VERBOSE',
    default: false,
    help: 'Log everything (logLevel verbose).',
  },
  { name: 'silent', type: 'boolean', env: 'SILENT', default: false, help: 'Log nothing.' },
];
