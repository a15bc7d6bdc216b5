import type { FieldRef, GeoPointValue, JsonValue } from '../contracts/values.js';
import { isJsonObject, type JsonObject } from '../encoding/values.js';
import { ParseError, ParseErrorCode } from '../errors.js';
import type { Condition } from './types.js';

/** The sphere distances are measured on: parse-server's mean Earth radius, in kilometres. */
export const EARTH_RADIUS_KILOMETERS = 6371;
/** The same radius in miles (6371 km), as the Parse SDKs convert miles to radians. */
export const EARTH_RADIUS_MILES = 3958.8;

/** The operators of a constraint object that this module parses. */
export const GEO_OPERATORS: ReadonlySet<string> = new Set([
  '$nearSphere',
  '$maxDistance',
  '$maxDistanceInRadians',
  '$maxDistanceInMiles',
  '$maxDistanceInKilometers',
  '$within',
  '$geoWithin',
  '$geoIntersects',
]);

const MAX_DISTANCE: readonly (readonly [string, number])[] = [
  ['$maxDistance', 1],
  ['$maxDistanceInRadians', 1],
  ['$maxDistanceInMiles', EARTH_RADIUS_MILES],
  ['$maxDistanceInKilometers', EARTH_RADIUS_KILOMETERS],
];

function badJson(message: string): ParseError {
  return new ParseError(ParseErrorCode.INVALID_JSON, message);
}

function inRange(latitude: number, longitude: number, what: string): GeoPointValue {
  if (!Number.isFinite(latitude) || !Number.isFinite(longitude)) {
    throw badJson(`${what}: latitude and longitude must be numbers`);
  }
  if (latitude < -90 || latitude > 90) throw badJson(`${what}: latitude ${latitude} is outside [-90, 90]`);
  if (longitude < -180 || longitude > 180) {
    throw badJson(`${what}: longitude ${longitude} is outside [-180, 180]`);
  }
  return { __type: 'GeoPoint', latitude, longitude };
}

/** A `{__type: 'GeoPoint', latitude, longitude}` operand, range-checked. */
function geoPoint(value: JsonValue | undefined, what: string): GeoPointValue {
  if (!isJsonObject(value) || value.__type !== 'GeoPoint') throw badJson(`${what} should be a GeoPoint`);
  const { latitude, longitude } = value;
  if (typeof latitude !== 'number' || typeof longitude !== 'number') {
    throw badJson(`${what}: latitude and longitude must be numbers`);
  }
  return inRange(latitude, longitude, what);
}

/**
 * A GeoPoint, or a `[longitude, latitude]` pair: parse-server reads pairs in GeoJSON order
 * (in `$polygon`, in `$centerSphere`, and in a Polygon object given to `$polygon`).
 */
function pointOrPair(value: JsonValue | undefined, what: string): GeoPointValue {
  if (Array.isArray(value)) {
    const [longitude, latitude] = value;
    if (value.length !== 2 || typeof longitude !== 'number' || typeof latitude !== 'number') {
      throw badJson(`${what}: a pair must be [longitude, latitude]`);
    }
    return inRange(latitude, longitude, what);
  }
  return geoPoint(value, what);
}

function distance(value: JsonValue | undefined, what: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw badJson(`${what} must be a non-negative number`);
  }
  return value;
}

function onlyKey(operand: JsonValue | undefined, operator: string, keys: readonly string[]): JsonObject {
  if (!isJsonObject(operand) || !keys.some((key) => key in operand)) {
    throw badJson(`bad ${operator} value: it needs ${keys.join(' or ')}`);
  }
  return operand;
}

function requireType(field: FieldRef, type: 'GeoPoint' | 'Polygon', operator: string): void {
  // A field the class lacks matches nothing (resolved by the caller); any other type is a mistake.
  if (field.type === undefined) return;
  if (field.type !== type || field.path.length > 0) {
    throw new ParseError(
      ParseErrorCode.INVALID_QUERY,
      `${operator} needs a ${type} field; ${[field.name, ...field.path].join('.')} is ${field.path.length > 0 ? 'a nested key' : `a ${field.type}`}`,
    );
  }
}

/**
 * Parses the geo operators of one constraint object (`{"$nearSphere": …, "$maxDistanceInMiles": …}`)
 * into conditions; the caller skips every operator in {@link GEO_OPERATORS}.
 * Distances become radians on a sphere of {@link EARTH_RADIUS_KILOMETERS}.
 * @throws {ParseError} INVALID_JSON for a malformed operand or a coordinate out of range,
 *   INVALID_QUERY for a field that is not a GeoPoint (a Polygon for `$geoIntersects`).
 */
export function parseGeoConstraints(field: FieldRef, constraints: JsonObject): Condition[] {
  const parts: Condition[] = [];
  const limits = MAX_DISTANCE.filter(([operator]) => constraints[operator] !== undefined);
  if ('$nearSphere' in constraints) {
    requireType(field, 'GeoPoint', '$nearSphere');
    const point = geoPoint(constraints.$nearSphere, '$nearSphere');
    const [first] = limits;
    const maxDistanceRadians = first ? distance(constraints[first[0]], first[0]) / first[1] : undefined;
    parts.push({
      kind: 'nearSphere',
      field,
      point,
      ...(maxDistanceRadians !== undefined ? { maxDistanceRadians } : {}),
      sortByDistance: true,
    });
  } else if (limits.length > 0) {
    throw new ParseError(ParseErrorCode.INVALID_QUERY, `${limits[0]?.[0]} needs $nearSphere`);
  }
  if ('$within' in constraints) {
    requireType(field, 'GeoPoint', '$within');
    const box = onlyKey(constraints.$within, '$within', ['$box']).$box;
    if (!Array.isArray(box) || box.length !== 2) {
      throw badJson('bad $within value: $box needs two GeoPoints (southwest and northeast corners)');
    }
    const [a, b] = box.map((corner) => geoPoint(corner, '$box corner')) as [GeoPointValue, GeoPointValue];
    // Corners in either order, as PostgreSQL's box normalises them for parse-server.
    parts.push({
      kind: 'withinBox',
      field,
      southwest: inRange(Math.min(a.latitude, b.latitude), Math.min(a.longitude, b.longitude), '$box'),
      northeast: inRange(Math.max(a.latitude, b.latitude), Math.max(a.longitude, b.longitude), '$box'),
    });
  }
  if ('$geoWithin' in constraints) {
    requireType(field, 'GeoPoint', '$geoWithin');
    const within = onlyKey(constraints.$geoWithin, '$geoWithin', ['$polygon', '$centerSphere']);
    if (within.$polygon !== undefined) parts.push(polygon(field, within.$polygon));
    if (within.$centerSphere !== undefined) parts.push(centerSphere(field, within.$centerSphere));
  }
  if ('$geoIntersects' in constraints) {
    requireType(field, 'Polygon', '$geoIntersects');
    const intersects = onlyKey(constraints.$geoIntersects, '$geoIntersects', ['$point']);
    parts.push({
      kind: 'intersectsPoint',
      field,
      point: geoPoint(intersects.$point, '$geoIntersects $point'),
    });
  }
  return parts;
}

function polygon(field: FieldRef, value: JsonValue): Condition {
  let points: JsonValue[];
  if (isJsonObject(value) && value.__type === 'Polygon') {
    if (!Array.isArray(value.coordinates) || value.coordinates.length < 3) {
      throw badJson('bad $geoWithin value: a Polygon needs at least 3 coordinates');
    }
    points = value.coordinates;
  } else if (Array.isArray(value)) {
    if (value.length < 3) throw badJson('bad $geoWithin value: $polygon needs at least 3 GeoPoints');
    points = value;
  } else {
    throw badJson('bad $geoWithin value: $polygon should be a Polygon or an array of GeoPoints');
  }
  return { kind: 'withinPolygon', field, polygon: points.map((point) => pointOrPair(point, '$polygon')) };
}

function centerSphere(field: FieldRef, value: JsonValue): Condition {
  if (!Array.isArray(value) || value.length !== 2) {
    throw badJson('bad $geoWithin value: $centerSphere needs [GeoPoint, distance in radians]');
  }
  return {
    kind: 'withinCenterSphere',
    field,
    center: pointOrPair(value[0], '$centerSphere'),
    radiusRadians: distance(value[1], '$centerSphere distance'),
  };
}

const RADIANS = Math.PI / 180;

/** The great-circle angle between two points, in radians (haversine). */
export function angularDistance(a: GeoPointValue, b: GeoPointValue): number {
  const dLat = (b.latitude - a.latitude) * RADIANS;
  const dLng = (b.longitude - a.longitude) * RADIANS;
  const h =
    Math.sin(dLat / 2) ** 2 +
    Math.cos(a.latitude * RADIANS) * Math.cos(b.latitude * RADIANS) * Math.sin(dLng / 2) ** 2;
  return 2 * Math.asin(Math.min(1, Math.sqrt(h)));
}

/**
 * Whether `point` lies inside or on the polygon, on the flat longitude/latitude plane (x =
 * longitude, y = latitude), as PostgreSQL's `point <@ polygon` decides for parse-server.
 */
export function pointInPolygon(point: GeoPointValue, polygon: readonly GeoPointValue[]): boolean {
  const x = point.longitude;
  const y = point.latitude;
  let inside = false;
  for (let i = 0, j = polygon.length - 1; i < polygon.length; j = i++) {
    const a = polygon[i] as GeoPointValue;
    const b = polygon[j] as GeoPointValue;
    const [ax, ay, bx, by] = [a.longitude, a.latitude, b.longitude, b.latitude];
    const cross = (bx - ax) * (y - ay) - (by - ay) * (x - ax);
    const onSegment =
      Math.abs(cross) <= 1e-12 &&
      x >= Math.min(ax, bx) &&
      x <= Math.max(ax, bx) &&
      y >= Math.min(ay, by) &&
      y <= Math.max(ay, by);
    if (onSegment) return true;
    if (ay > y !== by > y && x < ((bx - ax) * (y - ay)) / (by - ay) + ax) inside = !inside;
  }
  return inside;
}

/** `condition` with every `nearSphere` told not to order by distance (the request has an `order`). */
export function withoutDistanceOrder(condition: Condition): Condition {
  switch (condition.kind) {
    case 'and':
    case 'or':
    case 'nor':
      return { ...condition, conditions: condition.conditions.map(withoutDistanceOrder) };
    case 'nearSphere':
      return condition.sortByDistance ? { ...condition, sortByDistance: false } : condition;
    default:
      return condition;
  }
}
