import type { StorageAdapter, StorageObjects } from '../contracts/storage-adapter.js';
import type { Logger } from '../contracts/logger.js';
import type { JsonValue } from '../contracts/values.js';
import type { AnalyticsAdapter } from '../contracts/analytics-adapter.js';
import type { CloudRuntime } from '../cloud/runtime.js';
import type { FileUrlBuilder } from '../encoding/object-encoder.js';
import type { ClientInfo } from '../http/client-info.js';
import type { SchemaController } from '../schema/schema-controller.js';
import type { Auth } from '../security/auth.js';
import type { InstallationOptions } from '../server/options.js';

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
  /** Path prefixes a batch request path may start with (the mount path, serverURL's path…). */
  readonly batchPathPrefixes: readonly string[];
  /** Base URL for `Location` headers. */
  readonly serverURL: string;
  /** parse-server 9's `enableSanitizedErrorResponse`: permission errors say only "Permission denied". */
  readonly sanitizeErrors: boolean;
  /** How installation de-duplication treats conflicting rows. */
  readonly installation: Required<InstallationOptions>;
  /** The Cloud Code runtime: functions, triggers, jobs, and the SDK wired in-process. */
  readonly cloud?: CloudRuntime;
  /** Where analytics events go. @default a no-op that accepts them */
  readonly analytics?: AnalyticsAdapter;
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
}

/** A route's handler, with an optional schema-preparation half for transactional batches. */
export interface RouteHandler {
  handle(req: RestRequest, app: AppContext): Promise<RestResponse>;
  /** Makes the schema changes `handle` would need, so they run before a transaction opens. */
  prepare?(req: RestRequest, app: AppContext): Promise<void>;
}
