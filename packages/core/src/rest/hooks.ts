import type { HooksController } from '../cloud/hooks.js';
import { hookFrom, hookJson } from '../cloud/hooks.js';
import { isJsonObject } from '../encoding/values.js';
import { ParseError, ParseErrorCode } from '../errors.js';
import type { AppContext, RestRequest, RestResponse } from './types.js';

function controller(app: AppContext): HooksController {
  const hooks = app.cloud?.hooks;
  if (!hooks) throw new ParseError(ParseErrorCode.COMMAND_UNAVAILABLE, 'webhooks are not available');
  return hooks;
}

/** `GET /hooks/functions` */
export async function listFunctionHooks(_req: RestRequest, app: AppContext): Promise<RestResponse> {
  const hooks = await controller(app).list();
  return { body: hooks.filter((hook) => 'functionName' in hook).map(hookJson) };
}

/** `GET /hooks/triggers` */
export async function listTriggerHooks(_req: RestRequest, app: AppContext): Promise<RestResponse> {
  const hooks = await controller(app).list();
  return { body: hooks.filter((hook) => 'triggerName' in hook).map(hookJson) };
}

/** `GET /hooks/functions/:functionName` @throws {ParseError} 143 when it does not exist */
export async function getFunctionHook(
  _req: RestRequest,
  app: AppContext,
  name: string,
): Promise<RestResponse> {
  const hook = await controller(app).getFunction(name);
  if (!hook) throw new ParseError(ParseErrorCode.WEBHOOK_ERROR, `no function named: ${name} is defined`);
  return { body: hookJson(hook) };
}

/** `GET /hooks/triggers/:className/:triggerName` @throws {ParseError} 143 when it does not exist */
export async function getTriggerHook(
  _req: RestRequest,
  app: AppContext,
  className: string,
  triggerName: string,
): Promise<RestResponse> {
  const hook = await controller(app).getTrigger(className, triggerName);
  if (!hook) throw new ParseError(ParseErrorCode.WEBHOOK_ERROR, `class ${className} does not exist`);
  return { body: hookJson(hook) };
}

/** `POST /hooks/functions` and `POST /hooks/triggers` @throws {ParseError} 143 */
export async function createHook(req: RestRequest, app: AppContext): Promise<RestResponse> {
  return { body: hookJson(await controller(app).create(hookFrom(req.body))) };
}

/**
 * `PUT /hooks/functions/:functionName` and `PUT /hooks/triggers/:className/:triggerName`: a new
 * `url`, or `{ "__op": "Delete" }` to remove the hook.
 * @throws {ParseError} 143 for a missing hook or a body without `url`.
 */
export async function updateHook(
  req: RestRequest,
  app: AppContext,
  key: { functionName: string } | { className: string; triggerName: string },
): Promise<RestResponse> {
  const hooks = controller(app);
  if (isJsonObject(req.body) && req.body.__op === 'Delete') {
    await hooks.delete(key);
    return { body: {} };
  }
  const url = isJsonObject(req.body) ? req.body.url : undefined;
  return { body: hookJson(await hooks.update(hookFrom({ ...key, url: url ?? null }))) };
}
