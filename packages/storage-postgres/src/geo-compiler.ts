import type { Condition, GeoPointValue } from '@openparse/core';
import type { ResolvedField } from './field-kinds.js';
import { geoUnavailable, type GeoSupport } from './geo-support.js';
import type { Params } from './sql.js';

type GeoCondition = Extract<
  Condition,
  { kind: 'nearSphere' | 'withinBox' | 'withinPolygon' | 'withinCenterSphere' | 'intersectsPoint' }
>;

/**
 * The point column on the earthdistance sphere. Points are stored as (longitude, latitude),
 * so `[1]` is the latitude. The expression is the one GeoPoint indexes are built on
 * (see {@link earthIndexExpression}), so the planner can use them.
 */
export function earthOf(column: string): string {
  return `ll_to_earth(${column}[1], ${column}[0])`;
}

/** The expression of the GiST index that serves `$nearSphere` and `$centerSphere` on a GeoPoint column. */
export function earthIndexExpression(column: string): string {
  return `(${earthOf(column)})`;
}

function pointParams(point: GeoPointValue, params: Params): { lng: string; lat: string } {
  return { lng: params.add(point.longitude, 'float8'), lat: params.add(point.latitude, 'float8') };
}

/** Compiles geo conditions. Distances are angles (radians): `earth()` cancels out of every comparison. */
export class GeoCompiler {
  constructor(
    private readonly params: Params,
    private readonly support: () => GeoSupport,
  ) {}

  #requireSphere(operator: string): void {
    const support = this.support();
    if (!support.available) throw geoUnavailable(operator, support.reason);
  }

  #center(point: GeoPointValue): string {
    const { lng, lat } = pointParams(point, this.params);
    return `ll_to_earth(${lat}, ${lng})`;
  }

  /** The points within `radians` of `center`: an indexable box on the sphere, then the exact distance. */
  #withinRadius(column: string, center: GeoPointValue, radians: number): string {
    const sphere = this.#center(center);
    const radius = `(${this.params.add(radians, 'float8')} * earth())`;
    return `(earth_box(${sphere}, ${radius}) @> ${earthOf(column)} AND earth_distance(${sphere}, ${earthOf(column)}) <= ${radius})`;
  }

  compile(condition: GeoCondition, field: ResolvedField): string {
    if (field.kind === 'missing') return 'FALSE';
    const column = field.sql;
    switch (condition.kind) {
      case 'nearSphere':
        this.#requireSphere('$nearSphere');
        return condition.maxDistanceRadians === undefined
          ? `${column} IS NOT NULL`
          : this.#withinRadius(column, condition.point, condition.maxDistanceRadians);
      case 'withinCenterSphere':
        this.#requireSphere('$centerSphere');
        return this.#withinRadius(column, condition.center, condition.radiusRadians);
      case 'withinBox': {
        const sw = pointParams(condition.southwest, this.params);
        const ne = pointParams(condition.northeast, this.params);
        return `${column} <@ box(point(${sw.lng}, ${sw.lat}), point(${ne.lng}, ${ne.lat}))`;
      }
      case 'withinPolygon': {
        // Flat on the longitude/latitude plane, edges included: parse-server's `point <@ polygon`.
        const vertices = condition.polygon.map((point) => `(${point.longitude},${point.latitude})`);
        return `${column} <@ ${this.params.add(`(${vertices.join(',')})`, 'polygon')}`;
      }
      case 'intersectsPoint': {
        const { lng, lat } = pointParams(condition.point, this.params);
        return `${column} @> point(${lng}, ${lat})`;
      }
    }
  }

  /**
   * ` ORDER BY` key for `$nearSphere`: the distance through the sphere, which orders like the
   * great-circle distance and lets a GiST index on {@link earthOf} answer nearest-first (KNN).
   */
  distanceOrder(
    condition: Extract<Condition, { kind: 'nearSphere' }>,
    field: ResolvedField,
  ): string | undefined {
    if (field.kind !== 'point') return undefined;
    this.#requireSphere('$nearSphere');
    return `${earthOf(field.sql)} <-> ${this.#center(condition.point)}`;
  }
}

/** The first `nearSphere` that orders by distance, at the top level of the where (not inside `$or`). */
export function distanceSortOf(condition: Condition): Extract<Condition, { kind: 'nearSphere' }> | undefined {
  if (condition.kind === 'nearSphere') return condition.sortByDistance ? condition : undefined;
  if (condition.kind !== 'and') return undefined;
  for (const inner of condition.conditions) {
    const found = distanceSortOf(inner);
    if (found) return found;
  }
  return undefined;
}
