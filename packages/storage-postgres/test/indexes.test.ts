import { PGlite } from '@electric-sql/pglite';
import {
  type Condition,
  DEFAULT_CLASS_LEVEL_PERMISSIONS,
  DEFAULT_FIELDS,
  type FieldRef,
  type ParseQuery,
} from '@openparse/core';
import { pgliteExtensions, PostgresStorageAdapter } from '@openparse/storage-postgres';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { createTestDatabase, postgresAvailable } from './services.js';

// Which index serves which query: indexes made through `updateIndexes` (REST `indexes`), and the
// plan PostgreSQL picks for the adapter's own statement, with sequential scans off so that a
// usable index is always chosen on these small tables.

interface Target {
  readonly name: string;
  readonly adapter: PostgresStorageAdapter;
  close(): Promise<void>;
}

async function pgliteTarget(): Promise<Target> {
  const db = await PGlite.create({ extensions: pgliteExtensions });
  await db.query('SET enable_seqscan = off');
  const adapter = new PostgresStorageAdapter({ pglite: db });
  await adapter.connect();
  return {
    name: 'PGlite',
    adapter,
    close: async () => {
      await adapter.close();
      await db.close();
    },
  };
}

async function postgresTarget(): Promise<Target | undefined> {
  if (!(await postgresAvailable())) return undefined;
  const database = await createTestDatabase();
  const pool = new pg.Pool({ connectionString: database.uri, max: 2, options: '-c enable_seqscan=off' });
  pool.on('error', () => undefined);
  const adapter = new PostgresStorageAdapter({ client: pool });
  await adapter.connect();
  return {
    name: 'PostgreSQL',
    adapter,
    close: async () => {
      await adapter.close();
      await pool.end();
      await database.drop();
    },
  };
}

const targets = [await pgliteTarget(), await postgresTarget()].filter((t): t is Target => t !== undefined);
afterAll(async () => {
  for (const target of targets) await target.close();
});

const ref = (name: string, type: FieldRef['type']): FieldRef => ({ name, path: [], type });

describe.each(targets)('indexes on $name', ({ adapter }) => {
  const plan = async (where: Condition, extra: Partial<ParseQuery> = {}) =>
    JSON.stringify(await adapter.explain({ className: 'Post', where, limit: 10, ...extra }));

  it('b-tree, GIN on arrays and text indexes serve the queries they are made for', async () => {
    await adapter.createClass({
      className: 'Post',
      fields: {
        ...DEFAULT_FIELDS,
        score: { type: 'Number' },
        title: { type: 'String' },
        tags: { type: 'Array' },
        labels: { type: 'Array', contents: { type: 'String' } } as never,
      },
      classLevelPermissions: DEFAULT_CLASS_LEVEL_PERMISSIONS,
    });
    for (let n = 0; n < 50; n++) {
      await adapter.createObject('Post', {
        objectId: `p${n}`,
        score: n,
        title: n % 2 ? 'running shoes on sale' : 'a quiet walk',
        tags: [n, `t${n % 5}`],
        labels: [`l${n % 3}`],
      });
    }
    await adapter.updateIndexes({
      className: 'Post',
      create: {
        score_1: { score: 1 },
        tags_1: { tags: 1 },
        labels_1: { labels: 1 },
        title_text: { title: 'text' },
      },
    });
    const score = await plan({ kind: 'compare', field: ref('score', 'Number'), op: 'gte', value: 40 });
    expect(score).toContain('score_1');
    const tag = await plan({ kind: 'compare', field: ref('tags', 'Array'), op: 'eq', value: 't3' });
    expect(tag).toContain('tags_1');
    const all = await plan({ kind: 'all', field: ref('tags', 'Array'), values: ['t1', 6] });
    expect(all).toContain('tags_1');
    const label = await plan({ kind: 'compare', field: ref('labels', 'Array'), op: 'eq', value: 'l2' });
    expect(label).toContain('labels_1');
    const text = await plan({
      kind: 'text',
      field: ref('title', 'String'),
      term: 'runs',
      caseSensitive: false,
      diacriticSensitive: false,
    });
    expect(text).toContain('title_text');

    // And the answers are right with the indexes in place.
    const found = await adapter.find({
      className: 'Post',
      where: {
        kind: 'and',
        conditions: [
          {
            kind: 'text',
            field: ref('title', 'String'),
            term: 'runs',
            caseSensitive: false,
            diacriticSensitive: false,
          },
          { kind: 'compare', field: ref('labels', 'Array'), op: 'eq', value: 'l2' },
          { kind: 'compare', field: ref('tags', 'Array'), op: 'eq', value: 't0' },
        ],
      },
    });
    // Odd n (title), n % 3 === 2 (label), n % 5 === 0 (tag): 5, 35.
    expect(found.map((object) => object.objectId).sort()).toEqual(['p35', 'p5']);
  });

  it('a text index needs one String field', async () => {
    await expect(
      adapter.updateIndexes({ className: 'Post', create: { bad: { score: 'text' } } }),
    ).rejects.toMatchObject({ code: 102 });
    await expect(
      adapter.updateIndexes({ className: 'Post', create: { bad: { title: 'text', score: 1 } } }),
    ).rejects.toMatchObject({ code: 102 });
  });
});
