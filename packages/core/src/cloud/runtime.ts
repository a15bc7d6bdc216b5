import { AsyncLocalStorage } from 'node:async_hooks';
import type { JsonValue } from '../contracts/values.js';
import { isJsonObject } from '../encoding/values.js';
import { ParseError, ParseErrorCode } from '../errors.js';
import type { ClientInfo } from '../http/client-info.js';
import { type Router, splitPath } from '../http/router.js';
import type { RouteDefinition } from '../rest/routes.js';
import type { AppContext, RestRequest, RestResponse } from '../rest/types.js';
import { type Auth, MASTER_AUTH, PUBLIC_AUTH, userAuth } from '../security/auth.js';
import { resolveSession } from '../users/sessions.js';
import { installCloudApi } from './cloud-api.js';
import type { HooksController } from './hooks.js';
import { parseSdk, type SdkRequestOptions, type SdkRestController } from './parse-sdk.js';
import { ValidatorRateLimits } from './rate-limit.js';
import { CloudRegistry } from './registry.js';

/** How the runtime turns a session token into an {@link Auth}. */
export type SessionAuthenticator = (sessionToken: string, installationId: string) => Promise<Auth>;

/** What a request made from cloud code carries besides its body. */
export interface InProcessOptions {
  readonly auth: Auth;
  readonly installationId?: string;
  readonly sessionToken?: string;
  readonly context?: Record<string, JsonValue>;
}

const current = new AsyncLocalStorage<CloudRuntime>();
let loading: CloudRuntime | undefined;
/** Runtimes whose server has started with cloud code, in the order they started. */
const attached = new Set<CloudRuntime>();

/**
 * Runs `fn` as `runtime`'s code. With one runtime in the process (one server: the usual case)
 * every SDK call belongs to it, so no async context is kept: an AsyncLocalStorage in use puts
 * a hook on every promise the process makes, the database driver's included.
 */
function scoped<T>(runtime: CloudRuntime, fn: () => T): T {
  const alone = attached.size === 0 || (attached.size === 1 && attached.has(runtime));
  return alone ? fn() : current.run(runtime, fn);
}

/** The last runtime started that is still attached. */
function latest(): CloudRuntime | undefined {
  let last: CloudRuntime | undefined;
  for (const runtime of attached) last = runtime;
  return last;
}

/**
 * The runtime cloud code running now belongs to: the one whose handler is on the call stack
 * (when several servers share the process), else the one loading its cloud file, else the
 * last one started.
 * @throws {Error} when no server has a cloud runtime.
 */
export function activeRuntime(): CloudRuntime {
  const runtime = current.getStore() ?? loading ?? latest();
  if (!runtime) throw new Error('Parse.Cloud is used outside a running OpenParse server');
  return runtime;
}

/**
 * One server's Cloud Code: its registry, and the in-process route to its handlers that the
 * Parse JS SDK uses from inside cloud code (no HTTP hop).
 */
export class CloudRuntime {
  readonly registry = new CloudRegistry();
  /** The Hooks API's webhooks, set by `ParseServer`. */
  hooks: HooksController | undefined;
  /** The request counters of validators' `rateLimit`. */
  readonly limiter = new ValidatorRateLimits();
  /** How long a cloud function or trigger may run before its request fails; 0: no limit. */
  timeoutMs = 0;
  #app: AppContext | undefined;
  #router: Router<RouteDefinition> | undefined;
  #sessionAuth: SessionAuthenticator = async (sessionToken) =>
    userAuth(await resolveSession(this.app, sessionToken));

  /** Connects the runtime to its server's handlers. Called once by `ParseServer`. */
  attach(app: AppContext, router: Router<RouteDefinition>): void {
    this.#app = app;
    this.#router = router;
  }

  /** Replaces how session tokens given to the SDK (`{ sessionToken }`) are resolved. */
  setSessionAuthenticator(authenticate: SessionAuthenticator): void {
    this.#sessionAuth = authenticate;
  }

  get app(): AppContext {
    if (!this.#app) throw new Error('the cloud runtime is not attached to a server');
    return this.#app;
  }

  /** Runs `fn` as this runtime's cloud code: SDK calls inside it reach this server. */
  run<T>(fn: () => T): T {
    return scoped(this, fn);
  }

  /**
   * Runs a cloud function or trigger as this runtime's code, failing with TIMEOUT (124) after
   * {@link timeoutMs}. A handler that times out keeps running (JavaScript cannot stop it); its late
   * failure is logged, never unhandled.
   */
  async runHandler<T>(what: string, fn: () => Promise<T>): Promise<T> {
    const running = this.run(fn);
    if (this.timeoutMs <= 0) return running;
    let timer: NodeJS.Timeout | undefined;
    const expired = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new ParseError(ParseErrorCode.TIMEOUT, `${what} timed out after ${this.timeoutMs} ms`)),
        this.timeoutMs,
      );
    });
    try {
      return await Promise.race([running, expired]);
    } catch (error) {
      running.catch((late: unknown) =>
        this.app.logger.warn({ err: late }, `${what} failed after timing out`),
      );
      throw error;
    } finally {
      clearTimeout(timer);
    }
  }

  /** Makes this runtime the one `Parse.Cloud.define` and friends register into while `fn` runs. */
  async loading<T>(fn: () => Promise<T>): Promise<T> {
    const previous = loading;
    loading = this;
    try {
      return await scoped(this, fn);
    } finally {
      loading = previous;
    }
  }

  /** Sets up the global `Parse` (the SDK, wired in-process) for this server. */
  installSdk(keys: { appId: string; masterKey: string; javascriptKey?: string; serverURL: string }): void {
    const Parse = parseSdk();
    Parse.initialize(keys.appId, keys.javascriptKey, keys.masterKey);
    Parse.serverURL = keys.serverURL;
    Parse.CoreManager.setRESTController(inProcessController(Parse.CoreManager.getRESTController()));
    installCloudApi(Parse);
    (globalThis as { Parse?: unknown }).Parse = Parse;
    attached.delete(this);
    attached.add(this);
  }

  /** Forgets this runtime as a target of SDK calls. */
  detach(): void {
    attached.delete(this);
    // Back to one server: its calls need no async context, so the promise hook goes.
    if (attached.size <= 1) current.disable();
  }

  /** Resolves the SDK's request options to an {@link Auth}. */
  async authFor(options: SdkRequestOptions): Promise<Auth> {
    if (options.useMasterKey) return MASTER_AUTH;
    if (typeof options.sessionToken === 'string' && options.sessionToken !== '') {
      return this.#sessionAuth(options.sessionToken, options.installationId ?? 'cloud');
    }
    return PUBLIC_AUTH;
  }

  /**
   * Runs one REST call through the router, as the HTTP handler would after authentication.
   * @throws {ParseError} the handler's error; INVALID_JSON when nothing routes the path.
   */
  async dispatch(
    method: string,
    path: string,
    data: JsonValue | undefined,
    options: InProcessOptions,
  ): Promise<RestResponse> {
    const app = this.app;
    const router = this.#router as Router<RouteDefinition>;
    const upper = method.toUpperCase();
    const match = router.match(upper, splitPath(path));
    if (!match) throw new ParseError(ParseErrorCode.INVALID_JSON, `cannot route ${upper} ${path}`);
    if (match.value.masterOnly && !options.auth.isMaster) {
      throw new ParseError(ParseErrorCode.OPERATION_FORBIDDEN, 'unauthorized: master key is required');
    }
    const info: ClientInfo = {
      appId: app.appId,
      sessionToken: options.sessionToken,
      installationId: options.installationId,
      context: options.context ?? {},
    };
    const request: RestRequest = {
      method: upper as RestRequest['method'],
      params: match.params,
      query: upper === 'GET' && isJsonObject(data) ? { ...data } : {},
      body: upper === 'GET' ? undefined : data,
      auth: options.auth,
      info,
      storage: app.storage,
    };
    return this.run(() => match.value.handle(request, app));
  }
}

/** Strips serverURL's path (the SDK sends `/parse/classes/X` in batches) and adds a leading `/`. */
function localPath(path: string): string {
  const base = new URL(parseSdk().serverURL).pathname.replace(/\/+$/, '');
  let local = base && (path === base || path.startsWith(`${base}/`)) ? path.slice(base.length) : path;
  if (!local.startsWith('/')) local = `/${local}`;
  return local;
}

/** The RESTController the SDK uses inside cloud code: every request goes to the router directly. */
function inProcessController(fallback: SdkRestController): SdkRestController {
  const Parse = parseSdk();
  async function request(
    method: string,
    path: string,
    data: unknown,
    options: SdkRequestOptions = {},
  ): Promise<unknown> {
    const runtime = activeRuntime();
    const local = localPath(path);
    const body = (data ?? {}) as JsonValue;
    if (
      local === '/batch' &&
      isJsonObject(body) &&
      body.transaction !== true &&
      Array.isArray(body.requests)
    ) {
      // parse-server answers each sub-request with its status, which the SDK's saveAll reads.
      return Promise.all(
        body.requests.map(async (sub) => {
          if (!isJsonObject(sub) || typeof sub.method !== 'string' || typeof sub.path !== 'string') {
            return { error: { code: ParseErrorCode.INVALID_JSON, error: 'invalid batch request' } };
          }
          try {
            const answer = (await request(sub.method, sub.path, sub.body, options)) as Record<
              string,
              unknown
            >;
            const { _status, _headers, ...success } = answer;
            return options.returnStatus ? { success, _status, _headers } : { success };
          } catch (error) {
            const failure = error as { code?: number; message?: string };
            return { error: { code: failure.code, error: failure.message } };
          }
        }),
      );
    }
    try {
      const auth = await runtime.authFor(options);
      const response = await runtime.dispatch(method, local, body, {
        auth,
        installationId: options.installationId ?? 'cloud',
        sessionToken: options.sessionToken,
        context: (options.context ?? {}) as Record<string, JsonValue>,
      });
      if (!options.returnStatus) return response.body;
      return {
        ...(response.body as Record<string, unknown>),
        _status: response.status ?? 200,
        _headers: response.headers ?? {},
      };
    } catch (error) {
      if (error instanceof Parse.Error) throw error;
      const failure = error as { code?: unknown; message?: string };
      if (typeof failure.code === 'number') throw new Parse.Error(failure.code, failure.message ?? '');
      throw error;
    }
  }
  return { request, ajax: (...args) => fallback.ajax(...args), handleError: fallback.handleError };
}
