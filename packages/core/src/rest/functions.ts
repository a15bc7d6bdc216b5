import type { JsonValue } from '../contracts/values.js';
import { resolveCloudError } from '../cloud/errors.js';
import { parseSdk } from '../cloud/parse-sdk.js';
import { baseRequest, decodeParams } from '../cloud/request.js';
import type { RateLimitOptions } from '../cloud/rate-limit.js';
import { runValidator } from '../cloud/validator.js';
import { isJsonObject } from '../encoding/values.js';
import { ParseError, ParseErrorCode } from '../errors.js';
import type { AppContext, RestRequest, RestResponse } from './types.js';

/**
 * `POST /functions/:name`: runs the cloud function with the body (and query) as `params` and
 * answers `{ result }` in Parse JSON (Parse.Objects as full objects with `__type: 'Object'`).
 * @throws {ParseError} SCRIPT_FAILED for an unknown function or a failure that is not a
 * Parse.Error; VALIDATION_ERROR when the validator refuses.
 */
export async function callFunction(req: RestRequest, app: AppContext, name: string): Promise<RestResponse> {
  const entry = app.cloud?.registry.functions.get(name);
  if (!app.cloud || !entry) {
    throw new ParseError(ParseErrorCode.SCRIPT_FAILED, `Invalid function: "${name}"`);
  }
  const runtime = app.cloud;
  const limit = typeof entry.validator === 'object' ? entry.validator.rateLimit : undefined;
  if (limit) runtime.limiter.hit(`/functions/${name}`, limit as RateLimitOptions, req);
  const Parse = parseSdk();
  let raw: Record<string, JsonValue> = isJsonObject(req.body) ? req.body : {};
  for (const key in req.query) {
    const value = req.query[key];
    if (value === undefined) continue;
    // The query's parameters join the body's (a copy: the body stays as the client sent it).
    if (raw === req.body) raw = { ...raw };
    raw[key] = value;
  }
  const request = await baseRequest(req, app);
  request.params = decodeParams(Parse, raw);
  request.functionName = name;
  const result = await runtime.runHandler(`Cloud function ${name}`, async () => {
    await runValidator(entry.validator, request, app.logger);
    try {
      return await entry.handler(request);
    } catch (error) {
      throw resolveCloudError(error, ParseErrorCode.SCRIPT_FAILED, 'Script failed.', app.logger);
    }
  });
  const encoded = Parse._encode(result) as JsonValue | undefined;
  // parse-server sends `{ result: undefined }`, which JSON writes as `{}`.
  return { body: encoded === undefined ? {} : { result: encoded } };
}
