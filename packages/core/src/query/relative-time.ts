import { ParseError, ParseErrorCode } from '../errors.js';

const UNIT_SECONDS: Readonly<Record<string, number>> = {
  yr: 365 * 86400,
  yrs: 365 * 86400,
  year: 365 * 86400,
  years: 365 * 86400,
  wk: 7 * 86400,
  wks: 7 * 86400,
  week: 7 * 86400,
  weeks: 7 * 86400,
  d: 86400,
  day: 86400,
  days: 86400,
  hr: 3600,
  hrs: 3600,
  hour: 3600,
  hours: 3600,
  min: 60,
  mins: 60,
  minute: 60,
  minutes: 60,
  sec: 1,
  secs: 1,
  second: 1,
  seconds: 1,
};

/**
 * Resolves a `$relativeTime` phrase (`"in 2 days"`, `"3 hours ago"`, `"now"`, combinations
 * such as `"1 day 2 hours ago"`) against `now`.
 * @throws {ParseError} INVALID_JSON for a phrase it cannot read, as parse-server does.
 */
export function resolveRelativeTime(text: unknown, now = new Date()): Date {
  if (typeof text !== 'string')
    throw new ParseError(ParseErrorCode.INVALID_JSON, '$relativeTime must be a string');
  const words = text.trim().toLowerCase().split(/\s+/);
  if (words.length === 1 && words[0] === 'now') return now;
  const future = words[0] === 'in';
  const past = words[words.length - 1] === 'ago';
  if (future === past) {
    throw new ParseError(
      ParseErrorCode.INVALID_JSON,
      `Time should either start with 'in' or end with 'ago': ${text}`,
    );
  }
  const parts = future ? words.slice(1) : words.slice(0, -1);
  if (parts.length === 0 || parts.length % 2 !== 0) {
    throw new ParseError(
      ParseErrorCode.INVALID_JSON,
      `Invalid time string. Dangling unit or number: ${text}`,
    );
  }
  let seconds = 0;
  for (let i = 0; i < parts.length; i += 2) {
    const amount = Number(parts[i]);
    const unit = UNIT_SECONDS[parts[i + 1] as string];
    if (!Number.isFinite(amount))
      throw new ParseError(ParseErrorCode.INVALID_JSON, `'${parts[i]}' is not an integer: ${text}`);
    if (unit === undefined)
      throw new ParseError(ParseErrorCode.INVALID_JSON, `Invalid interval: '${parts[i + 1]}' in ${text}`);
    seconds += amount * unit;
  }
  return new Date(now.getTime() + (future ? 1 : -1) * seconds * 1000);
}
