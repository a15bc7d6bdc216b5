import {
  type ClassSchema,
  compareObjects,
  DEFAULT_CLASS_LEVEL_PERMISSIONS,
  DEFAULT_FIELDS,
  type JsonValue,
  matches,
  parseWhere,
  type SortKey,
  type StorageObject,
} from '@openparse/core';
import type { PostgresStorageAdapter } from '@openparse/storage-postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Backend, pgliteBackend, postgresBackend } from './backends.js';

// Random queries over random data: the in-memory matcher (which LiveQuery uses), PostgreSQL
// and PGlite must select the same objects, in the same order. A failure prints the seed, the
// query and the objects the two sides disagree on; `MATCHER_SEED=<n>` replays one case.

const CLASS = 'Agreement';
const OBJECTS = 80;
const QUERIES = Number(process.env.MATCHER_QUERIES ?? 400);

const schema: ClassSchema = {
  className: CLASS,
  fields: {
    ...DEFAULT_FIELDS,
    n: { type: 'Number' },
    s: { type: 'String' },
    b: { type: 'Boolean' },
    d: { type: 'Date' },
    tags: { type: 'Array' },
    meta: { type: 'Object' },
    owner: { type: 'Pointer', targetClass: 'Owner' },
  },
  classLevelPermissions: DEFAULT_CLASS_LEVEL_PERMISSIONS,
};

/** mulberry32: small, seedable, good enough to spread test cases. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

class Generator {
  readonly #next: () => number;
  constructor(seed: number) {
    this.#next = random(seed);
  }
  int(below: number): number {
    return Math.floor(this.#next() * below);
  }
  chance(p: number): boolean {
    return this.#next() < p;
  }
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)] as T;
  }
  number(): number {
    return this.pick([-2, -1, 0, 0.5, 1, 2, 3, 5, 8, 13, 100]);
  }
  string(): string {
    return this.pick(['', 'a', 'ab', 'abc', 'b', 'ba', 'Abc', 'x', 'xy', 'é', 'a b']);
  }
  date(): Date {
    return new Date(Date.UTC(2024, 0, 1 + this.int(10)));
  }
  owner(): string {
    return this.pick(['o1', 'o2', 'o3']);
  }
}

function makeObject(g: Generator, index: number): StorageObject {
  const object: StorageObject = { objectId: `obj${index}`, createdAt: new Date(0), updatedAt: new Date(0) };
  if (g.chance(0.8)) object.n = g.number();
  if (g.chance(0.8)) object.s = g.string();
  if (g.chance(0.7)) object.b = g.chance(0.5);
  if (g.chance(0.7)) object.d = g.date();
  if (g.chance(0.7)) {
    object.tags = Array.from({ length: g.int(4) }, () => (g.chance(0.5) ? g.number() : g.string()));
  }
  if (g.chance(0.6)) {
    const meta: Record<string, JsonValue> = {};
    if (g.chance(0.8)) meta.x = g.number();
    if (g.chance(0.5)) meta.y = g.string();
    object.meta = meta;
  }
  if (g.chance(0.6)) object.owner = { __type: 'Pointer', className: 'Owner', objectId: g.owner() };
  return object;
}

type Where = Record<string, JsonValue>;

const iso = (date: Date): JsonValue => ({ __type: 'Date', iso: date.toISOString() });

function fieldConstraint(g: Generator): Where {
  switch (g.int(9)) {
    case 0: {
      const op = g.pick(['$lt', '$lte', '$gt', '$gte', '$ne', '$eq']);
      return g.chance(0.3) ? { n: g.number() } : { n: { [op]: g.number() } };
    }
    case 1: {
      const op = g.pick(['$lt', '$lte', '$gt', '$gte', '$ne', '$eq']);
      return g.chance(0.3) ? { s: g.string() } : { s: { [op]: g.string() } };
    }
    case 2:
      return g.pick<Where>([
        { b: g.chance(0.5) },
        { b: { $ne: g.chance(0.5) } },
        { d: { [g.pick(['$lt', '$gte', '$ne'])]: iso(g.date()) } },
        { d: iso(g.date()) },
      ]);
    case 3: {
      const field = g.pick(['n', 's', 'tags']);
      const values = Array.from({ length: 1 + g.int(3) }, () => (field === 's' ? g.string() : g.number()));
      return { [field]: { [g.pick(['$in', '$nin'])]: values } };
    }
    case 4:
      return {
        [g.pick(['n', 's', 'b', 'd', 'tags', 'meta', 'owner', 'meta.x'])]: { $exists: g.chance(0.5) },
      };
    case 5: {
      const anchored = g.pick(['^a', 'b$', 'a', '^$', 'A', '^\\Qa b\\E']);
      return { s: g.chance(0.3) ? { $regex: anchored, $options: 'i' } : { $regex: anchored } };
    }
    case 6: {
      const values = Array.from({ length: 1 + g.int(2) }, () => (g.chance(0.5) ? g.number() : g.string()));
      return g.pick<Where>([
        { tags: values[0] as JsonValue },
        { tags: { $all: values } },
        { tags: { $containedBy: values } },
        { tags: values },
      ]);
    }
    case 7:
      return g.pick<Where>([
        { 'meta.x': { [g.pick(['$lt', '$gt', '$eq', '$ne'])]: g.number() } },
        { 'meta.y': g.string() },
        { 'meta.x': g.number() },
      ]);
    default:
      return g.chance(0.5)
        ? { owner: { __type: 'Pointer', className: 'Owner', objectId: g.owner() } }
        : {
            owner: {
              [g.pick(['$ne', '$eq'])]: { __type: 'Pointer', className: 'Owner', objectId: g.owner() },
            },
          };
  }
}

function where(g: Generator, depth = 0): Where {
  const roll = g.int(10);
  if (depth < 2 && roll < 3) {
    const clauses = Array.from({ length: 1 + g.int(3) }, () => where(g, depth + 1));
    return { [g.pick(['$or', '$and', '$nor'])]: clauses };
  }
  const result: Where = {};
  for (let i = 0; i < 1 + g.int(2); i++) Object.assign(result, fieldConstraint(g));
  return result;
}

function sortOf(g: Generator): SortKey[] {
  const field = g.pick(['n', 's', 'd', 'b']);
  const ref = { name: field, path: [], type: schema.fields[field]?.type };
  // objectId breaks ties, so both sides have one right order.
  return [
    { field: ref, descending: g.chance(0.5) },
    { field: { name: 'objectId', path: [], type: 'String' }, descending: false },
  ];
}

describe('matcher and database agree on random queries', async () => {
  const backends = [await pgliteBackend(), await postgresBackend()].filter(
    (backend): backend is Backend => backend !== undefined,
  );
  const adapters: PostgresStorageAdapter[] = [];
  const seed = Number(process.env.MATCHER_SEED ?? 20261123);
  const data = new Generator(seed);
  const objects = Array.from({ length: OBJECTS }, (_, index) => makeObject(data, index));

  beforeAll(async () => {
    for (const backend of backends) {
      const adapter = await backend.adapter();
      await adapter.createClass(schema);
      for (const object of objects) await adapter.createObject(CLASS, object);
      adapters.push(adapter);
    }
  });
  afterAll(async () => {
    for (const adapter of adapters) await adapter.close();
    for (const backend of backends) await backend.close();
  });

  it(`${QUERIES} queries select the same objects in the same order (seed ${seed})`, async () => {
    const g = new Generator(seed + 1);
    let informative = 0;
    for (let q = 0; q < QUERIES; q++) {
      const rest = where(g);
      const condition = parseWhere(rest, schema);
      const sort = sortOf(g);
      const expected = objects
        .filter((object) => matches(object, condition))
        .sort(compareObjects(sort))
        .map((object) => object.objectId);
      if (expected.length > 0 && expected.length < OBJECTS) informative += 1;
      for (const [at, adapter] of adapters.entries()) {
        const found = await adapter.find({ className: CLASS, where: condition, sort, keys: [] });
        const ids = found.map((object) => object.objectId);
        if (ids.join() !== expected.join()) {
          const disagreeing = objects.filter(
            (object) => ids.includes(object.objectId) !== expected.includes(object.objectId),
          );
          expect.fail(
            `query #${q} (seed ${seed}) on ${backends[at]?.name}: ${JSON.stringify(rest)}\n` +
              `matcher: ${expected.join()}\ndatabase: ${ids.join()}\n` +
              `objects in one answer only: ${JSON.stringify(disagreeing)}`,
          );
        }
      }
    }
    // Most queries must select some objects and leave out others, or agreeing proves little.
    expect(informative).toBeGreaterThan(QUERIES * 0.6);
    expect(adapters).toHaveLength(backends.length);
  });
});
