import type { IncludedValue, JsonValue, StorageObject } from '../contracts/values.js';
import { isJsonObject, type JsonObject } from '../encoding/values.js';
import { ParseError, ParseErrorCode } from '../errors.js';
import type { Condition, IncludePlan } from '../query/types.js';
import type { ClassSchema } from '../schema/types.js';
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
      const target = await readableTarget(className, req, app);
      if (!target) continue;
      const byIds: Condition = {
        kind: 'in',
        field: { name: 'objectId', path: [], type: 'String' },
        values: [...ids],
        negated: false,
      };
      const rows = await req.storage.find({
        className,
        where: target.where ? { kind: 'and', conditions: [byIds, target.where] } : byIds,
      });
      const encode = objectEncoder(className, target.schema, req.auth, readSettings(app));
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

/**
 * The schema of an included class and the condition its objects must meet to be readable by the
 * request, or undefined when none is (a missing class, CLP `get` refused, someone else's session).
 */
async function readableTarget(
  className: string,
  req: RestRequest,
  app: AppContext,
): Promise<{ schema: ClassSchema; where: Condition | undefined } | undefined> {
  const schema = await app.schema.get(className);
  const exists = schema !== undefined && (await app.schema.exists(className));
  if (!exists && !req.auth.isMaster && !app.allowClientClassCreation) {
    // As a direct read of it would: a client may not learn whether the class exists.
    throw new ParseError(
      ParseErrorCode.OPERATION_FORBIDDEN,
      `This user is not allowed to access non-existent class: ${className}`,
    );
  }
  if (!schema || !exists || !clpAllows(schema, 'get', req.auth)) return undefined;
  // A pointer to a session of someone else stays unreadable, like any object the request may not read.
  if (className === '_Session' && !req.auth.isMaster && !req.auth.user) return undefined;
  return { schema, where: readCondition(className, schema, req.auth, 'get') };
}

type Encoder = (object: StorageObject) => Record<string, JsonValue>;

/** Includes the storage resolves in the read, the paths left for {@link applyIncludes}, and how to encode. */
export interface IncludeSplit {
  readonly plans: readonly IncludePlan[];
  /** Paths through non-pointer fields (arrays of pointers, `*`), resolved after the read. */
  readonly rest: readonly (readonly string[])[];
  readonly encoderOf: (plan: IncludePlan) => Encoder;
}

interface PlanNode {
  readonly plan: { field: string; className: string; where: Condition; include?: IncludePlan[] };
  readonly schema: ClassSchema | undefined;
  readonly children: Map<string, PlanNode>;
}

const NOTHING: Condition = { kind: 'constant', value: false };
const EVERYTHING: Condition = { kind: 'and', conditions: [] };

/**
 * Splits `paths` (every prefix listed, shortest first) into include plans for the storage —
 * chains of `Pointer` fields, each with the condition the request may read its class under —
 * and the rest, which {@link applyIncludes} resolves after the read.
 */
export async function planIncludes(
  schema: ClassSchema | undefined,
  paths: readonly (readonly string[])[],
  req: RestRequest,
  app: AppContext,
): Promise<IncludeSplit> {
  const roots = new Map<string, PlanNode>();
  const encoders = new Map<IncludePlan, Encoder>();
  const rest: (readonly string[])[] = [];
  for (const path of paths) {
    let children = roots;
    let current = schema;
    let planned = true;
    for (const field of path) {
      const definition = field === '*' ? undefined : current?.fields[field];
      if (definition?.type !== 'Pointer' || !definition.targetClass) {
        planned = false;
        break;
      }
      let node = children.get(field);
      if (!node) {
        const target = await readableTarget(definition.targetClass, req, app);
        const plan = {
          field,
          className: definition.targetClass,
          where: target ? (target.where ?? EVERYTHING) : NOTHING,
        };
        node = { plan, schema: target?.schema, children: new Map() };
        encoders.set(plan, objectEncoder(plan.className, target?.schema, req.auth, readSettings(app)));
        children.set(field, node);
      }
      children = node.children;
      current = node.schema;
    }
    if (!planned) rest.push(path);
  }
  const build = (nodes: Map<string, PlanNode>): IncludePlan[] =>
    [...nodes.values()].map((node) => {
      if (node.children.size > 0) node.plan.include = build(node.children);
      return node.plan;
    });
  return {
    plans: build(roots),
    rest,
    encoderOf: (plan) => encoders.get(plan) as Encoder,
  };
}

/**
 * Encodes a read object whose planned pointers the storage resolved: the object with `encode`,
 * each included object with its class's encoder, as parse-server answers them
 * (`__type: 'Object'`). A pointer to an object the request may not read is dropped.
 */
export function encodeWithIncludes(
  object: StorageObject,
  encode: Encoder,
  plans: readonly IncludePlan[],
  encoderOf: IncludeSplit['encoderOf'],
): Record<string, JsonValue> {
  let stored = object;
  for (const plan of plans) {
    const value = object[plan.field];
    if (!isIncluded(value)) continue;
    if (stored === object) stored = { ...object };
    stored[plan.field] = value.pointer;
  }
  const encoded = encode(stored);
  if (stored === object) return encoded;
  for (const plan of plans) {
    const value = object[plan.field];
    // A field the encoder held back (protected for this request) stays held back.
    if (!isIncluded(value) || !(plan.field in encoded)) continue;
    if (!value.object) {
      delete encoded[plan.field];
      continue;
    }
    const included = encodeWithIncludes(value.object, encoderOf(plan), plan.include ?? [], encoderOf);
    included.__type = 'Object';
    included.className = plan.className;
    encoded[plan.field] = included;
  }
  return encoded;
}

function isIncluded(
  value: StorageObject[string] | undefined,
): value is IncludedValue & StorageObject[string] {
  return (value as { __type?: unknown } | null | undefined)?.__type === 'Included' && !Array.isArray(value);
}
