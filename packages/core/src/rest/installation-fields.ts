import type { JsonValue } from '../contracts/values.js';
import { isJsonObject, type JsonObject } from '../encoding/values.js';
import { ParseError, ParseErrorCode } from '../errors.js';

/** Device types the Parse SDKs send. */
export const DEVICE_TYPES: ReadonlySet<string> = new Set([
  'ios',
  'android',
  'osx',
  'macos',
  'tvos',
  'watchos',
  'winrt',
  'winphone',
  'windows',
  'dotnet',
  'embedded',
  'web',
  'js',
  'linux',
  'fuchsia',
  'expo',
]);

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const CHANNEL = /^[A-Za-z][A-Za-z0-9_]*$/;
const knownTimeZones = new Set<string>(Intl.supportedValuesOf('timeZone'));

/** True for a valid IANA time zone name. */
export function isTimeZone(name: string): boolean {
  if (knownTimeZones.has(name)) return true;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

function fail(code: ParseErrorCode, message: string): never {
  throw new ParseError(code, message);
}

function checkChannels(value: JsonValue): void {
  if (!Array.isArray(value))
    fail(ParseErrorCode.INVALID_CHANNELS_ARRAY, 'channels must be an array of strings');
  for (const channel of value) {
    if (typeof channel !== 'string')
      fail(ParseErrorCode.INVALID_CHANNELS_ARRAY, 'channels must be an array of strings');
    if (channel !== '' && !CHANNEL.test(channel)) {
      fail(
        ParseErrorCode.INVALID_CHANNEL_NAME,
        `Invalid channel name: ${channel}. A channel name is empty (broadcast) or starts with a letter and holds only a-zA-Z0-9_.`,
      );
    }
  }
}

/**
 * Validates and normalises an installation write in place: ids lower-cased, channels,
 * device type, time zone and badge checked.
 * @throws {ParseError} INVALID_INSTALLATION_ID, INVALID_DEVICE_TYPE, INVALID_DEVICE_TOKEN, INVALID_CHANNEL_NAME, INVALID_CHANNELS_ARRAY, INCORRECT_TYPE
 */
export function normalizeInstallationBody(body: JsonObject): void {
  const { installationId, deviceToken, deviceType, channels, timeZone, badge } = body;
  if (installationId !== undefined) {
    if (typeof installationId !== 'string' || !UUID.test(installationId)) {
      fail(
        ParseErrorCode.INVALID_INSTALLATION_ID,
        `Invalid installation id: ${JSON.stringify(installationId)}. It must be a UUID.`,
      );
    }
    body.installationId = installationId.toLowerCase();
  }
  if (deviceToken !== undefined) {
    if (typeof deviceToken !== 'string' || deviceToken.length === 0) {
      fail(ParseErrorCode.INVALID_DEVICE_TOKEN, 'deviceToken must be a non-empty string');
    }
    // 64 hexadecimal characters is an APNs token: Apple's tokens are case-insensitive.
    if (deviceToken.length === 64) body.deviceToken = deviceToken.toLowerCase();
  }
  if (deviceType !== undefined && (typeof deviceType !== 'string' || !DEVICE_TYPES.has(deviceType))) {
    fail(
      ParseErrorCode.INVALID_DEVICE_TYPE,
      `Invalid deviceType: ${JSON.stringify(deviceType)}. Expected one of ${[...DEVICE_TYPES].join(', ')}.`,
    );
  }
  if (channels !== undefined) {
    if (isJsonObject(channels) && typeof channels.__op === 'string') {
      if (channels.__op !== 'Delete') checkChannels(channels.objects ?? null);
    } else {
      checkChannels(channels);
    }
  }
  if (
    timeZone !== undefined &&
    timeZone !== null &&
    (typeof timeZone !== 'string' || !isTimeZone(timeZone))
  ) {
    fail(
      ParseErrorCode.INCORRECT_TYPE,
      `Invalid timeZone: ${JSON.stringify(timeZone)}. Use an IANA time zone name.`,
    );
  }
  if (badge === 'Increment') body.badge = { __op: 'Increment', amount: 1 };
  else if (badge !== undefined && badge !== null && typeof badge !== 'number' && !isJsonObject(badge)) {
    fail(ParseErrorCode.INCORRECT_TYPE, 'badge must be a number or an Increment');
  }
}
