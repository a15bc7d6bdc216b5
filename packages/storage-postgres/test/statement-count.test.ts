import { PGlite } from '@electric-sql/pglite';
import {
  type Condition,
  DEFAULT_CLASS_LEVEL_PERMISSIONS,
  DEFAULT_FIELDS,
  type FieldRef,
  type IncludedValue,
  type ParseQuery,
} from '@openparse/core';
import { PostgresStorageAdapter } from '@openparse/storage-postgres';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { createTestDatabase, postgresAvailable, type TestDatabase } from './services.js';

// "One statement per read": the statements a read sends are counted at the driver, on PGlite
// and on PostgreSQL, for a read that carries the ACL, a subquery, a relation and nested includes.

interface Counted {
  readonly name: string;
  readonly adapter: PostgresStorageAdapter;
  readonly statements: string[];
  close(): Promise<void>;
}

async function countedPglite(): Promise<Counted> {
  const statements: string[] = [];
  const db = await PGlite.create();
  const counting = new Proxy(db, {
    get(target, property) {
      if (property === 'query') {
        return (text: string, values?: unknown[]) => {
          statements.push(text);
          return target.query(text, values);
        };
      }
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  const adapter = new PostgresStorageAdapter({ pglite: counting });
  await adapter.connect();
  return {
    name: 'PGlite',
    adapter,
    statements,
    close: async () => {
      await adapter.close();
      await db.close();
    },
  };
}

async function countedPostgres(database: TestDatabase): Promise<Counted> {
  const statements: string[] = [];
  const pool = new pg.Pool({ connectionString: database.uri, max: 2 });
  pool.on('connect', (client) => {
    const query = client.query.bind(client) as (...args: unknown[]) => unknown;
    (client as { query: unknown }).query = (...args: unknown[]) => {
      const first = args[0] as string | { text?: string };
      statements.push(typeof first === 'string' ? first : (first.text ?? ''));
      return query(...args);
    };
  });
  const adapter = new PostgresStorageAdapter({ client: pool });
  await adapter.connect();
  return {
    name: 'PostgreSQL',
    adapter,
    statements,
    close: async () => {
      await adapter.close();
      await pool.end();
    },
  };
}

const database = (await postgresAvailable()) ? await createTestDatabase() : undefined;
const targets: Counted[] = [await countedPglite(), ...(database ? [await countedPostgres(database)] : [])];
afterAll(async () => {
  for (const target of targets) await target.close();
  await database?.drop();
});

const field = (name: string, type: FieldRef['type'], targetClass?: string): FieldRef =>
  targetClass ? { name, path: [], type, targetClass } : { name, path: [], type };
const readableBy = (principals: string[]): Condition => ({ kind: 'acl', access: 'read', principals });

describe.each(targets)('reads are one statement on $name', (target) => {
  it('find with the ACL, $inQuery, $relatedTo and a two-level include sends one statement', async () => {
    const { adapter, statements } = target;
    const classes = {
      League: { name: { type: 'String' } },
      Team: { name: { type: 'String' }, league: { type: 'Pointer', targetClass: 'League' } },
      Player: {
        name: { type: 'String' },
        team: { type: 'Pointer', targetClass: 'Team' },
        fans: { type: 'Relation', targetClass: 'Player' },
      },
    } as const;
    for (const [className, fields] of Object.entries(classes)) {
      await adapter.createClass({
        className,
        fields: { ...DEFAULT_FIELDS, ...fields },
        classLevelPermissions: DEFAULT_CLASS_LEVEL_PERMISSIONS,
      });
    }
    await adapter.createObject('League', { objectId: 'l1', name: 'Premier', _rperm: ['*'] });
    await adapter.createObject('Team', {
      objectId: 't1',
      name: 'Reds',
      league: { __type: 'Pointer', className: 'League', objectId: 'l1' },
      _rperm: ['*'],
    });
    await adapter.createObject('Team', { objectId: 't2', name: 'Hidden', _rperm: ['someone'] });
    for (const [objectId, team] of [
      ['p1', 't1'],
      ['p2', 't2'],
    ] as const) {
      await adapter.createObject('Player', {
        objectId,
        name: objectId,
        team: { __type: 'Pointer', className: 'Team', objectId: team },
        _rperm: ['*'],
      });
    }
    await adapter.createObject('Player', { objectId: 'owner', name: 'owner', _rperm: ['*'] });
    await adapter.addRelations({
      className: 'Player',
      field: 'fans',
      targetClass: 'Player',
      owningId: 'owner',
      relatedIds: ['p1', 'p2'],
    });

    const query: ParseQuery = {
      className: 'Player',
      where: {
        kind: 'and',
        conditions: [
          readableBy(['*']),
          {
            kind: 'inQuery',
            field: field('team', 'Pointer', 'Team'),
            query: {
              className: 'Team',
              where: { kind: 'exists', field: field('name', 'String'), exists: true },
            },
            negated: false,
          },
          {
            kind: 'relatedTo',
            owner: { __type: 'Pointer', className: 'Player', objectId: 'owner' },
            key: 'fans',
          },
        ],
      },
      sort: [{ field: field('name', 'String'), descending: false }],
      include: [
        {
          field: 'team',
          className: 'Team',
          where: readableBy(['*']),
          include: [{ field: 'league', className: 'League', where: readableBy(['*']) }],
        },
      ],
    };
    statements.length = 0;
    const found = await adapter.find(query);
    expect(statements).toHaveLength(1);

    expect(found.map((object) => object.objectId)).toEqual(['p1', 'p2']);
    const reds = found[0]?.team as IncludedValue;
    expect(reds.pointer).toEqual({ __type: 'Pointer', className: 'Team', objectId: 't1' });
    expect(reds.object).toMatchObject({ objectId: 't1', name: 'Reds' });
    expect(reds.object?.createdAt === undefined || reds.object?.createdAt instanceof Date).toBe(true);
    const league = reds.object?.league as IncludedValue;
    expect(league.object).toMatchObject({ objectId: 'l1', name: 'Premier' });
    // The second player's team is not readable by '*': the include reads as null, the pointer stays known.
    // With the total (REST count=1): still one statement.
    statements.length = 0;
    const counted = await adapter.findWithCount({ ...query, limit: 1 });
    expect(statements).toHaveLength(1);
    expect(counted.count).toBe(2);
    expect(counted.objects.map((object) => object.objectId)).toEqual(['p1']);
    // A pointer whose class may not be read (or does not exist) reads as null, without naming its table.
    const nowhere = await adapter.find({
      ...query,
      include: [{ field: 'team', className: 'NoSuchClass', where: { kind: 'constant', value: false } }],
    });
    expect(nowhere.map((object) => (object.team as IncludedValue).object)).toEqual([null, null]);
    const hidden = found[1]?.team as IncludedValue;
    expect(hidden).toEqual({
      __type: 'Included',
      pointer: { __type: 'Pointer', className: 'Team', objectId: 't2' },
      object: null,
    });
  });
});
