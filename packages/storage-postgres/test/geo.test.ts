import { PGlite } from '@electric-sql/pglite';
import {
  type Condition,
  DEFAULT_CLASS_LEVEL_PERMISSIONS,
  DEFAULT_FIELDS,
  type ParseQuery,
  ParseErrorCode,
} from '@openparse/core';
import { pgliteExtensions, PostgresStorageAdapter } from '@openparse/storage-postgres';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { createTestDatabase, postgresAvailable, type TestDatabase } from './services.js';

const point = (latitude: number, longitude: number) => ({ __type: 'GeoPoint', latitude, longitude }) as const;
const spot = { name: 'spot', path: [], type: 'GeoPoint' } as const;

/** A backend whose adapter's statements are recorded, and a way to EXPLAIN one with sequential scans off. */
interface Observed {
  readonly adapter: PostgresStorageAdapter;
  readonly statements: { text: string; values: unknown[] }[];
  sql(text: string, values?: unknown[]): Promise<Record<string, unknown>[]>;
  explain(text: string, values: unknown[]): Promise<string>;
  close(): Promise<void>;
}

async function observedPglite(): Promise<Observed> {
  const db = await PGlite.create({ extensions: pgliteExtensions });
  const statements: Observed['statements'] = [];
  const query = db.query.bind(db);
  db.query = ((text: string, values?: unknown[]) => {
    statements.push({ text, values: values ?? [] });
    return query(text, values);
  }) as typeof db.query;
  const adapter = new PostgresStorageAdapter({ pglite: db });
  await adapter.connect();
  return {
    adapter,
    statements,
    sql: async (text, values) => (await query<Record<string, unknown>>(text, values)).rows,
    explain: (text, values) =>
      db.transaction(async (tx) => {
        await tx.query('SET LOCAL enable_seqscan = off');
        const { rows } = await tx.query<Record<string, string>>(`EXPLAIN ${text}`, values);
        return rows.map((row) => row['QUERY PLAN']).join('\n');
      }),
    close: async () => {
      await adapter.close();
      await db.close();
    },
  };
}

async function observedPostgres(): Promise<Observed> {
  const database: TestDatabase = await createTestDatabase();
  const pool = new pg.Pool({ connectionString: database.uri, max: 2 });
  pool.on('error', () => undefined);
  const statements: Observed['statements'] = [];
  const query = pool.query.bind(pool) as (config: unknown, values?: unknown) => Promise<pg.QueryResult>;
  pool.query = ((config: string | pg.QueryConfig, values?: unknown[]) => {
    const text = typeof config === 'string' ? config : config.text;
    statements.push({ text, values: (typeof config === 'string' ? values : config.values) ?? [] });
    return query(config, values);
  }) as typeof pool.query;
  const adapter = new PostgresStorageAdapter({ client: pool });
  await adapter.connect();
  return {
    adapter,
    statements,
    sql: async (text, values) => (await database.query(text, values)).rows,
    explain: async (text, values) => {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        await client.query('SET LOCAL enable_seqscan = off');
        const { rows } = await client.query(`EXPLAIN ${text}`, values);
        await client.query('ROLLBACK');
        return rows.map((row) => row['QUERY PLAN']).join('\n');
      } finally {
        client.release();
      }
    },
    close: async () => {
      await adapter.close();
      await pool.end();
      await database.drop();
    },
  };
}

const backends: [string, () => Promise<Observed>][] = [['PGlite', observedPglite]];
if (await postgresAvailable()) backends.push(['PostgreSQL', observedPostgres]);

describe.each(backends)('geo on %s', (_name, open) => {
  async function seeded(): Promise<Observed> {
    const backend = await open();
    await backend.adapter.createClass({
      className: 'Place',
      fields: { ...DEFAULT_FIELDS, spot: { type: 'GeoPoint' } },
      classLevelPermissions: DEFAULT_CLASS_LEVEL_PERMISSIONS,
    });
    await backend.adapter.addField({ className: 'Place', fieldName: 'area', field: { type: 'Polygon' } });
    await backend.sql(
      `INSERT INTO "Place" ("objectId", spot) SELECT 'p' || i, point((i % 360) - 180, ((i / 360) % 170) - 85)
       FROM generate_series(1, 5000) AS i`,
    );
    await backend.sql('ANALYZE "Place"');
    return backend;
  }

  /** The plan of the adapter's SELECT for `query`. */
  async function planOf(backend: Observed, query: ParseQuery): Promise<string> {
    backend.statements.length = 0;
    await backend.adapter.find(query);
    const select = backend.statements.find((statement) => statement.text.startsWith('SELECT'));
    if (!select) throw new Error('the adapter ran no SELECT');
    return backend.explain(select.text, select.values);
  }

  it('a GeoPoint column gets a GiST index on the sphere when it is created or added', async () => {
    const backend = await seeded();
    try {
      await backend.adapter.addField({ className: 'Place', fieldName: 'home', field: { type: 'GeoPoint' } });
      const rows = await backend.sql(
        `SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'Place' AND indexdef LIKE '%gist%' ORDER BY indexname`,
      );
      expect(rows.map((row) => row.indexname)).toEqual(['Place_home_earth', 'Place_spot_earth']);
      expect(String(rows[1]?.indexdef)).toContain('ll_to_earth(spot[1], spot[0])');
    } finally {
      await backend.close();
    }
  });

  it('nearSphere (bounded or nearest-first) and centerSphere are served by that index', async () => {
    const backend = await seeded();
    try {
      const near: Condition = {
        kind: 'nearSphere',
        field: spot,
        point: point(10, 20),
        maxDistanceRadians: 0.05,
        sortByDistance: true,
      };
      expect(await planOf(backend, { className: 'Place', where: near, limit: 10 })).toContain(
        'Place_spot_earth',
      );
      const nearest: Condition = {
        kind: 'nearSphere',
        field: spot,
        point: point(10, 20),
        sortByDistance: true,
      };
      const knn = await planOf(backend, { className: 'Place', where: nearest, limit: 5 });
      expect(knn).toContain('Place_spot_earth');
      expect(knn).toContain('Order By');
      const sphere: Condition = {
        kind: 'withinCenterSphere',
        field: spot,
        center: point(10, 20),
        radiusRadians: 0.05,
      };
      expect(await planOf(backend, { className: 'Place', where: sphere })).toContain('Place_spot_earth');
      await backend.adapter.createObject('Place', { objectId: 'here', spot: point(10.01, 20.01) });
      const found = await backend.adapter.find({ className: 'Place', where: nearest, limit: 3 });
      expect(found.map((row) => row.objectId)[0]).toBe('here');
      expect(found).toHaveLength(3);
    } finally {
      await backend.close();
    }
  });

  it("a '2d' index serves box and polygon queries; a Polygon index is GiST on the column", async () => {
    const backend = await seeded();
    try {
      await backend.adapter.updateIndexes({
        className: 'Place',
        create: { spot_flat: { spot: '2d' }, area_shape: { area: '2dsphere' } },
      });
      const box: Condition = {
        kind: 'withinBox',
        field: spot,
        southwest: point(0, 0),
        northeast: point(5, 5),
      };
      expect(await planOf(backend, { className: 'Place', where: box })).toContain('spot_flat');
      const polygon: Condition = {
        kind: 'withinPolygon',
        field: spot,
        polygon: [point(0, 0), point(5, 0), point(0, 5)],
      };
      expect(await planOf(backend, { className: 'Place', where: polygon })).toContain('spot_flat');
      const [shape] = await backend.sql(`SELECT indexdef FROM pg_indexes WHERE indexname = 'area_shape'`);
      expect(String(shape?.indexdef)).toMatch(/USING gist \(area\)/);
      await expect(
        backend.adapter.updateIndexes({
          className: 'Place',
          create: { mixed: { spot: '2dsphere', objectId: 1 } },
        }),
      ).rejects.toMatchObject({ code: ParseErrorCode.INVALID_QUERY });
    } finally {
      await backend.close();
    }
  });
});

describe('geo on a PGlite created without cube and earthdistance', () => {
  it('flat queries work; spherical ones fail with the reason, not a driver error', async () => {
    const db = await PGlite.create();
    const adapter = new PostgresStorageAdapter({ pglite: db });
    try {
      await adapter.connect();
      await adapter.createClass({
        className: 'Place',
        fields: { ...DEFAULT_FIELDS, spot: { type: 'GeoPoint' } },
        classLevelPermissions: DEFAULT_CLASS_LEVEL_PERMISSIONS,
      });
      await adapter.createObject('Place', { objectId: 'a', spot: point(1, 1) });
      const box: Condition = {
        kind: 'withinBox',
        field: spot,
        southwest: point(0, 0),
        northeast: point(2, 2),
      };
      expect((await adapter.find({ className: 'Place', where: box })).map((row) => row.objectId)).toEqual([
        'a',
      ]);
      const near: Condition = { kind: 'nearSphere', field: spot, point: point(1, 1), sortByDistance: true };
      await expect(adapter.find({ className: 'Place', where: near })).rejects.toMatchObject({
        code: ParseErrorCode.INTERNAL_SERVER_ERROR,
        message: expect.stringContaining('earthdistance'),
      });
    } finally {
      await adapter.close();
      await db.close();
    }
  });
});
