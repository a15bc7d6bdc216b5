import type { ClassSchema, FieldDefinition, FieldRef, StorageAdapter, StorageObject } from '@openparse/core';
import { DEFAULT_CLASS_LEVEL_PERMISSIONS, DEFAULT_FIELDS } from '@openparse/core';

/** Creates a class with the default fields plus `fields`. */
export async function createClass(
  adapter: StorageAdapter,
  className: string,
  fields: Record<string, FieldDefinition> = {},
): Promise<ClassSchema> {
  return adapter.createClass({
    className,
    fields: { ...DEFAULT_FIELDS, ...fields },
    classLevelPermissions: DEFAULT_CLASS_LEVEL_PERMISSIONS,
  });
}

/** A field reference for conditions. */
export function ref(
  name: string,
  type: FieldDefinition['type'],
  path: string[] = [],
  targetClass?: string,
): FieldRef {
  return targetClass ? { name, path, type, targetClass } : { name, path, type };
}

let counter = 0;

/** A stored object with a fresh objectId and timestamps. */
export function object(fields: Omit<StorageObject, 'objectId'> & { objectId?: string }): StorageObject {
  counter += 1;
  const now = new Date(Date.UTC(2024, 0, 1, 0, 0, counter % 60));
  return {
    objectId: `obj${counter.toString().padStart(7, '0')}`,
    createdAt: now,
    updatedAt: now,
    ...fields,
  } as StorageObject;
}

/** The GameScore class most tests use. */
export const GAME_SCORE_FIELDS: Record<string, FieldDefinition> = {
  score: { type: 'Number' },
  playerName: { type: 'String' },
  cheatMode: { type: 'Boolean' },
  tags: { type: 'Array' },
  meta: { type: 'Object' },
  when: { type: 'Date' },
  player: { type: 'Pointer', targetClass: 'Player' },
};

/** Object ids of `objects`, sorted, for order-insensitive comparisons. */
export function ids(objects: readonly StorageObject[]): string[] {
  return objects.map((o) => o.objectId).sort();
}

/** The condition `objectId = id`. */
export const byId = (objectId: string) =>
  ({ kind: 'compare', field: ref('objectId', 'String'), op: 'eq', value: objectId }) as const;

/** One object of `className` (GameScore by default) by id. */
export async function readOne(
  adapter: StorageAdapter,
  objectId: string,
  className = 'GameScore',
): Promise<StorageObject | undefined> {
  const [found] = await adapter.find({ className, where: byId(objectId) });
  return found;
}
