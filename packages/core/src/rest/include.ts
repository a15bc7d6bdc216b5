import type { JsonValue } from '../contracts/values.js';
import { isJsonObject, type JsonObject } from '../encoding/values.js';
import type { Condition } from '../query/types.js';
import { clpAllows } from '../security/class-level-permissions.js';
import { objectEncoder, readCondition } from '../security/read-policy.js';
import { readSettings } from './object-read.js';
import type { AppContext, RestRequest } from './types.js';

/** A pointer found in the answer, and where to put its object. */
interface Slot {
  readonly holder: JsonObject | JsonValue[];
  readonly key: string | number;
  readonly className: string;
  readonly objectId: string;
}

function isPointer(
  value: JsonValue | undefined,
): value is JsonObject & { className: string; objectId: string } {
  return (
    isJsonObject(value) &&
    value.__type === 'Pointer' &&
    typeof value.className === 'string' &&
    typeof value.objectId === 'string'
  );
}

/** The pointers at `path` below `objects` (arrays of pointers included), after earlier levels were included. */
function findSlots(objects: readonly JsonObject[], path: readonly string[]): Slot[] {
  let holders: JsonObject[] = [...objects];
  for (const segment of path.slice(0, -1)) {
    const next: JsonObject[] = [];
    for (const holder of holders) {
      const value = holder[segment];
      for (const item of Array.isArray(value) ? value : [value]) {
        if (isJsonObject(item) && item.__type === 'Object') next.push(item);
      }
    }
    holders = next;
  }
  const last = path[path.length - 1] as string;
  const slots: Slot[] = [];
  for (const holder of holders) {
    const keys = last === '*' ? Object.keys(holder) : [last];
    for (const key of keys) {
      const value = holder[key];
      if (isPointer(value)) slots.push({ holder, key, className: value.className, objectId: value.objectId });
      else if (Array.isArray(value)) {
        value.forEach((item, index) => {
          if (isPointer(item))
            slots.push({ holder: value, key: index, className: item.className, objectId: item.objectId });
        });
      }
    }
  }
  return slots;
}

/**
 * Replaces pointers at the `include` paths with the objects they point to, as parse-server
 * answers them (`__type: 'Object'`). One read per class and level; pointers to objects the
 * request may not read (CLP or ACL) are removed, as parse-server removes them.
 */
export async function applyIncludes(
  objects: readonly JsonObject[],
  paths: readonly (readonly string[])[],
  req: RestRequest,
  app: AppContext,
): Promise<void> {
  for (const path of paths) {
    const slots = findSlots(objects, path);
    const byClass = new Map<string, Set<string>>();
    for (const slot of slots) {
      const ids = byClass.get(slot.className) ?? new Set<string>();
      ids.add(slot.objectId);
      byClass.set(slot.className, ids);
    }
    const found = new Map<string, JsonObject>();
    for (const [className, ids] of byClass) {
      const schema = await app.schema.get(className);
      if (!schema || !(await app.schema.exists(className)) || !clpAllows(schema, 'get', req.auth)) continue;
      const byIds: Condition = {
        kind: 'in',
        field: { name: 'objectId', path: [], type: 'String' },
        values: [...ids],
        negated: false,
      };
      // A pointer to a session of someone else stays a pointer, like any unreadable object.
      if (className === '_Session' && !req.auth.isMaster && !req.auth.user) continue;
      const condition = readCondition(className, schema, req.auth, 'get');
      const rows = await req.storage.find({
        className,
        where: condition ? { kind: 'and', conditions: [byIds, condition] } : byIds,
      });
      const encode = objectEncoder(className, schema, req.auth, readSettings(app));
      for (const row of rows) {
        const encoded = encode(row);
        found.set(`${className}/${row.objectId}`, { __type: 'Object', className, ...encoded });
      }
    }
    // Pointers to objects the request may not read are dropped, as parse-server answers them:
    // the field disappears, and arrays lose the element (removed last to first).
    const unreadable = new Map<JsonValue[], number[]>();
    for (const slot of slots) {
      const object = found.get(`${slot.className}/${slot.objectId}`);
      if (Array.isArray(slot.holder)) {
        if (object) slot.holder[slot.key as number] = { ...object };
        else unreadable.set(slot.holder, [...(unreadable.get(slot.holder) ?? []), slot.key as number]);
      } else if (object) slot.holder[slot.key as string] = { ...object };
      else delete slot.holder[slot.key as string];
    }
    for (const [array, indexes] of unreadable) {
      for (const index of indexes.sort((a, b) => b - a)) array.splice(index, 1);
    }
  }
}
