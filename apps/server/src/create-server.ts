import { resolve } from 'node:path';
import {
  type FileUploadOptions,
  InMemoryCacheAdapter,
  type InstallationOptions,
  type Logger,
  ParseServer,
  type ParseServerOptions,
} from '@openparse/core';
import { loadAuthProviders } from './auth-providers.js';
import { loadEmailAdapter } from './mail/load-email-adapter.js';
import { type AppKeys, embeddedKeys } from './keys.js';
import { Listener } from './listener.js';
import { createLogger } from './logger.js';
import { ConfigError } from './options/config-error.js';
import type { ServerConfig } from './options/definitions.js';
import { selectFiles } from './files.js';
import { EMBEDDED_DIR, selectStorage } from './storage.js';

/** Where {@link createServer} runs and logs. */
export interface CreateServerOptions {
  /** The directory `.openparse/` lives in (embedded database and keys). @default process.cwd() */
  readonly cwd?: string;
  /** @default a pino logger honouring logLevel, verbose and silent */
  readonly logger?: Logger;
}

/** A server that is listening and ready. */
export interface RunningServer {
  /** The API's URL, e.g. `http://localhost:1337/parse` (serverURL when configured). */
  readonly url: string;
  /** The port actually bound (useful with `port: 0`). */
  readonly port: number;
  readonly appId: string;
  readonly masterKey: string;
  /** The kind and location of the database, password redacted. */
  readonly database: string;
  /** Where the keys came from; `'stored'` and `'generated'` keys live in .openparse/keys.json. */
  readonly keySource: AppKeys['source'];
  /**
   * Stops accepting connections, finishes in-flight requests, then closes the database and cache.
   * Safe to call more than once.
   */
  close(): Promise<void>;
}

function keysFor(config: ServerConfig, cwd: string, embedded: boolean): AppKeys {
  const { appId, masterKey } = config;
  if (appId !== undefined && masterKey !== undefined) return { appId, masterKey, source: 'configured' };
  if (!embedded) {
    // As parse-server: keys are generated only for the embedded database, which is local by nature.
    throw new ConfigError(
      `option '${appId === undefined ? 'appId' : 'masterKey'}' is required with 'databaseURI'.`,
    );
  }
  return embeddedKeys(resolve(cwd, EMBEDDED_DIR), { appId, masterKey });
}

function localURL(host: string, port: number, mountPath: string): string {
  const name = host === '0.0.0.0' || host === '::' ? 'localhost' : host.includes(':') ? `[${host}]` : host;
  return `http://${name}:${port}${mountPath}`;
}

/**
 * Starts the server a {@link ServerConfig} describes: selects the storage (embedded PGlite when
 * no databaseURI), resolves the keys, listens, then starts {@link ParseServer} and serves it.
 * `port: 0` picks a free port; read it from the result.
 * @throws {ConfigError} when the configuration cannot run (MongoDB URI, missing keys, or a value
 * core refuses), naming the option.
 */
export async function createServer(
  config: ServerConfig,
  options: CreateServerOptions = {},
): Promise<RunningServer> {
  const cwd = options.cwd ?? process.cwd();
  const logger = options.logger ?? createLogger(config);
  const selected = selectStorage(config.databaseURI, cwd);
  const keys = keysFor(config, cwd, selected.embedded);
  const files = await selectFiles(config, selected.storage, cwd, keys.appId);
  const mountPath = config.mountPath.replace(/\/+$/, '');
  const listener = new Listener(mountPath);
  const address = await listener.listen(config.port, config.host);
  const url = config.serverURL ?? localURL(config.host, address.port, mountPath);
  let parse: ParseServer;
  try {
    const auth = await loadAuthProviders(config.auth, cwd);
    const emailAdapter = await loadEmailAdapter(config.emailAdapter, cwd);
    parse = new ParseServer({
      appId: keys.appId,
      masterKey: keys.masterKey,
      masterKeyIps: config.masterKeyIps,
      readOnlyMasterKey: config.readOnlyMasterKey,
      readOnlyMasterKeyIps: config.readOnlyMasterKeyIps,
      maintenanceKey: config.maintenanceKey,
      maintenanceKeyIps: config.maintenanceKeyIps,
      clientKey: config.clientKey,
      javascriptKey: config.javascriptKey,
      restAPIKey: config.restAPIKey,
      dotNetKey: config.dotNetKey,
      storage: selected.storage,
      filesAdapter: files.adapter,
      preserveFileName: config.preserveFileName,
      // Its keys were checked against the declaration; core checks their values.
      fileUpload: config.fileUpload as FileUploadOptions,
      fileAccess: config.fileAccess as ParseServerOptions['fileAccess'],
      cache: new InMemoryCacheAdapter({ maxSize: config.cacheMaxSize, ttlMs: config.cacheTTL }),
      serverURL: url,
      publicServerURL: config.publicServerURL,
      mountPath,
      allowClientClassCreation: config.allowClientClassCreation,
      enforcePrivateUsers: config.enforcePrivateUsers,
      sessionLength: config.sessionLength,
      expireInactiveSessions: config.expireInactiveSessions,
      revokeSessionOnPasswordReset: config.revokeSessionOnPasswordReset,
      protectedFields: config.protectedFields as ParseServerOptions['protectedFields'],
      protectedFieldsOwnerExempt: config.protectedFieldsOwnerExempt,
      enableAnonymousUsers: config.enableAnonymousUsers,
      auth,
      emailAdapter,
      appName: config.appName,
      verifyUserEmails: config.verifyUserEmails,
      preventLoginWithUnverifiedEmail: config.preventLoginWithUnverifiedEmail,
      emailVerifyTokenValidityDuration: config.emailVerifyTokenValidityDuration,
      emailVerifyTokenReuseIfValid: config.emailVerifyTokenReuseIfValid,
      emailVerifySuccessOnInvalidEmail: config.emailVerifySuccessOnInvalidEmail,
      // Their keys were checked against the declarations; core checks their values.
      passwordPolicy: config.passwordPolicy as ParseServerOptions['passwordPolicy'],
      accountLockout: config.accountLockout as ParseServerOptions['accountLockout'],
      pages: config.pages as ParseServerOptions['pages'],
      customPages: config.customPages as ParseServerOptions['customPages'],
      requestKeywordDenylist: config.requestKeywordDenylist as ParseServerOptions['requestKeywordDenylist'],
      rateLimit: config.rateLimit as ParseServerOptions['rateLimit'],
      idempotencyOptions: config.idempotencyOptions as ParseServerOptions['idempotencyOptions'],
      maxLimit: config.maxLimit,
      requestComplexity: config.requestComplexity as ParseServerOptions['requestComplexity'],
      allowAggregationForReadOnlyMasterKey: config.allowAggregationForReadOnlyMasterKey,
      allowPublicExplain: (config.databaseOptions as { allowPublicExplain?: boolean } | undefined)
        ?.allowPublicExplain,
      defaultLimit: config.defaultLimit,
      maxUploadSize: config.maxUploadSize,
      allowOrigin: config.allowOrigin,
      allowHeaders: config.allowHeaders,
      // Its keys were checked against the declaration; core checks their values.
      installation: config.installation as InstallationOptions,
      enableSanitizedErrorResponse: config.enableSanitizedErrorResponse,
      cloud: config.cloud === undefined ? undefined : resolve(cwd, config.cloud),
      webhookKey: config.webhookKey,
      cloudFunctionTimeout: config.cloudFunctionTimeout,
      logger,
    });
  } catch (error) {
    await listener.close();
    // core throws TypeError/RangeError naming the option: a configuration problem here.
    if (error instanceof TypeError || error instanceof RangeError) {
      throw new ConfigError(error.message.replace(/^\[core\] ParseServer /, ''), { cause: error });
    }
    throw error;
  }
  try {
    await parse.start();
  } catch (error) {
    await listener.close();
    await parse.close().catch((closeError: unknown) => {
      logger.warn({ err: closeError }, 'closing storage after a failed start failed too');
    });
    throw error;
  }
  listener.serve(parse.handler);
  logger.info({ url, database: selected.description, files: files.description }, 'server ready');
  let closing: Promise<void> | undefined;
  return {
    url,
    port: address.port,
    appId: keys.appId,
    masterKey: keys.masterKey,
    database: selected.description,
    keySource: keys.source,
    close() {
      closing ??= listener.close().then(() => parse.close());
      return closing;
    },
  };
}
