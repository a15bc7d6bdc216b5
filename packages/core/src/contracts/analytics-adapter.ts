import type { JsonValue } from './values.js';

/** One analytics event as the client sent it. */
export interface AnalyticsEvent {
  /** `AppOpened`, or the name in `POST /events/:eventName`. */
  readonly eventName: string;
  /** The request body: `dimensions`, `at`… as the SDK sent them. */
  readonly parameters: Readonly<Record<string, JsonValue>>;
  /** The installation that sent it, when known. */
  readonly installationId?: string;
}

/**
 * Where `POST /events/AppOpened` and `POST /events/:eventName` go (parse-server's
 * `analyticsAdapter`). Each method may answer a JSON object for the client; by default the
 * answer is `{}`.
 */
export interface AnalyticsAdapter {
  appOpened(event: AnalyticsEvent): Promise<Record<string, JsonValue> | undefined>;
  trackEvent(event: AnalyticsEvent): Promise<Record<string, JsonValue> | undefined>;
}

/** The default: accepts every event and keeps none. */
export const noopAnalyticsAdapter: AnalyticsAdapter = {
  async appOpened() {
    return undefined;
  },
  async trackEvent() {
    return undefined;
  },
};
