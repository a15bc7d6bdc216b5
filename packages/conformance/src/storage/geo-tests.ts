import {
  type Condition,
  EARTH_RADIUS_KILOMETERS,
  type GeoPointValue,
  matches,
  type StorageAdapter,
} from '@openparse/core';
import { expect } from 'vitest';
import { createClass, ids, object, ref } from './fixtures.js';
import type { StorageHarness } from './harness.js';

const spot = ref('spot', 'GeoPoint');
const area = ref('area', 'Polygon');
const point = (latitude: number, longitude: number): GeoPointValue => ({
  __type: 'GeoPoint',
  latitude,
  longitude,
});
const km = (distance: number) => distance / EARTH_RADIUS_KILOMETERS;

async function seedPlaces(adapter: StorageAdapter): Promise<void> {
  await createClass(adapter, 'Place', { spot: { type: 'GeoPoint' }, name: { type: 'String' } });
  const places: [string, number, number][] = [
    ['sf', 37.77, -122.42],
    ['la', 34.05, -118.24],
    ['ny', 40.71, -74.0],
    ['sj', 37.34, -121.89],
  ];
  for (const [objectId, latitude, longitude] of places) {
    await adapter.createObject(
      'Place',
      object({ objectId, name: objectId, spot: point(latitude, longitude) }),
    );
  }
  await adapter.createObject('Place', object({ objectId: 'nowhere', name: 'nowhere' }));
}

const near = (
  center: GeoPointValue,
  maxDistanceRadians?: number,
  sortByDistance = true,
): Extract<Condition, { kind: 'nearSphere' }> => ({
  kind: 'nearSphere',
  field: spot,
  point: center,
  ...(maxDistanceRadians !== undefined ? { maxDistanceRadians } : {}),
  sortByDistance,
});

/** Geo conditions (`capabilities.geo`): distances on a sphere of 6371 km, boxes and polygons flat. */
export function geoTests({ test }: StorageHarness): void {
  test('geo.within-box', 'withinBox keeps points inside the box', async (adapter) => {
    await seedPlaces(adapter);
    const found = await adapter.find({
      className: 'Place',
      where: { kind: 'withinBox', field: spot, southwest: point(30, -125), northeast: point(38, -115) },
    });
    expect(ids(found)).toEqual(['la', 'sf', 'sj']);
  });

  test(
    'geo.near-sphere',
    'nearSphere orders by distance and honours the maximum distance',
    async (adapter) => {
      await seedPlaces(adapter);
      const found = await adapter.find({ className: 'Place', where: near(point(37, -122), 0.1) });
      expect(found.map((place) => place.objectId)).toEqual(['sj', 'sf', 'la']);
    },
  );

  test(
    'geo.near-sphere-unbounded',
    'nearSphere without a maximum orders every point by distance, with limit and skip',
    async (adapter) => {
      await seedPlaces(adapter);
      const all = await adapter.find({ className: 'Place', where: near(point(40, -75)) });
      expect(all.map((place) => place.objectId)).toEqual(['ny', 'la', 'sj', 'sf']);
      const page = await adapter.find({ className: 'Place', where: near(point(40, -75)), limit: 2, skip: 1 });
      expect(page.map((place) => place.objectId)).toEqual(['la', 'sj']);
      expect(await adapter.count({ className: 'Place', where: near(point(40, -75)) })).toBe(4);
    },
  );

  test(
    'geo.near-sphere-order',
    'a nearSphere that does not order by distance keeps the query order, and combines with other conditions',
    async (adapter) => {
      await seedPlaces(adapter);
      const sorted = await adapter.find({
        className: 'Place',
        where: near(point(37, -122), km(1000), false),
        sort: [{ field: ref('name', 'String'), descending: false }],
      });
      expect(sorted.map((place) => place.objectId)).toEqual(['la', 'sf', 'sj']);
      const narrowed = await adapter.find({
        className: 'Place',
        where: {
          kind: 'and',
          conditions: [
            near(point(37, -122), km(1000)),
            { kind: 'compare', field: ref('name', 'String'), op: 'ne', value: 'sj' },
          ],
        },
        keys: ['name'],
      });
      expect(narrowed.map((place) => place.objectId)).toEqual(['sf', 'la']);
      expect(narrowed[0]?.spot).toBeUndefined();
      expect(await adapter.count({ className: 'Place', where: near(point(37, -122), km(100)) })).toBe(2);
    },
  );

  test('geo.center-sphere', 'withinCenterSphere keeps points within the radius', async (adapter) => {
    await seedPlaces(adapter);
    const within = (radiusRadians: number) =>
      adapter.find({
        className: 'Place',
        where: { kind: 'withinCenterSphere', field: spot, center: point(37.77, -122.42), radiusRadians },
      });
    // San José is about 68 km from San Francisco, Los Angeles about 559 km.
    expect(ids(await within(km(50)))).toEqual(['sf']);
    expect(ids(await within(km(100)))).toEqual(['sf', 'sj']);
    expect(ids(await within(km(600)))).toEqual(['la', 'sf', 'sj']);
    expect(ids(await within(Math.PI))).toEqual(['la', 'ny', 'sf', 'sj']);
  });

  test(
    'geo.within-polygon',
    'withinPolygon keeps points inside the polygon (flat longitude/latitude plane)',
    async (adapter) => {
      await seedPlaces(adapter);
      // A triangle around the Bay Area and Los Angeles, leaving out New York.
      const polygon = [point(38, -124), point(38, -116), point(32, -118)];
      const found = await adapter.find({
        className: 'Place',
        where: { kind: 'withinPolygon', field: spot, polygon },
      });
      expect(ids(found)).toEqual(['la', 'sf', 'sj']);
      const narrow = [point(38, -123), point(38, -121), point(37, -122.5)];
      expect(
        ids(
          await adapter.find({
            className: 'Place',
            where: { kind: 'withinPolygon', field: spot, polygon: narrow },
          }),
        ),
      ).toEqual(['sf']);
    },
  );

  test('geo.intersects-point', 'intersectsPoint keeps polygons that contain the point', async (adapter) => {
    await createClass(adapter, 'Zone', { area: { type: 'Polygon' } });
    const square = (lat: number, lng: number, size: number) => ({
      __type: 'Polygon' as const,
      coordinates: [
        [lat, lng],
        [lat + size, lng],
        [lat + size, lng + size],
        [lat, lng + size],
      ] as [number, number][],
    });
    await adapter.createObject('Zone', object({ objectId: 'small', area: square(0, 0, 2) }));
    await adapter.createObject('Zone', object({ objectId: 'large', area: square(0, 0, 10) }));
    await adapter.createObject('Zone', object({ objectId: 'away', area: square(50, 50, 1) }));
    const containing = async (latitude: number, longitude: number) =>
      ids(
        await adapter.find({
          className: 'Zone',
          where: { kind: 'intersectsPoint', field: area, point: point(latitude, longitude) },
        }),
      );
    expect(await containing(1, 1)).toEqual(['large', 'small']);
    expect(await containing(5, 1)).toEqual(['large']);
    expect(await containing(-1, -1)).toEqual([]);
  });

  test(
    'geo.matches-in-memory',
    "geo conditions select exactly the objects core's in-memory matcher selects",
    async (adapter) => {
      await createClass(adapter, 'Grid', { spot: { type: 'GeoPoint' } });
      const stored = [];
      for (let latitude = -60; latitude <= 60; latitude += 15) {
        for (let longitude = -170; longitude <= 170; longitude += 20) {
          const row = object({ objectId: `p${latitude}_${longitude}`, spot: point(latitude, longitude) });
          stored.push(row);
          await adapter.createObject('Grid', row);
        }
      }
      const conditions: Condition[] = [
        near(point(10, 20), 0.5),
        near(point(-45, 170), 0.8),
        { kind: 'withinCenterSphere', field: spot, center: point(52, -3), radiusRadians: km(3000) },
        { kind: 'withinBox', field: spot, southwest: point(-20, -100), northeast: point(35, 45) },
        {
          kind: 'withinPolygon',
          field: spot,
          polygon: [point(-50, -120), point(40, -20), point(10, 80), point(-5, 0)],
        },
      ];
      for (const condition of conditions) {
        const found = await adapter.find({ className: 'Grid', where: condition });
        const expected = stored.filter((row) => matches(row, condition)).map((row) => row.objectId);
        expect(ids(found), JSON.stringify(condition)).toEqual([...expected].sort());
        expect(expected.length).toBeGreaterThan(0);
      }
    },
  );

  test(
    'geo.indexes',
    'indexes on a GeoPoint field (2dsphere, 2d) and a Polygon field are created, listed and dropped',
    async (adapter) => {
      await seedPlaces(adapter);
      await adapter.addField({ className: 'Place', fieldName: 'area', field: { type: 'Polygon' } });
      await adapter.updateIndexes({
        className: 'Place',
        create: {
          spot_sphere: { spot: '2dsphere' },
          spot_flat: { spot: '2d' },
          area_index: { area: '2dsphere' },
        },
      });
      const schema = await adapter.getClass('Place');
      expect(schema?.indexes).toMatchObject({
        spot_sphere: { spot: '2dsphere' },
        spot_flat: { spot: '2d' },
        area_index: { area: '2dsphere' },
      });
      const found = await adapter.find({ className: 'Place', where: near(point(37, -122), 0.1) });
      expect(found.map((place) => place.objectId)).toEqual(['sj', 'sf', 'la']);
      await adapter.updateIndexes({ className: 'Place', drop: ['spot_sphere', 'spot_flat', 'area_index'] });
      expect((await adapter.getClass('Place'))?.indexes ?? {}).toEqual({});
    },
  );
}
