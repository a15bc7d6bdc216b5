import { describe, expect, it } from 'vitest';
import type { StorageObject } from '../contracts/values.js';
import { ParseErrorCode } from '../errors.js';
import type { ClassSchema } from '../schema/types.js';
import { angularDistance, EARTH_RADIUS_KILOMETERS, pointInPolygon } from './geo.js';
import { matches } from './matcher.js';
import { parseFindRequest } from './options-parser.js';
import type { Condition } from './types.js';
import { parseWhere } from './where-parser.js';

const schema: ClassSchema = {
  className: 'Place',
  fields: {
    objectId: { type: 'String' },
    name: { type: 'String' },
    location: { type: 'GeoPoint' },
    area: { type: 'Polygon' },
  },
  classLevelPermissions: {},
};
const point = (latitude: number, longitude: number) => ({ __type: 'GeoPoint', latitude, longitude }) as const;
const sf = point(37.77, -122.42);
const la = point(34.05, -118.24);
const location = expect.objectContaining({ name: 'location', type: 'GeoPoint' });

function code(where: unknown): number | undefined {
  try {
    parseWhere(where, schema);
  } catch (error) {
    return (error as { code?: number }).code;
  }
  return undefined;
}

describe('geo where', () => {
  it('parses $nearSphere with each maximum distance unit into radians', () => {
    const near = (extra: Record<string, number>) =>
      parseWhere({ location: { $nearSphere: sf, ...extra } }, schema) as Extract<
        Condition,
        { kind: 'nearSphere' }
      >;
    expect(near({})).toEqual({ kind: 'nearSphere', field: location, point: sf, sortByDistance: true });
    expect(near({ $maxDistance: 0.5 }).maxDistanceRadians).toBe(0.5);
    expect(near({ $maxDistanceInRadians: 0.25 }).maxDistanceRadians).toBe(0.25);
    expect(near({ $maxDistanceInKilometers: 6371 }).maxDistanceRadians).toBeCloseTo(1, 10);
    expect(near({ $maxDistanceInMiles: 3958.8 }).maxDistanceRadians).toBeCloseTo(1, 10);
  });

  it('parses $within $box with corners in either order, $polygon, $centerSphere and $geoIntersects', () => {
    expect(parseWhere({ location: { $within: { $box: [sf, la] } } }, schema)).toEqual({
      kind: 'withinBox',
      field: location,
      southwest: point(34.05, -122.42),
      northeast: point(37.77, -118.24),
    });
    const triangle = [point(0, 0), point(10, 0), point(0, 10)];
    expect(parseWhere({ location: { $geoWithin: { $polygon: triangle } } }, schema)).toMatchObject({
      kind: 'withinPolygon',
      polygon: triangle,
    });
    // Pairs (also a Polygon's coordinates) are [longitude, latitude], as parse-server reads them.
    const pairs = [
      [0, 0],
      [0, 10],
      [10, 0],
    ];
    expect(parseWhere({ location: { $geoWithin: { $polygon: pairs } } }, schema)).toMatchObject({
      polygon: triangle,
    });
    expect(
      parseWhere(
        { location: { $geoWithin: { $polygon: { __type: 'Polygon', coordinates: pairs } } } },
        schema,
      ),
    ).toMatchObject({ polygon: triangle });
    expect(
      parseWhere({ location: { $geoWithin: { $centerSphere: [[-122.42, 37.77], 0.1] } } }, schema),
    ).toEqual({
      kind: 'withinCenterSphere',
      field: location,
      center: sf,
      radiusRadians: 0.1,
    });
    expect(parseWhere({ area: { $geoIntersects: { $point: sf } } }, schema)).toMatchObject({
      kind: 'intersectsPoint',
      point: sf,
    });
  });

  it('answers 107 for malformed operands and coordinates out of range', () => {
    expect(code({ location: { $nearSphere: point(91, 0) } })).toBe(ParseErrorCode.INVALID_JSON);
    expect(code({ location: { $nearSphere: point(0, -181) } })).toBe(ParseErrorCode.INVALID_JSON);
    expect(code({ location: { $nearSphere: { latitude: 1, longitude: 2 } } })).toBe(
      ParseErrorCode.INVALID_JSON,
    );
    expect(code({ location: { $nearSphere: sf, $maxDistanceInMiles: -1 } })).toBe(
      ParseErrorCode.INVALID_JSON,
    );
    expect(code({ location: { $nearSphere: sf, $maxDistance: 'far' } })).toBe(ParseErrorCode.INVALID_JSON);
    expect(code({ location: { $within: { $box: [sf] } } })).toBe(ParseErrorCode.INVALID_JSON);
    expect(code({ location: { $within: { $box: [sf, 'x'] } } })).toBe(ParseErrorCode.INVALID_JSON);
    expect(code({ location: { $within: sf } })).toBe(ParseErrorCode.INVALID_JSON);
    expect(code({ location: { $geoWithin: { $polygon: [sf, la] } } })).toBe(ParseErrorCode.INVALID_JSON);
    expect(code({ location: { $geoWithin: { $polygon: [sf, la, [200, 0]] } } })).toBe(
      ParseErrorCode.INVALID_JSON,
    );
    expect(code({ location: { $geoWithin: { $polygon: 'square' } } })).toBe(ParseErrorCode.INVALID_JSON);
    expect(code({ location: { $geoWithin: { $centerSphere: [sf, -1] } } })).toBe(ParseErrorCode.INVALID_JSON);
    expect(code({ location: { $geoWithin: { $centerSphere: [sf] } } })).toBe(ParseErrorCode.INVALID_JSON);
    expect(code({ location: { $geoWithin: {} } })).toBe(ParseErrorCode.INVALID_JSON);
    expect(code({ area: { $geoIntersects: { $point: [0, 0] } } })).toBe(ParseErrorCode.INVALID_JSON);
  });

  it('answers 102 for geo operators on fields of another type, and false for missing fields', () => {
    expect(code({ name: { $nearSphere: sf } })).toBe(ParseErrorCode.INVALID_QUERY);
    expect(code({ area: { $within: { $box: [sf, la] } } })).toBe(ParseErrorCode.INVALID_QUERY);
    expect(code({ location: { $geoIntersects: { $point: sf } } })).toBe(ParseErrorCode.INVALID_QUERY);
    expect(code({ location: { $maxDistance: 1 } })).toBe(ParseErrorCode.INVALID_QUERY);
    expect(parseWhere({ nowhere: { $nearSphere: sf } }, schema)).toEqual({ kind: 'constant', value: false });
  });

  it('drops the distance order when the request has an order', () => {
    const where = JSON.stringify({ location: { $nearSphere: sf } });
    const limits = { defaultLimit: 100 };
    expect(parseFindRequest('Place', { where }, schema, limits).query.where).toMatchObject({
      sortByDistance: true,
    });
    expect(parseFindRequest('Place', { where, order: 'name' }, schema, limits).query.where).toMatchObject({
      sortByDistance: false,
    });
  });
});

describe('geo matching', () => {
  const at = (latitude: number, longitude: number): StorageObject => ({
    objectId: `${latitude},${longitude}`,
    location: point(latitude, longitude),
    area: {
      __type: 'Polygon',
      coordinates: [
        [0, 0],
        [0, 10],
        [10, 10],
        [10, 0],
      ],
    },
  });
  const where = (value: unknown) => parseWhere(value, schema);

  it('measures great-circle angles on a sphere of 6371 km', () => {
    // San Francisco to Los Angeles is about 559 km.
    expect(angularDistance(sf, la) * EARTH_RADIUS_KILOMETERS).toBeCloseTo(559, -1);
    expect(angularDistance(point(0, 0), point(0, 180))).toBeCloseTo(Math.PI, 10);
  });

  it('evaluates nearSphere, centerSphere, box, polygon and intersects', () => {
    const object = at(sf.latitude, sf.longitude);
    expect(matches(object, where({ location: { $nearSphere: la, $maxDistanceInKilometers: 600 } }))).toBe(
      true,
    );
    expect(matches(object, where({ location: { $nearSphere: la, $maxDistanceInKilometers: 500 } }))).toBe(
      false,
    );
    expect(matches(object, where({ location: { $geoWithin: { $centerSphere: [la, 600 / 6371] } } }))).toBe(
      true,
    );
    expect(
      matches(object, where({ location: { $within: { $box: [point(30, -125), point(38, -120)] } } })),
    ).toBe(true);
    expect(
      matches(object, where({ location: { $within: { $box: [point(30, -120), point(38, -115)] } } })),
    ).toBe(false);
    const inside = at(2, 2);
    const triangle = { $geoWithin: { $polygon: [point(0, 0), point(0, 10), point(10, 0)] } };
    expect(matches(inside, where({ location: triangle }))).toBe(true);
    expect(matches(at(6, 6), where({ location: triangle }))).toBe(false);
    expect(matches(at(5, 5), where({ location: triangle }))).toBe(true);
    expect(matches(inside, where({ area: { $geoIntersects: { $point: point(5, 5) } } }))).toBe(true);
    expect(matches(inside, where({ area: { $geoIntersects: { $point: point(11, 5) } } }))).toBe(false);
    expect(matches({ objectId: 'none' }, where({ location: { $nearSphere: la } }))).toBe(false);
  });

  it('decides point-in-polygon on the flat longitude/latitude plane, edges included', () => {
    const square = [point(0, 0), point(0, 4), point(4, 4), point(4, 0)];
    expect(pointInPolygon(point(2, 2), square)).toBe(true);
    expect(pointInPolygon(point(0, 2), square)).toBe(true);
    expect(pointInPolygon(point(4, 4), square)).toBe(true);
    expect(pointInPolygon(point(5, 2), square)).toBe(false);
  });
});
