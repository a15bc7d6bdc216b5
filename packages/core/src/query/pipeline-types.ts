import type { StorageValue } from '../contracts/values.js';
import type { Condition } from './types.js';

/**
 * A path into a pipeline document: the top-level key, then keys inside objects.
 * `objectId` is the document's id (MongoDB's `_id`): the object's id before a `$group`, the
 * group key after it.
 */
export type DocumentPath = readonly string[];

/** Date parts of the date expression operators, with MongoDB's numbering (UTC). */
export type DatePart =
  | 'year'
  | 'month'
  | 'dayOfMonth'
  | 'hour'
  | 'minute'
  | 'second'
  | 'millisecond'
  /** 1 (Sunday) to 7 (Saturday). */
  | 'dayOfWeek'
  /** 1 to 366. */
  | 'dayOfYear'
  /** 0 to 53: weeks start on Sunday, days before the year's first Sunday are in week 0. */
  | 'week'
  /** ISO 8601: 1 to 53. */
  | 'isoWeek'
  /** ISO 8601: 1 (Monday) to 7 (Sunday). */
  | 'isoDayOfWeek'
  | 'isoWeekYear';

/**
 * A validated aggregation expression. Documents hold Parse JSON: dates are
 * `{__type: 'Date', iso}`, pointers `{__type: 'Pointer', className, objectId}`.
 */
export type AggregateExpression =
  /** The value at `path` (MongoDB's `'$a.b'`); missing reads as SQL-style "no value". */
  | { readonly kind: 'field'; readonly path: DocumentPath }
  | { readonly kind: 'literal'; readonly value: StorageValue }
  /** A date part of a Date value; anything that is not a Date gives null. */
  | { readonly kind: 'datePart'; readonly part: DatePart; readonly of: AggregateExpression }
  /** An object built from named expressions; entries without a value are left out. */
  | {
      readonly kind: 'object';
      readonly fields: readonly { readonly name: string; readonly value: AggregateExpression }[];
    };

/** Accumulators of `$group`, with MongoDB's semantics. */
export type AccumulatorOperator = 'sum' | 'avg' | 'min' | 'max' | 'push' | 'addToSet' | 'first' | 'last';

/**
 * One output field of `$group`.
 * - `sum`: the sum of the numeric values (non-numbers ignored), 0 when there are none;
 *   a literal number `n` sums `n` per document (`$sum: 1` counts);
 * - `avg`: the mean of the numeric values, null when there are none;
 * - `min` / `max`: the smallest / largest non-null value, null when there is none;
 * - `push` / `addToSet`: every value (in document order) / each distinct value, missing ones left out;
 * - `first` / `last`: the value of the first / last document of the group (null when missing);
 * - `count`: the number of documents.
 */
export type Accumulator =
  | { readonly op: AccumulatorOperator; readonly of: AggregateExpression }
  | { readonly op: 'count' };

/** One named output of `$group` or a computed `$project` field. */
export interface NamedAccumulator {
  readonly name: string;
  readonly accumulator: Accumulator;
}

/** One sort key of `$sort`: missing values sort first ascending. */
export interface PipelineSortKey {
  readonly path: DocumentPath;
  readonly descending: boolean;
}

/**
 * One validated pipeline stage. Core has checked every name, operator and number; adapters
 * translate each stage as written and never re-validate.
 */
export type AggregateStage =
  /**
   * Documents that match. `where` is the Parse query language already parsed: on the class's
   * own columns while `onClass` (every stage before it was a `$match`), on documents after.
   */
  | { readonly kind: 'match'; readonly where: Condition; readonly onClass: boolean }
  /**
   * One document per distinct `key` value (null groups missing and null values), answered as
   * `objectId`. A Pointer key value groups by, and answers, its `objectId` (as parse-server does).
   */
  | {
      readonly kind: 'group';
      readonly key: AggregateExpression;
      readonly fields: readonly NamedAccumulator[];
    }
  /**
   * `include`: only these top-level keys (and `objectId` unless `excludeId`), plus `computed`.
   * `exclude`: every key but these.
   */
  | {
      readonly kind: 'project';
      readonly mode: 'include';
      readonly keys: readonly string[];
      readonly excludeId: boolean;
      readonly computed: readonly { readonly name: string; readonly value: AggregateExpression }[];
    }
  | { readonly kind: 'project'; readonly mode: 'exclude'; readonly keys: readonly string[] }
  | { readonly kind: 'sort'; readonly keys: readonly PipelineSortKey[] }
  | { readonly kind: 'limit'; readonly count: number }
  | { readonly kind: 'skip'; readonly count: number }
  /** One document `{[field]: n}`; no document when there is nothing to count. */
  | { readonly kind: 'count'; readonly field: string }
  /**
   * One document per element of the array at `path` (a non-array value counts as a one-element
   * array). Missing, null and empty arrays drop the document unless `preserveEmpty`.
   */
  | {
      readonly kind: 'unwind';
      readonly path: DocumentPath;
      readonly indexField?: string;
      readonly preserveEmpty: boolean;
    }
  /** `size` documents chosen at random. */
  | { readonly kind: 'sample'; readonly size: number }
  /**
   * `as` becomes the array of `from`'s objects whose `foreignPath` value equals the
   * `localPath` value (any element when it is an array; a Pointer compares by its objectId).
   */
  | {
      readonly kind: 'lookup';
      readonly from: string;
      readonly localPath: DocumentPath;
      readonly foreignPath: DocumentPath;
      readonly as: string;
    };

/** The stage names, for exhaustive switches in adapters. */
export type AggregateStageKind = AggregateStage['kind'];
