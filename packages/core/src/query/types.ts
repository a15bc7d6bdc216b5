import type { FieldRef, GeoPointValue, PointerValue, StorageValue } from '../contracts/values.js';

/** A comparison operator on one field. */
export type CompareOperator = 'eq' | 'ne' | 'lt' | 'lte' | 'gt' | 'gte';

/**
 * One node of a validated query condition.
 *
 * Core builds it from the REST `where` (after schema checks, value decoding, `$relativeTime`
 * resolution and CLP / ACL planning); storage adapters receive it and translate it. Adapters
 * never see raw REST JSON and never re-validate.
 *
 * Semantics adapters must honour:
 * - `compare` `eq` on an `Array` field with a non-array value matches arrays that contain it;
 *   with an array value it matches the exact array. `ne` is its negation and also matches a
 *   missing field. `eq` with `null` matches a missing field or null.
 * - `Pointer` fields compare by `objectId` (values are {@link PointerValue}s).
 * - `acl` matches objects whose permission array is absent (public) or shares a principal.
 */
export type Condition =
  | { readonly kind: 'and'; readonly conditions: readonly Condition[] }
  | { readonly kind: 'or'; readonly conditions: readonly Condition[] }
  | { readonly kind: 'nor'; readonly conditions: readonly Condition[] }
  | {
      readonly kind: 'compare';
      readonly field: FieldRef;
      readonly op: CompareOperator;
      readonly value: StorageValue;
    }
  | {
      readonly kind: 'in';
      readonly field: FieldRef;
      readonly values: readonly StorageValue[];
      /** `$nin` when true. */
      readonly negated: boolean;
    }
  | { readonly kind: 'all'; readonly field: FieldRef; readonly values: readonly StorageValue[] }
  | { readonly kind: 'containedBy'; readonly field: FieldRef; readonly values: readonly StorageValue[] }
  | { readonly kind: 'exists'; readonly field: FieldRef; readonly exists: boolean }
  | {
      readonly kind: 'regex';
      readonly field: FieldRef;
      readonly pattern: string;
      /** A subset of `imxs`, validated. */
      readonly flags: string;
    }
  | {
      readonly kind: 'text';
      readonly field: FieldRef;
      readonly term: string;
      readonly language?: string;
      readonly caseSensitive: boolean;
      readonly diacriticSensitive: boolean;
    }
  | {
      /** `$inQuery` / `$notInQuery`: the pointer field points into the subquery's results. */
      readonly kind: 'inQuery';
      readonly field: FieldRef;
      readonly query: ParseQuery;
      readonly negated: boolean;
    }
  | {
      /** `$select` / `$dontSelect`: the field's value is among `key` of the subquery's results. */
      readonly kind: 'select';
      readonly field: FieldRef;
      readonly query: ParseQuery;
      readonly key: FieldRef;
      readonly negated: boolean;
    }
  | {
      /** `$relatedTo`: objects in the `key` relation of `owner`. */
      readonly kind: 'relatedTo';
      readonly owner: PointerValue;
      readonly key: string;
    }
  | {
      readonly kind: 'nearSphere';
      readonly field: FieldRef;
      readonly point: GeoPointValue;
      readonly maxDistanceRadians?: number;
      /** Order results by distance (false when the request gives its own `order`). */
      readonly sortByDistance: boolean;
    }
  | {
      readonly kind: 'withinBox';
      readonly field: FieldRef;
      readonly southwest: GeoPointValue;
      readonly northeast: GeoPointValue;
    }
  | { readonly kind: 'withinPolygon'; readonly field: FieldRef; readonly polygon: readonly GeoPointValue[] }
  | {
      readonly kind: 'withinCenterSphere';
      readonly field: FieldRef;
      readonly center: GeoPointValue;
      readonly radiusRadians: number;
    }
  | { readonly kind: 'intersectsPoint'; readonly field: FieldRef; readonly point: GeoPointValue }
  | {
      /** Rows the principals may read (`_rperm`) or write (`_wperm`); a missing array is public. */
      readonly kind: 'acl';
      readonly access: 'read' | 'write';
      readonly principals: readonly string[];
    }
  | {
      /** Pointer permissions: `field` (a Pointer to `_User` or an Array of them) holds `userId`. */
      readonly kind: 'pointerPermission';
      readonly field: FieldRef;
      readonly userId: string;
    }
  | { readonly kind: 'constant'; readonly value: boolean };

/** The condition every kind name maps to, for exhaustive switches in adapters. */
export type ConditionKind = Condition['kind'];

/** One sort key. `$score` sorts by text relevance. */
export interface SortKey {
  readonly field: FieldRef | '$score';
  readonly descending: boolean;
}

/**
 * A validated read, as every storage adapter receives it.
 *
 * @example
 * // GET /classes/GameScore?where={"score":{"$gte":1000}}&order=-score&limit=10
 * { className: 'GameScore',
 *   where: { kind: 'compare', field: { name: 'score', path: [], type: 'Number' }, op: 'gte', value: 1000 },
 *   sort: [{ field: { name: 'score', path: [], type: 'Number' }, descending: true }],
 *   limit: 10, skip: 0 }
 */
export interface ParseQuery {
  readonly className: string;
  readonly where: Condition;
  readonly sort?: readonly SortKey[];
  /** Maximum number of objects; `undefined` means no limit (subqueries). */
  readonly limit?: number;
  /** @default 0 */
  readonly skip?: number;
  /**
   * Top-level fields to return; `undefined` means all. `objectId`, `createdAt`,
   * `updatedAt`, `_rperm` and `_wperm` are always returned.
   */
  readonly keys?: readonly string[];
  /** An index hint, passed to the backend when it supports hints. */
  readonly hint?: string;
  /**
   * Answer each object's text-search relevance as `score` (REST `keys=$score`). Only with a
   * `text` condition; adapters without `capabilities.fullText` never see it.
   */
  readonly score?: boolean;
  /**
   * Pointer fields whose objects come back in the same read (REST `include`), as
   * {@link IncludedValue}s in place of the pointers. Only adapters with `capabilities.include`
   * receive it.
   */
  readonly include?: readonly IncludePlan[];
}

/** One pointer field to resolve in a read, and what of its class the request may see. */
export interface IncludePlan {
  /** A top-level `Pointer` field of the object being read. */
  readonly field: string;
  /** The field's target class. */
  readonly className: string;
  /** The condition a pointed-to object must meet (its class's read ACL); else it reads as null. */
  readonly where: Condition;
  /** Pointers of the included object to resolve in turn (`include=a.b`). */
  readonly include?: readonly IncludePlan[];
}

/** The empty condition: matches every object. */
export const MATCH_ALL: Condition = { kind: 'and', conditions: [] };
