import type { IncomingMessage } from 'node:http';
import type { Readable } from 'node:stream';
import type { CacheAdapter } from '../contracts/cache-adapter.js';
import type { FilesAdapter } from '../contracts/files-adapter.js';
import type { FileUrlSigner } from '../files/signed-url.js';
import type { StorageAdapter, StorageObjects } from '../contracts/storage-adapter.js';
import type { Logger } from '../contracts/logger.js';
import type { JsonValue } from '../contracts/values.js';
import type { AnalyticsAdapter } from '../contracts/analytics-adapter.js';
import type { CloudRuntime } from '../cloud/runtime.js';
import type { FileUrlBuilder } from '../encoding/object-encoder.js';
import type { ClientInfo } from '../http/client-info.js';
import type { RequestComplexity } from '../query/complexity.js';
import type { SchemaController } from '../schema/schema-controller.js';
import type { Auth } from '../security/auth.js';
import type { InstallationOptions } from '../server/options.js';
import type { IdempotencyGuard } from '../security/idempotency.js';
import type { compileDenylist } from '../security/keyword-denylist.js';
import type { RateLimiter } from '../security/rate-limit.js';
import type { ConfiguredAuthProvider } from '../users/auth-data.js';
import type { EmailSettings } from '../users/email.js';
import type { AccountLockout, PasswordPolicy } from '../users/policies.js';

/** What every handler can reach: the app's settings and services. */
export interface AppContext {
  readonly appId: string;
  readonly storage: StorageAdapter;
  readonly schema: SchemaController;
  readonly logger: Logger;
  readonly fileUrl: FileUrlBuilder;
  readonly allowClientClassCreation: boolean;
  readonly defaultLimit: number;
  readonly maxLimit?: number;
  /** The read-only master key may use `/aggregate` (parse-server 9's default: true). */
  readonly allowAggregationForReadOnlyMasterKey: boolean;
  /** `explain` without the master key (parse-server's `databaseOptions.allowPublicExplain`). */
  readonly allowPublicExplain: boolean;
  /** `requestComplexity`: limits for requests without the master or maintenance key. */
  readonly complexity: RequestComplexity;
  /** Path prefixes a batch request path may start with (the mount path, serverURL's path…). */
  readonly batchPathPrefixes: readonly string[];
  /** Base URL for `Location` headers. */
  readonly serverURL: string;
  /** parse-server 9's `enableSanitizedErrorResponse`: permission errors say only "Permission denied". */
  readonly sanitizeErrors: boolean;
  /** How installation de-duplication treats conflicting rows. */
  readonly installation: Required<InstallationOptions>;
  /** Sessions and roles, cached. */
  readonly cache: CacheAdapter;
  /** Users, sessions and their permissions. */
  readonly users: UserSettings;
  /** Third-party login providers by name (the `auth` option). */
  readonly authProviders: Readonly<Record<string, ConfiguredAuthProvider>>;
  /** Keys and values refused anywhere in written data (`requestKeywordDenylist`). */
  readonly keywordDenylist: ReturnType<typeof compileDenylist>;
  /** The `rateLimit` rules. */
  readonly rateLimiter: RateLimiter;
  /** `X-Parse-Request-Id` de-duplication (`idempotencyOptions`). */
  readonly idempotency: IdempotencyGuard;
  /** Files settings: the adapter (none → the files routes refuse) and the upload rules. */
  readonly files: FilesSettings;
  /** The Cloud Code runtime: functions, triggers, jobs, and the SDK wired in-process. */
  readonly cloud?: CloudRuntime;
  /** Where analytics events go. @default a no-op that accepts them */
  readonly analytics?: AnalyticsAdapter;
}

/** The user and session settings of an app (parse-server's option names). */
export interface UserSettings {
  /** Milliseconds a session lasts. */
  readonly sessionLengthMs: number;
  readonly expireInactiveSessions: boolean;
  readonly revokeSessionOnPasswordReset: boolean;
  /** New users are readable by themselves only (no public read in their default ACL). */
  readonly enforcePrivateUsers: boolean;
  /** Protected fields from the server options, per class and principal. */
  readonly protectedFields: Readonly<Record<string, Readonly<Record<string, readonly string[]>>>>;
  readonly protectedFieldsOwnerExempt: boolean;
  readonly enableAnonymousUsers: boolean;
  /** Email verification and password reset; undefined when no email adapter is configured. */
  readonly email?: EmailSettings;
  readonly passwordPolicy?: PasswordPolicy;
  readonly accountLockout?: AccountLockout;
  /** Page id → URL that replaces the built-in page (parse-server's `pages.customUrls`). */
  readonly pageUrls: Readonly<Record<string, string>>;
}

/** The files settings, resolved from `filesAdapter`, `preserveFileName`, `fileUpload`, `maxUploadSize`. */
export interface FilesSettings {
  readonly adapter?: FilesAdapter;
  readonly preserveFileName: boolean;
  readonly enableForPublic: boolean;
  readonly enableForAnonymousUser: boolean;
  readonly enableForAuthenticatedUser: boolean;
  /** Allowed extensions (`'all'` for `'*'`). */
  readonly extensions: readonly RegExp[] | 'all';
  readonly maxUploadBytes: number;
  /** `fileAccess: { mode: 'signed' }`: downloads need a signed URL (or the master key). */
  readonly signer?: FileUrlSigner;
}

/** One REST call, after routing and authentication. */
export interface RestRequest {
  readonly method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** Route parameters (`className`, `objectId`…). */
  readonly params: Readonly<Record<string, string>>;
  /** Query parameters: the query string, or the body of a `_method: GET` POST. */
  readonly query: Readonly<Record<string, JsonValue | undefined>>;
  readonly body: JsonValue | undefined;
  readonly auth: Auth;
  readonly info: ClientInfo;
  /** Where object reads and writes go: the adapter, or a transaction in a transactional batch. */
  readonly storage: StorageObjects;
  /**
   * The request itself, for routes declared `rawRequest` (files): its body has not been read,
   * so the route can stream it. Absent for every other route and inside batches.
   */
  readonly raw?: IncomingMessage;
  /** The HTTP request's headers (cloud code sees them as `request.headers`). */
  readonly headers?: Readonly<Record<string, string | string[] | undefined>>;
  /** The client's address (cloud code sees it as `request.ip`). */
  readonly ip?: string;
}

/** What a handler answers. */
export interface RestResponse {
  readonly status?: number;
  readonly body: JsonValue;
  readonly headers?: Readonly<Record<string, string>>;
  /**
   * Bytes answered instead of `body` as JSON (files): sent as is with `headers`, which then
   * carry the `Content-Type`.
   */
  readonly raw?: Buffer | Readable;
}

/** A route's handler, with an optional schema-preparation half for transactional batches. */
export interface RouteHandler {
  handle(req: RestRequest, app: AppContext): Promise<RestResponse>;
  /** Makes the schema changes `handle` would need, so they run before a transaction opens. */
  prepare?(req: RestRequest, app: AppContext): Promise<void>;
}
