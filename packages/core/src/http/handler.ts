import type { IncomingMessage, ServerResponse } from 'node:http';
import { pipeline } from 'node:stream/promises';
import type { Logger } from '../contracts/logger.js';
import type { JsonValue } from '../contracts/values.js';
import { isJsonObject } from '../encoding/values.js';
import { isParseError, ParseError, ParseErrorCode } from '../errors.js';
import type { RouteDefinition } from '../rest/routes.js';
import type { AppContext, RestRequest } from '../rest/types.js';
import { PUBLIC_AUTH, userAuth } from '../security/auth.js';
import { authenticateKeys, type KeySettings } from '../security/keys.js';
import { RateLimitExceededError } from '../security/rate-limit.js';
import { knownSessionUser, resolveSession } from '../users/sessions.js';
import { BodyTooLargeError, parseJsonBody, readBody } from './body.js';
import type { HeaderList } from './cors.js';
import { clientInfoFromHeaders, takeBodyKeys } from './client-info.js';
import { PERMISSION_DENIED, publicError } from './errors.js';
import type { Router } from './router.js';
import { splitPath } from './router.js';

/** Everything the request handler needs, built once by `ParseServer`. */
export interface HandlerSettings {
  readonly app: AppContext;
  readonly router: Router<RouteDefinition>;
  readonly keys: KeySettings;
  readonly mountPath: string;
  readonly maxBodyBytes: number;
  readonly cors: (req: IncomingMessage) => HeaderList;
  readonly logger: Logger;
}

const JSON_TYPE = 'application/json; charset=utf-8';

/** `base` plus a handler's own headers, as one list for `writeHead`. */
function headerList(base: HeaderList, own: Readonly<Record<string, string>> | undefined): string[] {
  const list = base.slice();
  if (own) for (const name in own) list.push(name, own[name] as string);
  return list;
}

/** Answers `body` as JSON (its Content-Type and Content-Length override the handler's own). */
function send(
  res: ServerResponse,
  status: number,
  body: JsonValue,
  cors: HeaderList,
  own?: Readonly<Record<string, string>>,
): void {
  const payload = JSON.stringify(body);
  const headers = cors.slice();
  if (own) {
    for (const name in own) {
      const lower = name.toLowerCase();
      if (lower !== 'content-type' && lower !== 'content-length') headers.push(name, own[name] as string);
    }
  }
  headers.push('Content-Type', JSON_TYPE, 'Content-Length', String(Buffer.byteLength(payload)));
  res.writeHead(status, headers);
  res.end(payload);
}

/** parse-server's status mapping: 101 → 404, 1 → 500, every other code → 400. */
export function statusForError(error: ParseError): number {
  if (error instanceof RateLimitExceededError) return 429;
  // An error that carries its own status (a rate limit's 429) is answered with it.
  const own = (error as ParseError & { status?: unknown }).status;
  if (typeof own === 'number') return own;
  if (error.code === ParseErrorCode.OBJECT_NOT_FOUND) return 404;
  if (error.code === ParseErrorCode.INTERNAL_SERVER_ERROR) return 500;
  return 400;
}

/** The path under the mount path, or `undefined` when the request is not for this server. */
function localPath(req: IncomingMessage, mountPath: string): string | undefined {
  const url = req.url ?? '/';
  // Express strips its mount path from req.url and records it in req.baseUrl.
  if ('baseUrl' in req && typeof req.baseUrl === 'string') return url;
  if (mountPath === '' || mountPath === '/') return url;
  if (url === mountPath || url.startsWith(`${mountPath}/`) || url.startsWith(`${mountPath}?`)) {
    return url.slice(mountPath.length) || '/';
  }
  return undefined;
}

async function preparsedOrRead(req: IncomingMessage, limit: number): Promise<JsonValue | undefined> {
  const preparsed = (req as IncomingMessage & { body?: unknown }).body;
  if (isFormBody(req) && preparsed === undefined) {
    return Object.fromEntries(new URLSearchParams((await readBody(req, limit)).toString('utf8')));
  }
  if (preparsed !== undefined && req.readableEnded) {
    if (Buffer.isBuffer(preparsed)) return parseJsonBody(preparsed);
    if (typeof preparsed === 'string') return parseJsonBody(Buffer.from(preparsed));
    return preparsed as JsonValue;
  }
  return parseJsonBody(await readBody(req, limit));
}

function isFormBody(req: IncomingMessage): boolean {
  return (req.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded');
}

/** Builds the `(req, res, next?)` handler that serves the REST API. */
export function createRequestHandler(
  settings: HandlerSettings,
): (req: IncomingMessage, res: ServerResponse, next?: (error?: unknown) => void) => void {
  const { app, router, mountPath, logger } = settings;
  return (req, res, next) => {
    const cors = settings.cors(req);
    const path = localPath(req, mountPath);
    if (path === undefined) {
      if (next) next();
      else
        send(
          res,
          404,
          { code: ParseErrorCode.COMMAND_UNAVAILABLE, error: `Cannot ${req.method} ${req.url}` },
          cors,
        );
      return;
    }
    if (req.method === 'OPTIONS') {
      res.writeHead(200, cors.slice());
      res.end();
      return;
    }
    serve(req, res, path, cors).catch((error: unknown) => {
      if (isParseError(error)) {
        send(res, statusForError(error), publicError(error, app), cors);
        return;
      }
      if (error instanceof BodyTooLargeError) {
        // parse-server answers its body parser's error as is: no Parse code.
        send(res, 413, { error: 'request entity too large' }, cors);
        return;
      }
      logger.error({ err: error, method: req.method, url: req.url }, 'request failed');
      if (!res.headersSent) {
        send(res, 500, { code: ParseErrorCode.INTERNAL_SERVER_ERROR, error: 'Internal server error.' }, cors);
      } else res.destroy();
    });
  };

  async function serve(req: IncomingMessage, res: ServerResponse, path: string, cors: HeaderList) {
    const queryStart = path.indexOf('?');
    const pathname = queryStart === -1 ? path : path.slice(0, queryStart);
    const search = queryStart === -1 ? '' : path.slice(queryStart + 1);
    let method = (req.method ?? 'GET').toUpperCase();
    const info = clientInfoFromHeaders(req.headers);
    info.ip = req.socket.remoteAddress ?? '';
    const segments = splitPath(pathname);
    let match = router.match(method, segments);
    let body: JsonValue | undefined;
    if (match?.value.rawRequest) {
      // File routes stream the body; it is read (as JSON) only to find keys the headers lack.
      const preparsed = (req as IncomingMessage & { body?: unknown }).body;
      if (req.readableEnded && isJsonObject(preparsed as JsonValue)) body = preparsed as JsonValue;
      else if (!match.value.public && info.appId === undefined && method === 'POST') {
        try {
          body = parseJsonBody(await readBody(req, settings.maxBodyBytes));
        } catch (error) {
          if (!isParseError(error)) throw error;
          // parse-server: a body that is not JSON cannot carry the keys.
          send(res, 403, { error: 'unauthorized' }, cors);
          return;
        }
      }
      if (isJsonObject(body)) {
        if (info.appId === undefined && typeof body._ApplicationId === 'string') takeBodyKeys(body, info);
        delete body._method;
        delete body._ClientVersion;
        delete body._InstallationId;
      }
    } else {
      const hasBody = method !== 'GET' || req.headers['content-length'] !== undefined;
      body = hasBody ? await preparsedOrRead(req, settings.maxBodyBytes) : undefined;
      if (isJsonObject(body)) {
        if (info.appId === undefined && typeof body._ApplicationId === 'string') takeBodyKeys(body, info);
        if (method === 'POST' && typeof body._method === 'string') method = body._method.toUpperCase();
        delete body._method;
        delete body._ClientVersion;
        delete body._InstallationId;
      }
      // Routed again only when `_method` changed the method (the hot path matches once).
      if (method !== req.method?.toUpperCase()) match = router.match(method, segments);
      // A files route reached through `_method` has no stream to read.
      if (match?.value.rawRequest) match = undefined;
    }
    if (!match) {
      send(
        res,
        404,
        { code: ParseErrorCode.COMMAND_UNAVAILABLE, error: `Cannot ${method} ${pathname}` },
        cors,
      );
      return;
    }
    const route = match.value;
    if (!route.rawRequest && !route.form && isFormBody(req) && !('body' in req) && body !== undefined) {
      throw new ParseError(ParseErrorCode.INVALID_JSON, 'This route takes a JSON body, not a form.');
    }
    let auth = PUBLIC_AUTH;
    if (!route.public) {
      const resolved = authenticateKeys(info, req.socket.remoteAddress ?? '', settings.keys);
      if (!resolved) {
        send(res, 403, { error: 'unauthorized' }, cors);
        return;
      }
      auth = resolved;
      // The master key acts as master whatever token comes with it, as in parse-server.
      if (info.sessionToken && !auth.isMaster) {
        const token = info.sessionToken;
        auth = userAuth(knownSessionUser(app, token) ?? (await resolveSession(app, token)));
      }
      if (!app.rateLimiter.empty) {
        app.rateLimiter.check({ path: pathname, method, ip: info.ip, auth, sessionToken: info.sessionToken });
      }
      const requestId = req.headers['x-parse-request-id'];
      if (typeof requestId === 'string' && (method === 'POST' || method === 'PUT')) {
        if (app.idempotency.enabled && app.idempotency.covers(pathname))
          await app.idempotency.record(app, requestId);
      }
      if (route.masterOnly && (!auth.isMaster || auth.isMaintenance)) {
        send(
          res,
          403,
          { error: app.sanitizeErrors ? PERMISSION_DENIED : 'unauthorized: master key is required' },
          cors,
        );
        return;
      }
    }
    const query: Record<string, JsonValue | undefined> =
      method === 'GET' && isJsonObject(body)
        ? { ...body }
        : search === ''
          ? {}
          : Object.fromEntries(new URLSearchParams(search));
    const request: RestRequest = {
      method: method as RestRequest['method'],
      params: match.params,
      query,
      body: method === 'GET' ? undefined : body,
      auth,
      info,
      storage: app.storage,
      raw: route.rawRequest ? req : undefined,
      headers: req.headers,
      ip: info.ip,
    };
    const response = await route.handle(request, app);
    if (response.raw === undefined) {
      send(res, response.status ?? 200, response.body, cors, response.headers);
      return;
    }
    res.writeHead(response.status ?? 200, headerList(cors, response.headers));
    if (Buffer.isBuffer(response.raw)) {
      res.end(response.raw);
      return;
    }
    try {
      await pipeline(response.raw, res);
    } catch (error) {
      // The headers are gone: all that is left is to cut the answer short.
      logger.error({ err: error, method: req.method, url: req.url }, 'streaming an answer failed');
      res.destroy();
    }
  }
}
