import { describe, expect, it } from 'vitest';
import type { StorageObjects } from '../contracts/storage-adapter.js';
import type { StorageObject } from '../contracts/values.js';
import { ParseError, ParseErrorCode } from '../errors.js';
import { BulkCreates } from './bulk-create.js';

/** A storage that records the inserts it receives and refuses a taken objectId, like a unique index. */
function recordingStorage() {
  const stored = new Set<string>();
  const calls: string[][] = [];
  const insert = (objects: readonly StorageObject[]) => {
    calls.push(objects.map((object) => object.objectId));
    const ids = objects.map((object) => object.objectId);
    if (ids.some((id) => stored.has(id)) || new Set(ids).size < ids.length) {
      throw new ParseError(ParseErrorCode.DUPLICATE_VALUE, 'taken');
    }
    for (const id of ids) stored.add(id);
  };
  const storage = {
    createObject: async (_className: string, object: StorageObject) => insert([object]),
    createObjects: async (_className: string, objects: readonly StorageObject[]) => insert(objects),
    count: async () => stored.size,
  } as unknown as StorageObjects & Required<Pick<StorageObjects, 'createObjects'>>;
  return { storage, calls };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('BulkCreates', () => {
  it('inserts the objects of every participant with one call, in participant order', async () => {
    const { storage, calls } = recordingStorage();
    const bulk = new BulkCreates(storage, 3);
    const [a, b, c] = [bulk.participant(), bulk.participant(), bulk.participant()];
    const inserted = [
      (async () => {
        await tick();
        await a.storage.createObject('T', { objectId: 'a' });
      })().finally(a.settle),
      b.storage.createObject('T', { objectId: 'b' }).finally(b.settle),
      c.storage.createObject('T', { objectId: 'c' }).finally(c.settle),
    ];
    await Promise.all(inserted);
    expect(calls).toEqual([['a', 'b', 'c']]);
    // After the flush a participant's storage goes straight through; other methods are the storage's.
    await a.storage.createObject('T', { objectId: 'd' });
    expect(calls.at(-1)).toEqual(['d']);
    expect(await a.storage.count({ className: 'T', where: { kind: 'and', conditions: [] } })).toBe(4);
  });

  it('waits for participants that have not inserted yet, and not for those that finished without', async () => {
    const { storage, calls } = recordingStorage();
    const bulk = new BulkCreates(storage, 2);
    const [a, b] = [bulk.participant(), bulk.participant()];
    let done = false;
    const first = a.storage.createObject('T', { objectId: 'a' }).then(() => {
      done = true;
    });
    await tick();
    expect(done).toBe(false);
    b.settle();
    await first;
    expect(calls).toEqual([['a']]);
  });

  it('falls back to one insert per object when the bulk insert fails, so each gets its own answer', async () => {
    const { storage, calls } = recordingStorage();
    await storage.createObject('T', { objectId: 'taken' });
    const bulk = new BulkCreates(storage, 3);
    const views = [bulk.participant(), bulk.participant(), bulk.participant()];
    const results = await Promise.allSettled(
      ['x', 'taken', 'y'].map((objectId, at) =>
        views[at]?.storage.createObject('T', { objectId }).finally(views[at]?.settle),
      ),
    );
    expect(results.map((result) => result.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(calls.slice(1)).toEqual([['x', 'taken', 'y'], ['x'], ['taken'], ['y']]);
  });
});
