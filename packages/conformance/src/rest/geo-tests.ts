import { expect } from 'vitest';
import type { RestClient } from './client.js';
import type { RestContext, RestHarness } from './harness.js';

const point = (latitude: number, longitude: number) => ({ __type: 'GeoPoint', latitude, longitude });

/** The guide's places, and a few more at known distances. */
const PLACES: [string, number, number][] = [
  ['azores', 40.0, -30.0],
  ['iceland', 60.0, -20.0],
  ['sf', 37.77, -122.42],
  ['oakland', 37.8, -122.27],
  ['la', 34.05, -118.24],
  ['tokyo', 35.68, 139.69],
];

async function seed({ api, createClass }: RestContext): Promise<string> {
  const className = await createClass('PlaceObject', {
    name: { type: 'String' },
    location: { type: 'GeoPoint' },
  });
  for (const [name, latitude, longitude] of PLACES) {
    const created = await api.post(`/classes/${className}`, { name, location: point(latitude, longitude) });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
  }
  await api.post(`/classes/${className}`, { name: 'unplaced' });
  return className;
}

/** Names of the results, in the order the server answered. */
async function names(api: RestClient, className: string, query: Record<string, unknown>): Promise<string[]> {
  const answer = await api.get(`/classes/${className}`, { query });
  expect(answer.status, JSON.stringify(answer.body)).toBe(200);
  return (answer.body.results as { name: string }[]).map((row) => row.name);
}

const sorted = (list: string[]) => [...list].sort();

/** The REST guide's GeoPoints section: $nearSphere, $within $box, $geoWithin, $geoIntersects. */
export function geoTests({ test }: RestHarness): void {
  test(
    'geo.near-sphere',
    '$nearSphere answers the nearest first, with limit; an explicit order takes precedence',
    async (context) => {
      const className = await seed(context);
      const { api } = context;
      const where = { location: { $nearSphere: point(30.0, -20.0) } };
      expect(await names(api, className, { where, limit: 10 })).toEqual([
        'azores',
        'iceland',
        'la',
        'oakland',
        'sf',
        'tokyo',
      ]);
      expect(await names(api, className, { where, limit: 2 })).toEqual(['azores', 'iceland']);
      expect(await names(api, className, { where, order: 'name', limit: 3 })).toEqual([
        'azores',
        'iceland',
        'la',
      ]);
    },
  );

  test('geo.max-distance', '$maxDistance (radians) bounds $nearSphere', async (context) => {
    const className = await seed(context);
    const near = (extra: Record<string, unknown>) => ({
      where: { location: { $nearSphere: point(37.75, -122.4), ...extra } },
    });
    // Oakland is about 12 km away, Los Angeles about 550 km, 0.01 rad is about 64 km.
    expect(await names(context.api, className, near({ $maxDistance: 0.01 }))).toEqual(['sf', 'oakland']);
    expect(await names(context.api, className, near({ $maxDistance: 0.1 }))).toEqual(['sf', 'oakland', 'la']);
  });

  test(
    'geo.max-distance-units',
    '$maxDistanceInMiles, $maxDistanceInKilometers and $maxDistanceInRadians bound $nearSphere',
    async (context) => {
      const className = await seed(context);
      const near = (extra: Record<string, unknown>) => ({
        where: { location: { $nearSphere: point(37.75, -122.4), ...extra } },
      });
      expect(await names(context.api, className, near({ $maxDistanceInMiles: 10.0 }))).toEqual([
        'sf',
        'oakland',
      ]);
      expect(await names(context.api, className, near({ $maxDistanceInMiles: 400 }))).toEqual([
        'sf',
        'oakland',
        'la',
      ]);
      expect(await names(context.api, className, near({ $maxDistanceInKilometers: 5 }))).toEqual(['sf']);
      expect(await names(context.api, className, near({ $maxDistanceInKilometers: 20 }))).toEqual([
        'sf',
        'oakland',
      ]);
      expect(await names(context.api, className, near({ $maxDistanceInRadians: 0.01 }))).toEqual([
        'sf',
        'oakland',
      ]);
    },
  );

  test('geo.within-box', '$within $box keeps the points between two corners', async (context) => {
    const className = await seed(context);
    const { api } = context;
    // The guide's box, with its corners as the guide writes them.
    const guide = { location: { $within: { $box: [point(37.71, -122.53), point(30.82, -122.37)] } } };
    expect(await names(api, className, { where: guide })).toEqual([]);
    const bay = { location: { $within: { $box: [point(37.7, -122.5), point(37.9, -122.2)] } } };
    expect(sorted(await names(api, className, { where: bay }))).toEqual(['oakland', 'sf']);
    const california = { location: { $within: { $box: [point(32, -125), point(42, -114)] } } };
    expect(sorted(await names(api, className, { where: california }))).toEqual(['la', 'oakland', 'sf']);
  });

  test(
    'geo.within-polygon',
    '$geoWithin $polygon takes GeoPoints, [longitude, latitude] pairs or a Polygon',
    async (context) => {
      const className = await seed(context);
      const { api } = context;
      // A triangle holding San Francisco and Los Angeles but not Oakland.
      const corners: [number, number][] = [
        [38.0, -123.0],
        [37.78, -122.3],
        [33.0, -117.0],
      ];
      const geoPoints = corners.map(([lat, lng]) => point(lat, lng));
      const pairs = corners.map(([lat, lng]) => [lng, lat]);
      for (const polygon of [geoPoints, pairs, { __type: 'Polygon', coordinates: pairs }]) {
        const where = { location: { $geoWithin: { $polygon: polygon } } };
        expect(sorted(await names(api, className, { where })), JSON.stringify(polygon)).toEqual(['la', 'sf']);
      }
    },
  );

  test(
    'geo.center-sphere',
    '$geoWithin $centerSphere keeps the points within a radius (radians) of a center',
    async (context) => {
      const className = await seed(context);
      const { api } = context;
      const within = (center: unknown, radians: number) => ({
        where: { location: { $geoWithin: { $centerSphere: [center, radians] } } },
      });
      expect(sorted(await names(api, className, within(point(37.75, -122.4), 0.01)))).toEqual([
        'oakland',
        'sf',
      ]);
      expect(sorted(await names(api, className, within([-122.4, 37.75], 0.1)))).toEqual([
        'la',
        'oakland',
        'sf',
      ]);
    },
  );

  test(
    'geo.intersects',
    '$geoIntersects $point keeps the Polygons that contain the point',
    async (context) => {
      const { api, createClass } = context;
      const className = await createClass('Zone', { name: { type: 'String' }, area: { type: 'Polygon' } });
      const square = (lat: number, lng: number, size: number) => ({
        __type: 'Polygon',
        coordinates: [
          [lat, lng],
          [lat + size, lng],
          [lat + size, lng + size],
          [lat, lng + size],
        ],
      });
      await api.post(`/classes/${className}`, { name: 'small', area: square(0, 0, 2) });
      await api.post(`/classes/${className}`, { name: 'tall', area: square(0, 0, 10) });
      await api.post(`/classes/${className}`, { name: 'away', area: square(50, 50, 1) });
      const containing = async (latitude: number, longitude: number) =>
        sorted(
          await names(api, className, {
            where: { area: { $geoIntersects: { $point: point(latitude, longitude) } } },
          }),
        );
      expect(await containing(1, 1)).toEqual(['small', 'tall']);
      expect(await containing(5, 1)).toEqual(['tall']);
      expect(await containing(-1, -1)).toEqual([]);
    },
  );

  test(
    'geo.combined',
    '$nearSphere combines with other constraints, count, keys and ACLs',
    async (context) => {
      const className = await seed(context);
      const { api } = context;
      const hidden = await api.post(`/classes/${className}`, {
        name: 'hidden',
        location: point(37.76, -122.41),
        ACL: {},
      });
      expect(hidden.status).toBe(201);
      const where = {
        location: { $nearSphere: point(37.75, -122.4), $maxDistance: 0.1 },
        name: { $ne: 'la' },
      };
      const answer = await api.get(`/classes/${className}`, { query: { where, count: 1, keys: 'name' } });
      expect(answer.status, JSON.stringify(answer.body)).toBe(200);
      expect(answer.body.count).toBe(2);
      expect(answer.body.results.map((row: { name: string }) => row.name)).toEqual(['sf', 'oakland']);
      expect(answer.body.results[0].location).toBeUndefined();
      const master = await api.get(`/classes/${className}`, {
        as: 'master',
        query: { where, count: 1, limit: 0 },
      });
      expect([master.body.count, master.body.results]).toEqual([3, []]);
    },
  );

  const rejects = async (context: RestContext, bad: unknown[]) => {
    const className = await seed(context);
    for (const where of bad) {
      const answer = await context.api.get(`/classes/${className}`, { query: { where } });
      expect([answer.status, answer.body.code], JSON.stringify(where)).toEqual([400, 107]);
    }
  };

  test('geo.invalid', 'a malformed $polygon or $centerSphere answers 400 107', (context) =>
    rejects(context, [
      { location: { $geoWithin: { $polygon: [point(0, 0), point(1, 1)] } } },
      { location: { $geoWithin: { $polygon: 'square' } } },
      { location: { $geoWithin: { $centerSphere: [point(0, 0), -1] } } },
      { location: { $geoWithin: { $centerSphere: point(0, 0) } } },
    ]),
  );

  test(
    'geo.invalid-operands',
    'coordinates out of range and malformed $box, $nearSphere or distances answer 400 107, never 500 or a silent match',
    (context) =>
      rejects(context, [
        { location: { $nearSphere: point(95, 0) } },
        { location: { $nearSphere: point(0, 181) } },
        { location: { $nearSphere: [1, 2] } },
        { location: { $nearSphere: point(1, 1), $maxDistance: 'far' } },
        { location: { $nearSphere: point(1, 1), $maxDistanceInMiles: -1 } },
        { location: { $within: { $box: [point(0, 0)] } } },
        { location: { $within: { $box: [1, 2] } } },
        { location: { $geoWithin: {} } },
        { location: { $geoWithin: { $polygon: [point(0, 0), point(1, 1), point(91, 1)] } } },
        { location: { $geoWithin: { $centerSphere: [point(-91, 0), 0.1] } } },
      ]),
  );

  test(
    'geo.wrong-field-type',
    'a geo operator on a field of another type, or a distance without $nearSphere, answers 400 102',
    async (context) => {
      const className = await seed(context);
      for (const where of [
        { name: { $nearSphere: point(1, 1) } },
        { name: { $within: { $box: [point(0, 0), point(1, 1)] } } },
        { location: { $geoIntersects: { $point: point(1, 1) } } },
        { location: { $maxDistance: 1 } },
      ]) {
        const answer = await context.api.get(`/classes/${className}`, { query: { where } });
        expect([answer.status, answer.body.code], JSON.stringify(where)).toEqual([400, 102]);
      }
    },
  );

  test(
    'geo.index',
    'PUT /schemas adds a 2dsphere index on a GeoPoint field; $nearSphere answers the same',
    async (context) => {
      const className = await seed(context);
      const { api } = context;
      const added = await api.put(
        `/schemas/${className}`,
        { indexes: { location_sphere: { location: '2dsphere' } } },
        { as: 'master' },
      );
      expect(added.status, JSON.stringify(added.body)).toBe(200);
      expect(added.body.indexes).toMatchObject({ location_sphere: { location: '2dsphere' } });
      const where = { location: { $nearSphere: point(37.75, -122.4), $maxDistance: 0.1 } };
      expect(await names(api, className, { where })).toEqual(['sf', 'oakland', 'la']);
      const removed = await api.put(
        `/schemas/${className}`,
        { indexes: { location_sphere: { __op: 'Delete' } } },
        { as: 'master' },
      );
      expect(removed.status, JSON.stringify(removed.body)).toBe(200);
    },
  );
}
