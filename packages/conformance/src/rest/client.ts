/** Where the REST suite sends its requests. */
export interface RestSuiteTarget {
  /** The API root, e.g. `http://localhost:1337/parse`. */
  readonly serverURL: string;
  readonly appId: string;
  readonly masterKey: string;
  /** Sent as `X-Parse-REST-API-Key` by client (non-master) requests when given. */
  readonly restAPIKey?: string;
  /** Sent as `_JavaScriptKey` by JS-SDK-style body requests when given. */
  readonly javascriptKey?: string;
  /** When given, `conventions.client-keys` checks that `X-Parse-Client-Key` is accepted too. */
  readonly clientKey?: string;
  /**
   * The server's limit on sub-requests in one non-master batch (parse-server's
   * `requestComplexity.batchRequestLimit`). When given, `batch.limit` checks the refusal.
   * @default undefined (no limit: parse-server 9's default)
   */
  readonly batchRequestLimit?: number;
  /** The server runs the kit's cloud file (`restSuiteCloudFile`); see also `RestSuiteOptions.cloud`. */
  readonly cloud?: boolean;
  /** The server's `webhookKey`: when given, `hooks.functions` checks the `X-Parse-Webhook-Key` it sends. */
  readonly webhookKey?: string;
}

/** One HTTP answer. */
export interface RestAnswer {
  readonly status: number;
  // biome-ignore lint/suspicious/noExplicitAny: answers are arbitrary JSON that tests index freely
  readonly body: any;
  readonly headers: Headers;
}

/** One HTTP answer, its body as bytes. */
export interface DownloadAnswer {
  readonly status: number;
  readonly body: Buffer;
  readonly headers: Headers;
}

/** How a request authenticates. */
export type Credentials = 'master' | 'client' | 'none';

/** Options of one request. */
export interface RequestOptions {
  readonly body?: unknown;
  /** Raw body, sent as is (invalid JSON, JS SDK text/plain bodies, file uploads). */
  readonly rawBody?: string | Uint8Array;
  readonly as?: Credentials;
  readonly headers?: Record<string, string>;
  /** Query string parameters; objects are JSON-encoded (as `where`). */
  readonly query?: Record<string, unknown>;
}

/** Body keys the caller set explicitly (`_ApplicationId: undefined` removes the default). */
function pick(body: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(body).filter(([key]) => key.startsWith('_')));
}

/** A small HTTP client for the Parse REST API. */
export class RestClient {
  constructor(private readonly target: () => RestSuiteTarget) {}

  get appId(): string {
    return this.target().appId;
  }

  get serverURL(): string {
    return this.target().serverURL.replace(/\/+$/, '');
  }

  get masterKey(): string {
    return this.target().masterKey;
  }

  get javascriptKey(): string | undefined {
    return this.target().javascriptKey;
  }

  /** The settings of the server under test. */
  get settings(): RestSuiteTarget {
    return this.target();
  }

  /** The mount path (`/parse`), which batch request paths start with. */
  get mountPath(): string {
    return new URL(this.serverURL).pathname.replace(/\/+$/, '');
  }

  /**
   * Sends a request the way the Parse JS SDK does: a text/plain POST whose JSON body carries
   * `_method`, `_ApplicationId`, `_JavaScriptKey`, `_ClientVersion` and any other body keys.
   */
  jsSdk(method: string, path: string, body: Record<string, unknown> = {}): Promise<RestAnswer> {
    const target = this.target();
    const keys: Record<string, unknown> = {
      _method: method,
      _ApplicationId: target.appId,
      _ClientVersion: 'js6.1.1',
    };
    if (target.javascriptKey) keys._JavaScriptKey = target.javascriptKey;
    return this.request('POST', path, {
      as: 'none',
      rawBody: JSON.stringify({ ...body, ...keys, ...pick(body) }),
      headers: { 'Content-Type': 'text/plain' },
    });
  }

  /** Sends a request to `path` under the server URL. */
  async request(method: string, path: string, options: RequestOptions = {}): Promise<RestAnswer> {
    const target = this.target();
    const headers: Record<string, string> = {};
    const as = options.as ?? 'client';
    if (as !== 'none') headers['X-Parse-Application-Id'] = target.appId;
    if (as === 'master') headers['X-Parse-Master-Key'] = target.masterKey;
    if (as === 'client' && target.restAPIKey) headers['X-Parse-REST-API-Key'] = target.restAPIKey;
    let body: string | Uint8Array | undefined = options.rawBody;
    if (body === undefined && options.body !== undefined) {
      body = JSON.stringify(options.body);
      headers['Content-Type'] = 'application/json';
    }
    Object.assign(headers, options.headers);
    let url = `${this.serverURL}${path}`;
    if (options.query) {
      const search = new URLSearchParams();
      for (const [key, value] of Object.entries(options.query)) {
        search.set(key, typeof value === 'string' ? value : JSON.stringify(value));
      }
      url += `?${search.toString()}`;
    }
    const response = await fetch(url, { method, headers, body });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = text.length > 0 ? JSON.parse(text) : undefined;
    } catch {
      parsed = text;
    }
    return { status: response.status, body: parsed, headers: response.headers };
  }

  /** Fetches an absolute URL (a file URL) without keys; the body is answered as bytes. */
  async download(url: string, headers: Record<string, string> = {}): Promise<DownloadAnswer> {
    const response = await fetch(url, { headers });
    return {
      status: response.status,
      body: Buffer.from(await response.arrayBuffer()),
      headers: response.headers,
    };
  }

  get(path: string, options?: RequestOptions): Promise<RestAnswer> {
    return this.request('GET', path, options);
  }

  post(path: string, body: unknown, options?: RequestOptions): Promise<RestAnswer> {
    return this.request('POST', path, { ...options, body });
  }

  put(path: string, body: unknown, options?: RequestOptions): Promise<RestAnswer> {
    return this.request('PUT', path, { ...options, body });
  }

  delete(path: string, options?: RequestOptions): Promise<RestAnswer> {
    return this.request('DELETE', path, options);
  }
}
