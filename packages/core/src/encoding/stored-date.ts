/**
 * A `Date` read from storage that keeps the ISO 8601 text it answers with. A read of 20
 * objects with their includes answers 80 dates; parsing each with Date's own parser and
 * printing it back with `toISOString` took a tenth of such a request's CPU. Everything else
 * about it is a `Date`: once changed (`setTime`…), it answers as any other.
 */
export class StoredDate extends Date {
  readonly #time: number;
  readonly #iso: string;

  constructor(time: number, iso: string) {
    super(time);
    this.#time = time;
    this.#iso = iso;
  }

  override toISOString(): string {
    return this.getTime() === this.#time ? this.#iso : super.toISOString();
  }
}

const ZERO = 48;

/** The two-digit number at `at`, or NaN when either character is not a digit. */
function twoDigits(text: string, at: number): number {
  const tens = text.charCodeAt(at) - ZERO;
  const units = text.charCodeAt(at + 1) - ZERO;
  return tens >= 0 && tens <= 9 && units >= 0 && units <= 9 ? tens * 10 + units : Number.NaN;
}

/**
 * The fraction's digits after `.` at 19: none when PostgreSQL drops a zero fraction, up to 6
 * for microseconds (written by SQL's `now()`, not by this server); 7 means too many.
 */
function fractionDigits(text: string): number {
  if (text.charCodeAt(19) !== 46) return 0; // .
  let count = 0;
  while (count < 7 && isDigit(text.charCodeAt(20 + count))) count++;
  return count;
}

function isDigit(code: number): boolean {
  return code >= ZERO && code <= ZERO + 9;
}

/** True when the text from `end` on is a UTC suffix: `Z`, `+00` or `+00:00`. */
function isUtcSuffix(text: string, end: number): boolean {
  const rest = text.length - end;
  if (rest === 1) return text.charCodeAt(end) === 90; // Z
  if (rest !== 3 && rest !== 6) return false;
  // +00
  if (text.charCodeAt(end) !== 43 || text.charCodeAt(end + 1) !== ZERO || text.charCodeAt(end + 2) !== ZERO) {
    return false;
  }
  // :00
  return (
    rest === 3 ||
    (text.charCodeAt(end + 3) === 58 &&
      text.charCodeAt(end + 4) === ZERO &&
      text.charCodeAt(end + 5) === ZERO)
  );
}

/**
 * A UTC timestamp in the forms storage answers —
 * `2024-01-02 03:04:05.67+00` (PostgreSQL's text, which drops a fraction's trailing zeros),
 * `2024-01-02T03:04:05.678+00:00` (its JSON) and `2024-01-02T03:04:05.678Z` — as a
 * {@link StoredDate}, to the millisecond (microseconds are dropped, as `Date` drops them).
 * Undefined for any other form (another offset, years past 9999): parse those with `new Date`.
 */
export function parseUtcTimestamp(text: string): StoredDate | undefined {
  const separator = text.charCodeAt(10);
  if (
    text.charCodeAt(4) !== 45 || // -
    text.charCodeAt(7) !== 45 ||
    (separator !== 32 && separator !== 84) || // ' ' or T
    text.charCodeAt(13) !== 58 || // :
    text.charCodeAt(16) !== 58
  ) {
    return undefined;
  }
  const digits = fractionDigits(text);
  if (digits > 6 || (digits === 0 && text.charCodeAt(19) === 46)) return undefined;
  const end = digits === 0 ? 19 : 20 + digits;
  if (!isUtcSuffix(text, end)) return undefined;
  let milliseconds = 0;
  for (let i = 0; i < 3; i++) {
    milliseconds = milliseconds * 10 + (i < digits ? text.charCodeAt(20 + i) - ZERO : 0);
  }
  const year = twoDigits(text, 0) * 100 + twoDigits(text, 2);
  const month = twoDigits(text, 5);
  const day = twoDigits(text, 8);
  const hours = twoDigits(text, 11);
  const minutes = twoDigits(text, 14);
  const seconds = twoDigits(text, 17);
  // Date.UTC reads years below 100 as 19xx, and rolls an out-of-range part over into the
  // next; storage never writes either.
  if (
    !(
      year >= 100 &&
      month >= 1 &&
      month <= 12 &&
      day >= 1 &&
      day <= 31 &&
      hours <= 23 &&
      minutes <= 59 &&
      seconds <= 59
    )
  ) {
    return undefined;
  }
  const time = Date.UTC(year, month - 1, day, hours, minutes, seconds, milliseconds);
  // A Date holds milliseconds: finer digits are dropped, as the driver's parser drops them.
  return new StoredDate(time, isoOf(text, separator, digits, milliseconds));
}

/** The ISO text of a timestamp checked by {@link parseUtcTimestamp}: the text itself when it is one. */
function isoOf(text: string, separator: number, digits: number, milliseconds: number): string {
  if (digits < 3)
    return `${text.slice(0, 10)}T${text.slice(11, 19)}.${String(milliseconds).padStart(3, '0')}Z`;
  if (separator !== 84) return `${text.slice(0, 10)}T${text.slice(11, 23)}Z`;
  // Already `…T…` with milliseconds: as is when it ends there with `Z`.
  return text.length === 24 && digits === 3 ? text : `${text.slice(0, 23)}Z`;
}
