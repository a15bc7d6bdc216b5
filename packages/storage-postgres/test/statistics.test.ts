import { PGlite } from '@electric-sql/pglite';
import {
  type Condition,
  DEFAULT_CLASS_LEVEL_PERMISSIONS,
  DEFAULT_FIELDS,
  type StorageObject,
} from '@openparse/core';
import { pgliteExtensions, PostgresStorageAdapter } from '@openparse/storage-postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// PGlite runs no autovacuum: the adapter analyzes a table once its writes pass autovacuum's
// threshold (50 rows + 10%), so that reads are planned on statistics rather than guesses.

const db = await PGlite.create({ extensions: pgliteExtensions });
const adapter = new PostgresStorageAdapter({ pglite: db });
afterAll(async () => {
  await adapter.close();
  await db.close();
});

const reltuples = async (table: string) =>
  Number(
    (await db.query<{ n: number }>('SELECT reltuples::float8 AS n FROM pg_class WHERE relname = $1', [table]))
      .rows[0]?.n,
  );

/** Lets the background ANALYZE (queued behind the write on PGlite's one connection) finish. */
const settle = () => db.query('SELECT 1');

const scores = (from: number, count: number): StorageObject[] =>
  Array.from({ length: count }, (_, i) => ({
    objectId: `s${from + i}`,
    score: (from + i) % 1000,
  }));

describe('statistics on PGlite', () => {
  beforeAll(async () => {
    await adapter.connect();
    await adapter.createClass({
      className: 'Score',
      fields: { ...DEFAULT_FIELDS, score: { type: 'Number' } },
      classLevelPermissions: DEFAULT_CLASS_LEVEL_PERMISSIONS,
    });
    await adapter.updateIndexes({ className: 'Score', create: { score_1: { score: 1 } } });
  });

  it('a table is analyzed once 50 rows were written, and again after 10% more', async () => {
    await adapter.createObjects('Score', scores(0, 49));
    await settle();
    expect(await reltuples('Score')).toBe(-1); // never analyzed
    await adapter.createObjects('Score', scores(49, 1));
    await settle();
    expect(await reltuples('Score')).toBe(50);
    await adapter.createObjects('Score', scores(50, 950));
    await settle();
    expect(await reltuples('Score')).toBe(1000);
    // 50 + 10% of 1000 = 150 changes before the next ANALYZE: deletes count too.
    const below: Condition = {
      kind: 'compare',
      field: { name: 'score', path: [], type: 'Number' },
      op: 'lt',
      value: 149,
    };
    await adapter.deleteObjects({ className: 'Score', where: below });
    await settle();
    expect(await reltuples('Score')).toBe(1000);
    await adapter.deleteObjects({
      className: 'Score',
      where: { ...below, value: 150 } as Condition,
    });
    await settle();
    expect(await reltuples('Score')).toBe(850);
  });

  it('an analyzed table answers a limited range read through its index, ACL check and all', async () => {
    await adapter.createObjects('Score', scores(1000, 9000));
    await settle();
    const plan = JSON.stringify(
      await adapter.explain({
        className: 'Score',
        where: {
          kind: 'and',
          conditions: [
            { kind: 'compare', field: { name: 'score', path: [], type: 'Number' }, op: 'gte', value: 500 },
            { kind: 'acl', access: 'read', principals: ['*'] },
          ],
        },
        sort: [{ field: { name: 'score', path: [], type: 'Number' }, descending: false }],
        limit: 20,
      }),
    );
    expect(plan).toContain('score_1');
    expect(plan).not.toContain('"Sort"');
  });
});
