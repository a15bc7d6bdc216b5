import type { JsonValue, StorageValue } from '../contracts/values.js';
import { ParseError, ParseErrorCode } from '../errors.js';

/** A JSON object. */
export type JsonObject = { [key: string]: JsonValue };

/** True for a plain JSON object (not null, not an array). */
export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);
}

/**
 * Parses an ISO 8601 date as Parse sends it.
 * @throws {ParseError} INVALID_JSON on anything else.
 */
export function parseIsoDate(iso: unknown): Date {
  if (typeof iso === 'string') {
    const date = new Date(iso);
    if (!Number.isNaN(date.getTime())) return date;
  }
  throw new ParseError(ParseErrorCode.INCORRECT_TYPE, `invalid date: ${JSON.stringify(iso)}`);
}

/**
 * Decodes one REST value into its storage form for a top-level field.
 * Values inside Object and Array fields stay Parse JSON, with nested keys checked.
 * @throws {ParseError} INVALID_POINTER, INCORRECT_TYPE, INVALID_NESTED_KEY, INVALID_JSON
 */
export function decodeValue(value: JsonValue): StorageValue {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    for (const item of value) checkNestedKeys(item);
    return value;
  }
  switch (value.__type) {
    case 'Date':
      return parseIsoDate(value.iso);
    case 'Pointer':
      if (typeof value.className !== 'string' || typeof value.objectId !== 'string') {
        throw new ParseError(ParseErrorCode.INVALID_POINTER, 'A pointer needs a className and an objectId');
      }
      return { __type: 'Pointer', className: value.className, objectId: value.objectId };
    case 'File':
      if (typeof value.name !== 'string' || value.name.length === 0) {
        throw new ParseError(ParseErrorCode.INCORRECT_TYPE, 'This is not a valid File');
      }
      return { __type: 'File', name: value.name };
    case 'GeoPoint':
      return decodeGeoPoint(value);
    case 'Polygon':
      return decodePolygon(value);
    case 'Bytes':
      if (typeof value.base64 !== 'string') {
        throw new ParseError(ParseErrorCode.INCORRECT_TYPE, 'This is not a valid Bytes');
      }
      return { __type: 'Bytes', base64: value.base64 };
    case undefined:
      checkNestedKeys(value);
      return value;
    default:
      throw new ParseError(ParseErrorCode.INCORRECT_TYPE, `This is not a valid ${String(value.__type)}`);
  }
}

/** Decodes and range-checks a GeoPoint. */
export function decodeGeoPoint(value: JsonObject): {
  __type: 'GeoPoint';
  latitude: number;
  longitude: number;
} {
  const { latitude, longitude } = value;
  if (typeof latitude !== 'number' || typeof longitude !== 'number') {
    throw new ParseError(ParseErrorCode.INCORRECT_TYPE, 'GeoPoint needs numeric latitude and longitude');
  }
  if (latitude < -90 || latitude > 90) {
    throw new ParseError(ParseErrorCode.INCORRECT_TYPE, 'GeoPoint latitude out of bounds');
  }
  if (longitude < -180 || longitude > 180) {
    throw new ParseError(ParseErrorCode.INCORRECT_TYPE, 'GeoPoint longitude out of bounds');
  }
  return { __type: 'GeoPoint', latitude, longitude };
}

function decodePolygon(value: JsonObject): { __type: 'Polygon'; coordinates: [number, number][] } {
  const coordinates = value.coordinates;
  if (!Array.isArray(coordinates) || coordinates.length < 3) {
    throw new ParseError(ParseErrorCode.INVALID_JSON, 'Polygon must have at least 3 values');
  }
  const points: [number, number][] = coordinates.map((point) => {
    if (
      !Array.isArray(point) ||
      point.length !== 2 ||
      typeof point[0] !== 'number' ||
      typeof point[1] !== 'number'
    ) {
      throw new ParseError(
        ParseErrorCode.INVALID_JSON,
        'Polygon coordinates must be [latitude, longitude] pairs',
      );
    }
    decodeGeoPoint({ latitude: point[0], longitude: point[1] });
    return [point[0], point[1]];
  });
  return { __type: 'Polygon', coordinates: points };
}

/**
 * Nested keys may not contain `$` or `.`: they would be read as operators and paths.
 * @throws {ParseError} INVALID_NESTED_KEY
 */
export function checkNestedKeys(value: JsonValue): void {
  if (value === null || typeof value !== 'object') return;
  if (Array.isArray(value)) {
    for (const item of value) checkNestedKeys(item);
    return;
  }
  for (const [key, inner] of Object.entries(value)) {
    if (key.includes('$') || key.includes('.')) {
      throw new ParseError(
        ParseErrorCode.INVALID_NESTED_KEY,
        "Nested keys should not contain the '$' or '.' characters",
      );
    }
    checkNestedKeys(inner);
  }
}
