import type { Condition, JsonValue, StorageObject, StorageValue, UpdateRequest } from '@openparse/core';
import { jsonOf } from './values.js';

/**
 * The object an upsert inserts when nothing matched: the top-level `eq` conditions of its
 * where, then its update applied to an empty object (increments from 0, arrays from empty).
 */
export function upsertedObject(request: UpdateRequest): StorageObject {
  const object: StorageObject = { objectId: '' };
  collectEqualities(request.where, object);
  for (const [key, change] of Object.entries(request.update)) {
    const [name = key, ...path] = key.split('.');
    let value: StorageValue | undefined;
    switch (change.op) {
      case 'set':
        value = change.value;
        break;
      case 'increment':
        value = change.amount;
        break;
      case 'add':
        value = change.items.map(jsonOf) as JsonValue[];
        break;
      case 'addUnique':
        value = uniqueItems(change.items.map(jsonOf) as JsonValue[]);
        break;
      case 'remove':
        value = [];
        break;
      case 'unset':
        value = undefined;
        break;
    }
    if (path.length === 0) {
      if (value === undefined) delete object[name];
      else object[name] = value;
    } else if (value !== undefined) {
      object[name] = setPath(object[name], path, value);
    }
  }
  return object;
}

function collectEqualities(condition: Condition, into: StorageObject): void {
  if (condition.kind === 'and') {
    for (const inner of condition.conditions) collectEqualities(inner, into);
  } else if (condition.kind === 'compare' && condition.op === 'eq' && condition.field.path.length === 0) {
    if (condition.value !== null) into[condition.field.name] = condition.value;
  }
}

function uniqueItems(items: readonly JsonValue[]): JsonValue[] {
  const seen = new Set<string>();
  return items.filter((item) => {
    const key = JSON.stringify(item);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function setPath(base: StorageValue | undefined, path: readonly string[], value: StorageValue): StorageValue {
  const root: Record<string, JsonValue> =
    typeof base === 'object' && base !== null && !Array.isArray(base) && !(base instanceof Date)
      ? { ...(base as Record<string, JsonValue>) }
      : {};
  const [head, ...rest] = path;
  if (head === undefined) return value;
  root[head] = (rest.length === 0 ? jsonOf(value) : setPath(root[head], rest, value)) as JsonValue;
  return root;
}
