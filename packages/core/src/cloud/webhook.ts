import { isJsonObject } from '../encoding/values.js';
import { ParseError, ParseErrorCode } from '../errors.js';
import type { SdkObject } from './parse-sdk.js';
import type { CloudHandler, CloudRequest } from './registry.js';

/** A webhook: a cloud function or trigger served by an HTTP endpoint (the Hooks API). */
export interface WebhookTarget {
  readonly url: string;
  /** Set for trigger webhooks. */
  readonly triggerName?: string;
}

/** How long a webhook may take before the call fails with 143. */
export const WEBHOOK_TIMEOUT_MS = 30_000;

function objectJson(object: unknown): Record<string, unknown> | undefined {
  const sdkObject = object as SdkObject | undefined;
  if (!sdkObject || typeof sdkObject.toJSON !== 'function') return undefined;
  return { ...sdkObject.toJSON(), className: sdkObject.className };
}

/** parse-server's webhook body: the request's members, objects as JSON with their className. */
function webhookBody(request: CloudRequest): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(request)) {
    if (key === 'log' || typeof value === 'function') continue;
    body[key] = value;
  }
  if (request.object) body.object = objectJson(request.object);
  if (request.original) body.original = objectJson(request.original);
  if (Array.isArray(request.objects)) body.objects = request.objects.map(objectJson);
  if (request.query && typeof (request.query as { toJSON?: unknown }).toJSON === 'function') {
    body.query = (request.query as { toJSON(): unknown }).toJSON();
  }
  return body;
}

/**
 * A cloud handler that POSTs the request to `target.url` with `X-Parse-Webhook-Key` and answers
 * the endpoint's `success` (a beforeSave answers `{ object }`, the object to save).
 * @throws {ParseError} the endpoint's `error` (its code, or 141); WEBHOOK_ERROR (143) when the
 * endpoint cannot be reached, times out or answers something that is not JSON.
 */
export function webhookHandler(target: WebhookTarget, webhookKey: string | undefined): CloudHandler {
  return async (request) => {
    const headers: Record<string, string> = { 'Content-Type': 'application/json' };
    if (webhookKey) headers['X-Parse-Webhook-Key'] = webhookKey;
    let text: string;
    try {
      const answer = await fetch(target.url, {
        method: 'POST',
        headers,
        body: JSON.stringify(webhookBody(request)),
        signal: AbortSignal.timeout(WEBHOOK_TIMEOUT_MS),
      });
      text = await answer.text();
    } catch (cause) {
      throw new ParseError(ParseErrorCode.WEBHOOK_ERROR, `webhook ${target.url} failed`, { cause });
    }
    let body: unknown;
    try {
      body = text === '' ? {} : JSON.parse(text);
    } catch (cause) {
      throw new ParseError(ParseErrorCode.WEBHOOK_ERROR, 'Malformed response', { cause });
    }
    if (!isJsonObject(body as never))
      throw new ParseError(ParseErrorCode.WEBHOOK_ERROR, 'Malformed response');
    const { success, error } = body as { success?: unknown; error?: unknown };
    if (error !== undefined) {
      // parse-server reads only `error`: a string (the usual answer) fails with 141 and that
      // message, whatever `code` says; an object `{ code, error }` keeps its code here.
      if (isJsonObject(error as never)) {
        const inner = error as { code?: unknown; error?: unknown };
        const errorCode = typeof inner.code === 'number' ? inner.code : ParseErrorCode.SCRIPT_FAILED;
        throw new ParseError(
          errorCode as ParseErrorCode,
          typeof inner.error === 'string' ? inner.error : JSON.stringify(error),
        );
      }
      throw new ParseError(ParseErrorCode.SCRIPT_FAILED, String(error));
    }
    if (target.triggerName === 'beforeSave') {
      if (isJsonObject(success as never)) {
        const object = { ...(success as Record<string, unknown>) };
        delete object.createdAt;
        delete object.updatedAt;
        delete object.className;
        return { object };
      }
      return undefined;
    }
    return success;
  };
}
