import type { FieldRef, StorageValue } from '../contracts/values.js';
import type { Condition } from './types.js';

/** A reference to a top-level field (no dot path). */
export function fieldRef(name: string, type: FieldRef['type'] = 'String'): FieldRef {
  return { name, path: [], type };
}

/** `name = value` on a top-level String field (ids, tokens, usernames…). */
export function equalTo(name: string, value: StorageValue, type: FieldRef['type'] = 'String'): Condition {
  return { kind: 'compare', field: fieldRef(name, type), op: 'eq', value };
}

/** `objectId = id`. */
export function byObjectId(objectId: string): Condition {
  return equalTo('objectId', objectId);
}
