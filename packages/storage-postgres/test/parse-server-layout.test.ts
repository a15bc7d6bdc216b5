import {
  DEFAULT_CLASS_LEVEL_PERMISSIONS,
  DEFAULT_FIELDS,
  MATCH_ALL,
  SYSTEM_CLASS_FIELDS,
} from '@openparse/core';
import { afterAll, describe, expect, it } from 'vitest';
import { type Backend, pgliteBackend, postgresBackend } from './backends.js';

// What parse-server 9 writes, by hand: its `_SCHEMA` json and its DDL for two classes.
const PERMISSION = { type: 'Array', contents: { type: 'String' } };
const CLP = { ...DEFAULT_CLASS_LEVEL_PERMISSIONS };
const GAME_SCORE_JSON = {
  className: 'GameScore',
  fields: {
    objectId: { type: 'String' },
    createdAt: { type: 'Date' },
    updatedAt: { type: 'Date' },
    score: { type: 'Number' },
    name: { type: 'String' },
    meta: { type: 'Object' },
    tags: { type: 'Array' },
    player: { type: 'Pointer', targetClass: '_User' },
    spot: { type: 'GeoPoint' },
    photo: { type: 'File' },
    fans: { type: 'Relation', targetClass: '_User' },
    _rperm: PERMISSION,
    _wperm: PERMISSION,
  },
  classLevelPermissions: CLP,
};
const USER_JSON = {
  className: '_User',
  fields: {
    objectId: { type: 'String' },
    createdAt: { type: 'Date' },
    updatedAt: { type: 'Date' },
    username: { type: 'String' },
    email: { type: 'String' },
    emailVerified: { type: 'Boolean' },
    authData: { type: 'Object' },
    _hashed_password: { type: 'String' },
    _rperm: PERMISSION,
    _wperm: PERMISSION,
  },
  classLevelPermissions: CLP,
};

const PARSE_SERVER_DDL = [
  'CREATE TABLE "_SCHEMA" ("className" varChar(120), "schema" jsonb, "isParseClass" bool, PRIMARY KEY ("className"))',
  `CREATE TABLE "GameScore" ("objectId" text, "createdAt" timestamp with time zone, "updatedAt" timestamp with time zone,
    "score" double precision, "name" text, "meta" jsonb, "tags" jsonb, "player" text, "spot" point, "photo" text,
    "_rperm" text[], "_wperm" text[], PRIMARY KEY ("objectId"))`,
  'CREATE TABLE "_Join:fans:GameScore" ("relatedId" varChar(120), "owningId" varChar(120), PRIMARY KEY("relatedId", "owningId"))',
  `CREATE TABLE "_User" ("objectId" text, "createdAt" timestamp with time zone, "updatedAt" timestamp with time zone,
    "username" text, "email" text, "emailVerified" boolean, "authData" jsonb, "_hashed_password" text,
    "_rperm" text[], "_wperm" text[], "_email_verify_token_expires_at" timestamp with time zone,
    "_email_verify_token" text, "_account_lockout_expires_at" timestamp with time zone, "_failed_login_count" double precision,
    "_perishable_token" text, "_perishable_token_expires_at" timestamp with time zone,
    "_password_changed_at" timestamp with time zone, "_password_history" jsonb, PRIMARY KEY ("objectId"))`,
  'CREATE UNIQUE INDEX IF NOT EXISTS "_User_unique_username" ON "_User"("username")',
];

async function writeAsParseServer(backend: Backend): Promise<void> {
  for (const statement of PARSE_SERVER_DDL) await backend.sql(statement);
  for (const json of [GAME_SCORE_JSON, USER_JSON]) {
    await backend.sql('INSERT INTO "_SCHEMA" ("className", "schema", "isParseClass") VALUES ($1, $2, true)', [
      json.className,
      JSON.stringify(json),
    ]);
  }
  await backend.sql(
    `INSERT INTO "_User" ("objectId", "createdAt", "updatedAt", "username", "_hashed_password", "_rperm", "_wperm",
      "_perishable_token", "_failed_login_count") VALUES ('u1', '2024-01-01T00:00:00Z', '2024-01-01T00:00:00Z', 'ann',
      '$2b$10$hash', '{*,u1}', '{u1}', 'tok', 2)`,
  );
  await backend.sql(
    `INSERT INTO "GameScore" ("objectId", "createdAt", "updatedAt", "score", "name", "meta", "tags", "player", "spot", "photo", "_rperm")
     VALUES ('g1', '2024-01-02T00:00:00Z', '2024-01-02T00:00:00Z', 12, 'first', $1, '["a","b"]', 'u1', POINT(-73.5, 40.25), 'f_pic.png', '{*}')`,
    [JSON.stringify({ at: { __type: 'Date', iso: '2020-05-05T00:00:00.000Z' }, level: 3 })],
  );
  await backend.sql(`INSERT INTO "_Join:fans:GameScore" ("relatedId", "owningId") VALUES ('u1', 'g1')`);
}

function layoutTests(name: string, open: () => Promise<Backend | undefined>): void {
  describe(`parse-server layout on ${name}`, async () => {
    // Each test gets its own database; the probe tells whether the backend is there at all.
    const probe = await open();
    await probe?.close();
    const opened: Backend[] = [];
    afterAll(async () => {
      for (const backend of opened) await backend.close();
    });
    const fresh = async (): Promise<Backend> => {
      const backend = (await open()) as Backend;
      opened.push(backend);
      return backend;
    };

    it.skipIf(!probe)('reads a database parse-server wrote, and writes it back in its layout', async () => {
      const backend = await fresh();
      await writeAsParseServer(backend);
      const adapter = await backend.adapter();
      try {
        const classes = await adapter.getAllClasses();
        const user = classes.find((schema) => schema.className === '_User');
        expect(user?.fields).toMatchObject({ password: { type: 'String' }, ACL: { type: 'ACL' } });
        expect(user?.fields._hashed_password).toBeUndefined();
        expect(user?.fields._rperm).toBeUndefined();
        const [score] = await adapter.find({ className: 'GameScore', where: MATCH_ALL });
        expect(score).toMatchObject({
          objectId: 'g1',
          score: 12,
          meta: { at: { __type: 'Date', iso: '2020-05-05T00:00:00.000Z' }, level: 3 },
          player: { __type: 'Pointer', className: '_User', objectId: 'u1' },
          spot: { __type: 'GeoPoint', latitude: 40.25, longitude: -73.5 },
          photo: { __type: 'File', name: 'f_pic.png' },
          _rperm: ['*'],
        });
        expect(score?.createdAt).toEqual(new Date('2024-01-02T00:00:00Z'));
        const [ann] = await adapter.find({ className: '_User', where: MATCH_ALL });
        expect(ann).toMatchObject({
          _hashed_password: '$2b$10$hash',
          _perishable_token: 'tok',
          _failed_login_count: 2,
        });
        const fans = await adapter.find({
          className: '_User',
          where: {
            kind: 'relatedTo',
            owner: { __type: 'Pointer', className: 'GameScore', objectId: 'g1' },
            key: 'fans',
          },
        });
        expect(fans.map((fan) => fan.objectId)).toEqual(['u1']);
        const old = await adapter.count({
          className: 'GameScore',
          where: {
            kind: 'compare',
            field: { name: 'meta', path: ['at'], type: 'Object' },
            op: 'lt',
            value: { __type: 'Date', iso: '2021-01-01T00:00:00.000Z' },
          },
        });
        expect(old).toBe(1);

        await adapter.createObject('GameScore', {
          objectId: 'g2',
          createdAt: new Date('2024-02-01T00:00:00Z'),
          updatedAt: new Date('2024-02-01T00:00:00Z'),
          player: { __type: 'Pointer', className: '_User', objectId: 'u1' },
          spot: { __type: 'GeoPoint', latitude: 1.5, longitude: 2.5 },
          meta: { when: { __type: 'Date', iso: '2022-01-01T00:00:00.000Z' } },
          _rperm: ['u1'],
        });
        const [raw] = await backend.sql(
          `SELECT "player", "spot"::text AS spot, "meta", "_rperm", "createdAt" FROM "GameScore" WHERE "objectId" = 'g2'`,
        );
        expect(raw).toMatchObject({
          player: 'u1',
          spot: '(2.5,1.5)',
          meta: { when: { __type: 'Date', iso: '2022-01-01T00:00:00.000Z' } },
          _rperm: ['u1'],
        });
        await expect(
          adapter.createObject('_User', { objectId: 'u2', username: 'ann' }),
        ).rejects.toMatchObject({ code: 137 });
      } finally {
        await adapter.close();
      }
    });

    it.skipIf(!probe)('creates classes exactly as parse-server does', async () => {
      const backend = await fresh();
      const adapter = await backend.adapter();
      try {
        await adapter.createClass({
          className: '_User',
          fields: { ...DEFAULT_FIELDS, ...SYSTEM_CLASS_FIELDS._User },
          classLevelPermissions: CLP,
        });
        await adapter.createClass({
          className: 'Team',
          fields: {
            ...DEFAULT_FIELDS,
            members: { type: 'Relation', targetClass: '_User' },
            tags: { type: 'Array' },
          },
          classLevelPermissions: CLP,
        });
        await adapter.ensureUniqueness('_User', ['username']);
        const [stored] = await backend.sql(
          `SELECT "schema", "isParseClass" FROM "_SCHEMA" WHERE "className" = '_User'`,
        );
        expect(stored).toEqual({ schema: USER_JSON, isParseClass: true });
        const columns = await backend.sql(
          `SELECT table_name, column_name, data_type FROM information_schema.columns
           WHERE table_schema = current_schema() AND table_name IN ('_User', 'Team', '_Join:members:Team')`,
        );
        const typeOf = (table: string, column: string) =>
          columns.find((row) => row.table_name === table && row.column_name === column)?.data_type;
        expect(typeOf('_User', '_hashed_password')).toBe('text');
        expect(typeOf('_User', '_email_verify_token_expires_at')).toBe('timestamp with time zone');
        expect(typeOf('_User', '_rperm')).toBe('ARRAY');
        expect(typeOf('_User', 'authData')).toBe('jsonb');
        expect(typeOf('_User', 'password')).toBeUndefined();
        expect(typeOf('Team', 'tags')).toBe('jsonb');
        expect(typeOf('Team', 'members')).toBeUndefined();
        expect(typeOf('_Join:members:Team', 'relatedId')).toBe('character varying');
        const indexes = await backend.sql(`SELECT indexname FROM pg_indexes WHERE tablename = '_User'`);
        expect(indexes.map((row) => row.indexname)).toEqual(
          expect.arrayContaining(['_User_pkey', '_User_unique_username']),
        );
      } finally {
        await adapter.close();
      }
    });
  });
}

layoutTests('PGlite', pgliteBackend);
layoutTests('PostgreSQL', postgresBackend);
