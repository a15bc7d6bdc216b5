import { noopAnalyticsAdapter } from '../contracts/analytics-adapter.js';
import { isJsonObject } from '../encoding/values.js';
import { ParseError, ParseErrorCode } from '../errors.js';
import type { AppContext, RestRequest, RestResponse } from './types.js';

/** `POST /events/AppOpened` and `POST /events/:eventName`: hands the event to the analytics adapter. */
export async function trackEvent(
  req: RestRequest,
  app: AppContext,
  eventName: string,
): Promise<RestResponse> {
  if (req.body !== undefined && !isJsonObject(req.body)) {
    throw new ParseError(ParseErrorCode.INVALID_JSON, 'the event body must be an object');
  }
  const adapter = app.analytics ?? noopAnalyticsAdapter;
  const event = { eventName, parameters: req.body ?? {}, installationId: req.info.installationId };
  const answer = eventName === 'AppOpened' ? await adapter.appOpened(event) : await adapter.trackEvent(event);
  return { body: answer ?? {} };
}
