import type { CloudOption } from '../cloud/loader.js';
import type { AnalyticsAdapter } from '../contracts/analytics-adapter.js';
import type { CacheAdapter } from '../contracts/cache-adapter.js';
import type { FilesAdapter } from '../contracts/files-adapter.js';
import type { FileAccessOptions } from '../files/signed-url.js';
import type { Logger } from '../contracts/logger.js';
import type { StorageAdapter } from '../contracts/storage-adapter.js';
import type { MailAdapter } from '../contracts/mail-adapter.js';
import type { RequestComplexity } from '../query/complexity.js';
import type { IdempotencyOptions } from '../security/idempotency.js';
import type { DeniedKeyword } from '../security/keyword-denylist.js';
import type { RateLimitOptions } from '../security/rate-limit.js';
import type { AuthProvider } from '../users/auth-data.js';

/** parse-server's `passwordPolicy`. */
export interface PasswordPolicyOptions {
  /** A regular expression (or its source) new passwords must match. */
  readonly validatorPattern?: RegExp | string;
  /** A function new passwords must satisfy. */
  readonly validatorCallback?: (password: string) => boolean | Promise<boolean>;
  /** The message of a refused password. @default 'Password does not meet the Password Policy requirements.' */
  readonly validationError?: string;
  /** Refuse passwords that contain the username. @default false */
  readonly doNotAllowUsername?: boolean;
  /** Days before a password must be reset. */
  readonly maxPasswordAge?: number;
  /** How many previous passwords may not be reused (1–20). */
  readonly maxPasswordHistory?: number;
  /** Seconds a password reset link lasts. @default unlimited */
  readonly resetTokenValidityDuration?: number;
  /** A new request while a reset link is valid sends the same link. @default false */
  readonly resetTokenReuseIfValid?: boolean;
  /** Answer success to a reset request for an unknown email. @default true */
  readonly resetPasswordSuccessOnInvalidEmail?: boolean;
}

/** parse-server's `accountLockout`. */
export interface AccountLockoutOptions {
  /** Minutes an account stays locked (1–99999). */
  readonly duration: number;
  /** Failed logins that lock it (1–999). */
  readonly threshold: number;
  /** A password reset unlocks the account. @default false */
  readonly unlockOnPasswordReset?: boolean;
}

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

/** parse-server's `fileUpload` option: who may upload files, and which. The master key may always. */
export interface FileUploadOptions {
  /** Callers without a user may upload. @default false */
  readonly enableForPublic?: boolean;
  /**
   * Anonymous users may upload. Applies once users land (until then no request is an
   * anonymous user's).
   * @default false
   */
  readonly enableForAnonymousUser?: boolean;
  /** Signed-in users may upload. @default true */
  readonly enableForAuthenticatedUser?: boolean;
  /**
   * Allowed extensions: regular expressions (or plain extensions) matched against the name's
   * extension, else the content type's subtype; `'*'` allows all.
   * @default parse-server 9's list, which refuses HTML, SVG and XML-like extensions
   */
  readonly fileExtensions?: readonly string[];
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
  /**
   * A key for maintenance tools: data access like the master key (and internal fields answered),
   * but no master-only routes.
   */
  readonly maintenanceKey?: string;
  /**
   * IPs or CIDR ranges the maintenance key is accepted from.
   * @default ['127.0.0.1', '::1'] (loopback only, as parse-server 9)
   */
  readonly maintenanceKeyIps?: readonly string[];
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
  /** Seconds a session lasts. @default 31536000 (one year) */
  readonly sessionLength?: number;
  /**
   * A session in use is extended by `sessionLength` once half of it has passed; otherwise
   * sessions expire `sessionLength` after login whatever their use. @default true
   */
  readonly expireInactiveSessions?: boolean;
  /** A password change or reset deletes the user's other sessions. @default true */
  readonly revokeSessionOnPasswordReset?: boolean;
  /**
   * Fields hidden from other users, per class and principal (`*`, `authenticated`,
   * `role:Name`, `userField:field` or a user id), merged with the class's own CLP.
   * @default { _User: { '*': ['email'] } }
   */
  readonly protectedFields?: Readonly<Record<string, Readonly<Record<string, readonly string[]>>>>;
  /** A user always sees every field of their own `_User` object. @default true */
  readonly protectedFieldsOwnerExempt?: boolean;
  /** Sign-up and login with `authData.anonymous`. @default true */
  readonly enableAnonymousUsers?: boolean;
  /** Sends verification and password-reset emails. Required by `verifyUserEmails`. */
  readonly emailAdapter?: MailAdapter;
  /** The app's name in emails and pages. Required with `emailAdapter`. */
  readonly appName?: string;
  /** New email addresses get a verification email; `emailVerified` tracks the answer. @default false */
  readonly verifyUserEmails?: boolean;
  /** Seconds a verification link lasts. @default unlimited */
  readonly emailVerifyTokenValidityDuration?: number;
  /** A new verification request while a link is valid sends the same link. @default false */
  readonly emailVerifyTokenReuseIfValid?: boolean;
  /** Users with an unverified email cannot log in (and sign-up answers no session). @default false */
  readonly preventLoginWithUnverifiedEmail?: boolean;
  /** `/verificationEmailRequest` answers success for unknown or verified emails. @default true */
  readonly emailVerifySuccessOnInvalidEmail?: boolean;
  readonly passwordPolicy?: PasswordPolicyOptions;
  readonly accountLockout?: AccountLockoutOptions;
  /**
   * parse-server's legacy page URLs (`choosePassword`, `passwordResetSuccess`, `verifyEmailSuccess`,
   * `invalidLink`…); `pages.customUrls` wins where both name a page.
   */
  readonly customPages?: Readonly<Record<string, string>>;
  /** The user-facing pages: `customUrls` replaces built-in pages by id (`passwordReset`…). */
  readonly pages?: { readonly customUrls?: Readonly<Record<string, string>> };
  /**
   * Third-party login providers, as parse-server's `auth` option: per provider, `module`
   * (an adapter with `validateAuthData`) and the provider's own options (`appIds`…).
   * `github`, `facebook`, `google` and `apple` are built in (no `module`); `anonymous` is
   * always on unless `enableAnonymousUsers` is false.
   */
  readonly auth?: Readonly<
    Record<string, { readonly module?: AuthProvider; readonly [option: string]: unknown }>
  >;
  /**
   * Keys and values refused anywhere in written data (regular expressions), against prototype
   * pollution. @default [{ key: '_bsontype', value: 'Code' }, { key: 'constructor' }, { key: '__proto__' }]
   */
  readonly requestKeywordDenylist?: readonly DeniedKeyword[];
  /** Request rate limits per path, method and IP / session / user, kept in memory. */
  readonly rateLimit?: RateLimitOptions | readonly RateLimitOptions[];
  /** Refuse retried writes that carry the same `X-Parse-Request-Id`. @default disabled */
  readonly idempotencyOptions?: IdempotencyOptions;
  /** The largest `limit` a query may ask for; larger ones are capped. @default unlimited */
  readonly maxLimit?: number;
  /** Lets the read-only master key run `/aggregate`. @default true */
  readonly allowAggregationForReadOnlyMasterKey?: boolean;
  /**
   * Lets requests without the master key use `explain` (parse-server's
   * `databaseOptions.allowPublicExplain`): query plans reveal indexes and table sizes.
   * @default false
   */
  readonly allowPublicExplain?: boolean;
  /**
   * Limits on include paths, `$or` nesting, subqueries, regexes and batch size for requests
   * without the master or maintenance key (parse-server 9's `requestComplexity`; -1 = no limit).
   * @default every limit off
   */
  readonly requestComplexity?: Partial<RequestComplexity>;
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
  /**
   * Where Parse Files are stored. Without one the files routes answer an error saying so
   * (apps/server always supplies one).
   */
  readonly filesAdapter?: FilesAdapter;
  /** Store uploads under their own name, without the unique 32-hex prefix. @default false */
  readonly preserveFileName?: boolean;
  /** Who may upload files, and which. */
  readonly fileUpload?: FileUploadOptions;
  /**
   * Who may download files: `{ mode: 'signed' }` serves them only through short-lived signed URLs
   * (OpenParse's option; parse-server's files are public to anyone with the URL).
   * @default { mode: 'public' }
   */
  readonly fileAccess?: FileAccessOptions;
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
