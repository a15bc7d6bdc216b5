import type { CloudOption } from '../cloud/loader.js';
import type { AnalyticsAdapter } from '../contracts/analytics-adapter.js';
import type { CacheAdapter } from '../contracts/cache-adapter.js';
import type { Logger } from '../contracts/logger.js';
import type { StorageAdapter } from '../contracts/storage-adapter.js';

/** parse-server's `installation` option: what happens to rows that lose a device token. */
export interface InstallationOptions {
  /**
   * `'delete'` removes a conflicting `_Installation` row; `'update'` only clears the field that
   * conflicts, keeping its channels and custom fields.
   * @default 'delete'
   */
  readonly duplicateDeviceTokenAction?: 'delete' | 'update';
  /** Apply the caller's ACL to that delete / update (otherwise it runs as master). @default false */
  readonly duplicateDeviceTokenActionEnforceAuth?: boolean;
  /**
   * When a token-only row and an installationId row are the same install, which survives.
   * @default 'deviceToken'
   */
  readonly duplicateDeviceTokenMergePriority?: 'deviceToken' | 'installationId';
}

/**
 * The options core understands, under parse-server's names. apps/server declares each of
 * them once (type, default, `PARSE_SERVER_*` variable, CLI flag) and builds this object.
 */
export interface ParseServerOptions {
  /** The application id every request must carry. */
  readonly appId: string;
  /** The key that bypasses ACL and CLP. */
  readonly masterKey: string;
  /**
   * IPs or CIDR ranges the master key is accepted from.
   * @default ['127.0.0.1', '::1'] (loopback only, as parse-server 9)
   */
  readonly masterKeyIps?: readonly string[];
  /** A master key that can read everything and write nothing. */
  readonly readOnlyMasterKey?: string;
  /**
   * IPs or CIDR ranges the read-only master key is accepted from.
   * @default ['0.0.0.0/0', '::0'] (anywhere, as parse-server 9)
   */
  readonly readOnlyMasterKeyIps?: readonly string[];
  /** Client keys: when one is set, requests must carry a matching one of that kind. */
  readonly clientKey?: string;
  readonly javascriptKey?: string;
  readonly restAPIKey?: string;
  readonly dotNetKey?: string;
  /** Where the data lives. */
  readonly storage: StorageAdapter;
  /** Session and role cache. @default new InMemoryCacheAdapter() */
  readonly cache?: CacheAdapter;
  /** The URL clients reach the server at (used in file URLs and links). */
  readonly serverURL?: string;
  /** The public URL, when it differs from `serverURL`. */
  readonly publicServerURL?: string;
  /**
   * The path prefix the handler strips when used with `node:http` directly. Ignored when
   * mounted in Express (which strips it itself).
   * @default '/parse'
   */
  readonly mountPath?: string;
  /** Clients may create classes by saving objects. @default false */
  readonly allowClientClassCreation?: boolean;
  /** `_User` objects are readable only by themselves and the master key. @default true */
  readonly enforcePrivateUsers?: boolean;
  /** The largest `limit` a query may ask for; larger ones are capped. @default unlimited */
  readonly maxLimit?: number;
  /** The `limit` of a query that gives none. @default 100 */
  readonly defaultLimit?: number;
  /** Largest request body, as bytes or a size string (`'20mb'`). @default '20mb' */
  readonly maxUploadSize?: string | number;
  /** `Access-Control-Allow-Origin`: one origin or a list. @default '*' */
  readonly allowOrigin?: string | readonly string[];
  /** Extra headers allowed in CORS preflight. */
  readonly allowHeaders?: readonly string[];
  /**
   * Permission errors (119, and 403 for master-key routes) answer "Permission denied" instead
   * of the reason, so clients cannot probe which classes exist; the reason is logged.
   * @default true (as parse-server 9)
   */
  readonly enableSanitizedErrorResponse?: boolean;
  /** Installation de-duplication settings. */
  readonly installation?: InstallationOptions;
  /**
   * Cloud Code: a path to a CommonJS or ES module file (`.js`, `.cjs`, `.mjs`), resolved against
   * the working directory, or a function called with the Parse JS SDK. Loaded by `start()`; a
   * file that fails to load fails the start with its file and line.
   */
  readonly cloud?: CloudOption;
  /**
   * How long (ms) a cloud function or trigger may run before its request fails with 124
   * `Timeout`. The handler itself cannot be stopped; its late result is logged. Not a
   * parse-server option (parse-server waits forever).
   * @default 0 (no limit)
   */
  readonly cloudFunctionTimeout?: number;
  /** Sent as `X-Parse-Webhook-Key` with every webhook call (Hooks API), so endpoints can check it. */
  readonly webhookKey?: string;
  /** Where `POST /events/…` go. @default a no-op that accepts every event */
  readonly analyticsAdapter?: AnalyticsAdapter;
  /** Where logs go. @default silent */
  readonly logger?: Logger;
}
