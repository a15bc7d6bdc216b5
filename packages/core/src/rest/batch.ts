import type { StorageObjects } from '../contracts/storage-adapter.js';
import type { JsonValue } from '../contracts/values.js';
import { isJsonObject, type JsonObject } from '../encoding/values.js';
import { isParseError, ParseError, ParseErrorCode } from '../errors.js';
import { publicError } from '../http/errors.js';
import { type Router, splitPath } from '../http/router.js';
import { BulkCreates } from './bulk-create.js';
import type { RouteDefinition } from './routes.js';
import type { AppContext, RestRequest, RestResponse } from './types.js';

const METHODS = new Set(['GET', 'POST', 'PUT', 'DELETE']);

interface BatchItem {
  readonly request: RestRequest;
  readonly route: RouteDefinition;
  /** `POST /classes/:className`: creates a new object, independent of the other requests. */
  readonly creates: boolean;
}

function invalid(message: string): ParseError {
  return new ParseError(ParseErrorCode.INVALID_JSON, message);
}

/** Strips the first matching prefix (`/parse`, serverURL's path…) from a batch path. */
function routePath(path: string, prefixes: readonly string[]): string {
  for (const prefix of prefixes) {
    if (prefix === '' || prefix === '/') return path;
    if (path === prefix || path.startsWith(`${prefix}/`)) return path.slice(prefix.length);
  }
  throw invalid(`cannot route batch path ${path}`);
}

function buildItem(
  raw: JsonValue,
  parent: RestRequest,
  app: AppContext,
  router: Router<RouteDefinition>,
): BatchItem {
  if (!isJsonObject(raw) || typeof raw.path !== 'string')
    throw invalid('batch request path must be a string');
  if (typeof raw.method !== 'string') throw invalid('batch request method must be a string');
  const method = raw.method.toUpperCase();
  const [pathname = '', search = ''] = routePath(raw.path, app.batchPathPrefixes).split('?');
  const segments = splitPath(pathname);
  if (segments[0] === 'batch') throw invalid('nested batch requests are not allowed');
  const match = METHODS.has(method) ? router.match(method, segments) : undefined;
  // Files routes read the request itself (its stream, its headers): they cannot run in a batch.
  if (!match || match.value.rawRequest) throw invalid(`cannot route ${method} ${pathname}`);
  if (match.value.masterOnly && (!parent.auth.isMaster || parent.auth.isMaintenance)) {
    throw new ParseError(ParseErrorCode.OPERATION_FORBIDDEN, 'unauthorized: master key is required');
  }
  // Rate limits count each request of a batch, so a batch cannot carry more than a limit allows.
  if (!app.rateLimiter.empty) {
    app.rateLimiter.check({
      path: pathname,
      method,
      ip: parent.info.ip ?? '',
      auth: parent.auth,
      sessionToken: parent.info.sessionToken,
    });
  }
  const body = raw.body === undefined ? undefined : raw.body;
  let query: Record<string, JsonValue | undefined> = Object.fromEntries(new URLSearchParams(search));
  if (method === 'GET' && isJsonObject(body)) query = { ...query, ...body };
  return {
    route: match.value,
    creates: method === 'POST' && segments.length === 2 && segments[0] === 'classes',
    request: {
      ...parent,
      method: method as RestRequest['method'],
      params: match.params,
      query,
      body: method === 'GET' ? undefined : body,
    },
  };
}

function errorJson(error: unknown, app: AppContext): JsonObject {
  if (isParseError(error)) return publicError(error, app);
  return { code: ParseErrorCode.INTERNAL_SERVER_ERROR, error: 'Internal server error.' };
}

/**
 * `POST /batch`: runs each request in order and answers one `{success}` or `{error}` per
 * request. With `transaction: true`, schema changes are made first, then every request
 * runs in one storage transaction: all are written or none.
 */
export async function runBatch(
  req: RestRequest,
  app: AppContext,
  router: Router<RouteDefinition>,
): Promise<RestResponse> {
  const body = req.body;
  if (!isJsonObject(body) || !Array.isArray(body.requests)) throw invalid('requests must be an array');
  const limit = app.complexity.batchRequestLimit;
  if (limit !== -1 && body.requests.length > limit && !req.auth.isMaster && !req.auth.isMaintenance) {
    throw new ParseError(
      ParseErrorCode.INVALID_JSON,
      `Batch request contains ${body.requests.length} sub-requests, which exceeds the limit of ${limit}.`,
    );
  }
  const items = body.requests.map((raw) => buildItem(raw, req, app, router));
  if (body.transaction === true) return runTransaction(items, app);
  const results: JsonValue[] = [];
  let index = 0;
  while (index < items.length) {
    let end = index;
    while (end < items.length && items[end]?.creates) end += 1;
    if (end - index > 1 && req.storage.createObjects) {
      // A run of creates: they run together and are inserted with one statement per class.
      const bulk = new BulkCreates(req.storage as BulkStorage, end - index);
      const answers = items.slice(index, end).map((item) => {
        const { storage, settle } = bulk.participant();
        return runItem({ ...item, request: { ...item.request, storage } }, app).finally(settle);
      });
      results.push(...(await Promise.all(answers)));
      index = end;
    } else {
      results.push(await runItem(items[index] as BatchItem, app));
      index += 1;
    }
  }
  return { body: results };
}

type BulkStorage = ConstructorParameters<typeof BulkCreates>[0];

async function runItem(item: BatchItem, app: AppContext): Promise<JsonValue> {
  try {
    const response = await item.route.handle(item.request, app);
    return { success: response.body };
  } catch (error) {
    if (!isParseError(error)) app.logger.error({ err: error }, 'batch request failed');
    return { error: errorJson(error, app) };
  }
}

async function runTransaction(items: readonly BatchItem[], app: AppContext): Promise<RestResponse> {
  if (!app.storage.capabilities.transactions) {
    throw new ParseError(
      ParseErrorCode.COMMAND_UNAVAILABLE,
      'This storage adapter does not support transactions.',
    );
  }
  for (const item of items) await item.route.prepare?.(item.request, app);
  const results = await app.storage.transaction(async (tx: StorageObjects) => {
    const answered: JsonValue[] = [];
    for (const item of items) {
      const response = await item.route.handle({ ...item.request, storage: tx }, app);
      answered.push({ success: response.body });
    }
    return answered;
  });
  return { body: results };
}
