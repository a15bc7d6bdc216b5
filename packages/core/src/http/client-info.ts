import type { IncomingHttpHeaders } from 'node:http';
import type { JsonValue } from '../contracts/values.js';
import { isJsonObject, type JsonObject } from '../encoding/values.js';
import { ParseError, ParseErrorCode } from '../errors.js';

/** The keys and client details a request carries, from headers or (JS SDK) body keys. */
export interface ClientInfo {
  appId?: string;
  masterKey?: string;
  maintenanceKey?: string;
  restAPIKey?: string;
  javascriptKey?: string;
  clientKey?: string;
  dotNetKey?: string;
  sessionToken?: string;
  installationId?: string;
  clientVersion?: string;
  revocableSession?: boolean;
  /** The client's address, as the socket reports it. */
  ip?: string;
  /** `X-Requested-With: XMLHttpRequest`: a script, not a browser form (the pages answer text). */
  xhr?: boolean;
  context: Record<string, JsonValue>;
  /** A body key had a value of the wrong type: the request is refused as unauthorized. */
  malformed?: boolean;
}

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** Reads the `X-Parse-*` headers. */
export function clientInfoFromHeaders(headers: IncomingHttpHeaders): ClientInfo {
  const info: ClientInfo = {
    appId: header(headers, 'x-parse-application-id'),
    masterKey: header(headers, 'x-parse-master-key'),
    maintenanceKey: header(headers, 'x-parse-maintenance-key'),
    restAPIKey: header(headers, 'x-parse-rest-api-key'),
    javascriptKey: header(headers, 'x-parse-javascript-key'),
    clientKey: header(headers, 'x-parse-client-key'),
    dotNetKey: header(headers, 'x-parse-windows-key'),
    sessionToken: header(headers, 'x-parse-session-token'),
    installationId: header(headers, 'x-parse-installation-id'),
    clientVersion: header(headers, 'x-parse-client-version'),
    revocableSession: header(headers, 'x-parse-revocable-session') === '1',
    xhr: header(headers, 'x-requested-with') === 'XMLHttpRequest',
    context: {},
  };
  const context = header(headers, 'x-parse-cloud-context');
  if (context !== undefined) info.context = parseContext(context);
  return info;
}

function parseContext(value: JsonValue): JsonObject {
  let parsed: JsonValue = value;
  if (typeof value === 'string') {
    try {
      parsed = JSON.parse(value) as JsonValue;
    } catch (cause) {
      throw new ParseError(ParseErrorCode.INVALID_JSON, 'Invalid object for context.', { cause });
    }
  }
  if (!isJsonObject(parsed)) throw new ParseError(ParseErrorCode.INVALID_JSON, 'Invalid object for context.');
  return parsed;
}

const BODY_KEYS = [
  '_ApplicationId',
  '_JavaScriptKey',
  '_ClientKey',
  '_MasterKey',
  '_RestAPIKey',
  '_SessionToken',
  '_InstallationId',
  '_ClientVersion',
  '_RevocableSession',
  '_context',
] as const;

/**
 * Takes the JS SDK's body keys (`_ApplicationId`, `_JavaScriptKey`…) out of `body` into
 * `info`. Used when the request carries no application id header, as the SDK does when it
 * posts text/plain to avoid CORS preflights.
 */
export function takeBodyKeys(body: JsonObject, info: ClientInfo): void {
  const text = (key: (typeof BODY_KEYS)[number]): string | undefined => {
    const value = body[key];
    if (value === undefined || typeof value === 'string') return value;
    // parse-server refuses the request when a key it reads is not a string.
    if (key === '_InstallationId' || key === '_SessionToken') info.malformed = true;
    return undefined;
  };
  info.appId = text('_ApplicationId');
  info.javascriptKey = text('_JavaScriptKey') ?? info.javascriptKey;
  info.clientKey = text('_ClientKey') ?? info.clientKey;
  info.restAPIKey = text('_RestAPIKey') ?? info.restAPIKey;
  info.masterKey = text('_MasterKey') ?? info.masterKey;
  info.sessionToken = text('_SessionToken') ?? info.sessionToken;
  info.installationId = text('_InstallationId') ?? info.installationId;
  info.clientVersion = text('_ClientVersion') ?? info.clientVersion;
  if (body._RevocableSession === '1' || body._RevocableSession === true) info.revocableSession = true;
  if (body._context !== undefined) info.context = parseContext(body._context);
  for (const key of BODY_KEYS) delete body[key];
}
