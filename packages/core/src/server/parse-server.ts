import { type FileAccessOptions, FileUrlSigner } from '../files/signed-url.js';
import { resolveRequestComplexity } from '../query/complexity.js';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { InMemoryCacheAdapter } from '../cache/in-memory-cache-adapter.js';
import type { CacheAdapter } from '../contracts/cache-adapter.js';
import { loadCloud } from '../cloud/loader.js';
import { parseSdk } from '../cloud/parse-sdk.js';
import { HooksController } from '../cloud/hooks.js';
import { CloudRuntime } from '../cloud/runtime.js';
import { silentLogger } from '../contracts/logger.js';
import { parseByteSize } from '../http/body.js';
import { corsHeaders } from '../http/cors.js';
import { createRequestHandler } from '../http/handler.js';
import { buildRoutes } from '../rest/routes.js';
import { DEFAULT_FILE_EXTENSIONS } from '../files/filename.js';
import type { AppContext, FilesSettings } from '../rest/types.js';
import { SchemaController } from '../schema/schema-controller.js';
import { IdempotencyGuard } from '../security/idempotency.js';
import { compileDenylist, DEFAULT_KEYWORD_DENYLIST } from '../security/keyword-denylist.js';
import { RateLimiter } from '../security/rate-limit.js';
import { ipAllowList } from '../security/keys.js';
import type { ParseServerOptions } from './options.js';
import { authProviders, userSettings } from './user-settings.js';

/** A Node request handler; also works as Express middleware. */
export type RequestHandler = (
  req: IncomingMessage,
  res: ServerResponse,
  next?: (error?: unknown) => void,
) => void;

function requireString(options: ParseServerOptions, name: 'appId' | 'masterKey'): string {
  const value = options[name];
  if (typeof value !== 'string' || value.length === 0) {
    throw new TypeError(`[core] ParseServer option '${name}' is required and must be a non-empty string`);
  }
  return value;
}

function pathOf(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    return new URL(url).pathname.replace(/\/+$/, '');
  } catch {
    throw new TypeError(`[core] '${url}' is not a valid URL`);
  }
}

function installationSettings(options: ParseServerOptions): AppContext['installation'] {
  const given = options.installation ?? {};
  const action = given.duplicateDeviceTokenAction ?? 'delete';
  const priority = given.duplicateDeviceTokenMergePriority ?? 'deviceToken';
  if (action !== 'delete' && action !== 'update') {
    throw new TypeError(`[core] installation.duplicateDeviceTokenAction must be 'delete' or 'update'`);
  }
  if (priority !== 'deviceToken' && priority !== 'installationId') {
    throw new TypeError(
      `[core] installation.duplicateDeviceTokenMergePriority must be 'deviceToken' or 'installationId'`,
    );
  }
  const enforceAuth = given.duplicateDeviceTokenActionEnforceAuth ?? false;
  if (typeof enforceAuth !== 'boolean') {
    throw new TypeError('[core] installation.duplicateDeviceTokenActionEnforceAuth must be a boolean');
  }
  return {
    duplicateDeviceTokenAction: action,
    duplicateDeviceTokenMergePriority: priority,
    duplicateDeviceTokenActionEnforceAuth: enforceAuth,
  };
}

function booleanOption(value: unknown, name: string, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean')
    throw new TypeError(`[core] ParseServer option '${name}' must be a boolean`);
  return value;
}

function filesSettings(options: ParseServerOptions, maxUploadBytes: number): FilesSettings {
  const upload = options.fileUpload ?? {};
  const patterns = upload.fileExtensions ?? DEFAULT_FILE_EXTENSIONS;
  if (!Array.isArray(patterns) || patterns.some((pattern) => typeof pattern !== 'string')) {
    throw new TypeError(`[core] ParseServer option 'fileUpload.fileExtensions' must be a list of strings`);
  }
  const extensions = patterns.includes('*')
    ? 'all'
    : patterns.map((pattern) => {
        try {
          return new RegExp(pattern);
        } catch (cause) {
          throw new TypeError(
            `[core] ParseServer option 'fileUpload.fileExtensions' holds an invalid pattern '${pattern}'`,
            { cause },
          );
        }
      });
  const adapter = options.filesAdapter;
  if (adapter !== undefined && (typeof adapter !== 'object' || typeof adapter.createFile !== 'function')) {
    throw new TypeError(`[core] ParseServer option 'filesAdapter' must be a FilesAdapter`);
  }
  return {
    ...(adapter && { adapter }),
    preserveFileName: booleanOption(options.preserveFileName, 'preserveFileName', false),
    enableForPublic: booleanOption(upload.enableForPublic, 'fileUpload.enableForPublic', false),
    enableForAnonymousUser: booleanOption(
      upload.enableForAnonymousUser,
      'fileUpload.enableForAnonymousUser',
      false,
    ),
    enableForAuthenticatedUser: booleanOption(
      upload.enableForAuthenticatedUser,
      'fileUpload.enableForAuthenticatedUser',
      true,
    ),
    extensions,
    maxUploadBytes,
  };
}

/** The signer of `fileAccess: { mode: 'signed' }`, or undefined for public files. */
function fileAccessSigner(
  access: FileAccessOptions | undefined,
  masterKey: string,
): FileUrlSigner | undefined {
  if (access === undefined) return undefined;
  if (typeof access !== 'object' || access === null) {
    throw new TypeError(`[core] ParseServer option 'fileAccess' must be an object`);
  }
  const mode = access.mode ?? 'public';
  if (mode !== 'public' && mode !== 'signed') {
    throw new TypeError(`[core] ParseServer option 'fileAccess.mode' must be 'public' or 'signed'`);
  }
  return mode === 'signed' ? new FileUrlSigner(access, masterKey) : undefined;
}

/**
 * A Parse server: the REST API over the storage adapter it is given.
 *
 * @example
 * const server = new ParseServer({ appId, masterKey, storage: new PostgresStorageAdapter({ uri }) });
 * await server.start();
 * http.createServer(server.handler).listen(1337); // serves /parse
 */
export class ParseServer {
  /** The request handler: pass it to `http.createServer` or mount it in Express. */
  readonly handler: RequestHandler;
  readonly #options: ParseServerOptions;
  readonly #cache: CacheAdapter;
  readonly #schema: SchemaController;
  readonly #cloud = new CloudRuntime();
  readonly #serverURL: string;
  #started = false;

  /** @throws {TypeError} / {RangeError} on invalid options, naming the option. */
  constructor(options: ParseServerOptions) {
    const appId = requireString(options, 'appId');
    const masterKey = requireString(options, 'masterKey');
    if (!options.storage) throw new TypeError("[core] ParseServer option 'storage' is required");
    const mountPath = (options.mountPath ?? '/parse').replace(/\/+$/, '');
    if (mountPath !== '' && !mountPath.startsWith('/')) {
      throw new TypeError(
        `[core] ParseServer option 'mountPath' must start with '/', got '${options.mountPath}'`,
      );
    }
    const defaultLimit = options.defaultLimit ?? 100;
    if (!Number.isInteger(defaultLimit) || defaultLimit < 1) {
      throw new RangeError(`[core] ParseServer option 'defaultLimit' must be a positive integer`);
    }
    if (options.maxLimit !== undefined && (!Number.isInteger(options.maxLimit) || options.maxLimit < 1)) {
      throw new RangeError(`[core] ParseServer option 'maxLimit' must be a positive integer`);
    }
    if (options.allowPublicExplain !== undefined && typeof options.allowPublicExplain !== 'boolean') {
      throw new TypeError(`[core] ParseServer option 'allowPublicExplain' must be a boolean`);
    }
    const serverURL = (options.serverURL ?? `http://localhost:1337${mountPath}`).replace(/\/+$/, '');
    const publicURL = (options.publicServerURL ?? serverURL).replace(/\/+$/, '');
    this.#options = options;
    this.#cache = options.cache ?? new InMemoryCacheAdapter();
    this.#schema = new SchemaController(options.storage);
    const logger = options.logger ?? silentLogger;
    const prefixes = [mountPath, pathOf(serverURL), pathOf(options.publicServerURL)].filter(
      (prefix): prefix is string => prefix !== undefined,
    );
    const maxBodyBytes = parseByteSize(options.maxUploadSize ?? '20mb');
    const files = filesSettings(options, maxBodyBytes);
    const plainFileUrl = (name: string) =>
      `${publicURL}/files/${encodeURIComponent(appId)}/${encodeURIComponent(name)}`;
    const signer = fileAccessSigner(options.fileAccess, masterKey);
    const serverFileUrl = signer
      ? (name: string) => signer.sign(plainFileUrl(name), appId, name)
      : plainFileUrl;
    const direct = files.adapter?.capabilities.directAccess ? files.adapter : undefined;
    const app: AppContext = {
      appId,
      storage: options.storage,
      schema: this.#schema,
      logger,
      fileUrl: direct?.getFileLocation
        ? (name) => direct.getFileLocation?.(name, serverFileUrl(name)) ?? serverFileUrl(name)
        : serverFileUrl,
      allowClientClassCreation: options.allowClientClassCreation ?? false,
      defaultLimit,
      maxLimit: options.maxLimit,
      complexity: resolveRequestComplexity(options.requestComplexity),
      allowPublicExplain: options.allowPublicExplain ?? false,
      allowAggregationForReadOnlyMasterKey: booleanOption(
        options.allowAggregationForReadOnlyMasterKey,
        'allowAggregationForReadOnlyMasterKey',
        true,
      ),
      batchPathPrefixes: [...new Set(prefixes)],
      serverURL,
      installation: installationSettings(options),
      sanitizeErrors: options.enableSanitizedErrorResponse ?? true,
      cache: this.#cache,
      users: userSettings(options, publicURL),
      authProviders: authProviders(options),
      keywordDenylist: compileDenylist(options.requestKeywordDenylist ?? DEFAULT_KEYWORD_DENYLIST),
      rateLimiter: new RateLimiter(
        options.rateLimit === undefined
          ? []
          : Array.isArray(options.rateLimit)
            ? options.rateLimit
            : [options.rateLimit],
      ),
      idempotency: new IdempotencyGuard(options.idempotencyOptions),
      files: signer ? { ...files, signer } : files,
      cloud: this.#cloud,
      analytics: options.analyticsAdapter,
    };
    const router = buildRoutes();
    this.#cloud.attach(app, router);
    this.#cloud.hooks = new HooksController(app, options.webhookKey);
    const timeout = options.cloudFunctionTimeout ?? 0;
    if (!Number.isInteger(timeout) || timeout < 0) {
      throw new RangeError(`[core] ParseServer option 'cloudFunctionTimeout' must be an integer >= 0`);
    }
    this.#cloud.timeoutMs = timeout;
    this.#serverURL = serverURL;
    const cloud = options.cloud;
    if (cloud !== undefined && typeof cloud !== 'string' && typeof cloud !== 'function') {
      throw new TypeError(`[core] ParseServer option 'cloud' must be a file path or a function`);
    }
    this.handler = createRequestHandler({
      app,
      router,
      keys: {
        appId,
        masterKey,
        readOnlyMasterKey: options.readOnlyMasterKey,
        clientKey: options.clientKey,
        javascriptKey: options.javascriptKey,
        restAPIKey: options.restAPIKey,
        dotNetKey: options.dotNetKey,
        masterKeyIps: ipAllowList(options.masterKeyIps ?? ['127.0.0.1', '::1']),
        readOnlyMasterKeyIps: ipAllowList(options.readOnlyMasterKeyIps ?? ['0.0.0.0/0', '::0']),
        maintenanceKey: options.maintenanceKey,
        maintenanceKeyIps: ipAllowList(options.maintenanceKeyIps ?? ['127.0.0.1', '::1']),
      },
      mountPath,
      maxBodyBytes,
      cors: corsHeaders({ allowOrigin: options.allowOrigin, allowHeaders: options.allowHeaders }),
      logger,
    });
  }

  /** Connects storage and loads the schema. Call once before serving. */
  async start(): Promise<void> {
    if (this.#started) return;
    await this.#options.storage.connect();
    await this.#options.filesAdapter?.connect?.();
    await this.#schema.all();
    const cloud = this.#options.cloud;
    if (cloud !== undefined) {
      this.#cloud.installSdk({
        appId: this.#options.appId,
        masterKey: this.#options.masterKey,
        javascriptKey: this.#options.javascriptKey,
        serverURL: this.#serverURL,
      });
      await this.#cloud.loading(() => loadCloud(cloud, parseSdk()));
    }
    // Stored webhooks override cloud code of the same name, as in parse-server.
    await this.#cloud.hooks?.load();
    this.#started = true;
  }

  /** Closes storage, the files adapter and the cache. */
  async close(): Promise<void> {
    this.#cloud.detach();
    await this.#options.storage.close();
    await this.#options.filesAdapter?.close?.();
    await this.#cache.close?.();
    this.#started = false;
  }
}
