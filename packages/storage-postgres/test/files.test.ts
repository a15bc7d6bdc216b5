import { PGlite } from '@electric-sql/pglite';
import { runFilesAdapterSuite } from '@openparse/conformance';
import type { FilesAdapter } from '@openparse/core';
import { PostgresFilesAdapter, PostgresStorageAdapter } from '@openparse/storage-postgres';
import { afterAll, describe, expect, it } from 'vitest';
import { createTestDatabase, postgresAvailable, type TestDatabase, uniqueName } from './services.js';

const KEY = 'the first encryption key';
const pglite = await PGlite.create();
afterAll(() => pglite.close());

/** Each adapter's schema, so teardown drops it and reopening shares it. */
const schemas = new WeakMap<FilesAdapter, string>();

function onPGlite(encryptionKey?: string, databaseSchema = uniqueName('f')): PostgresFilesAdapter {
  const adapter = new PostgresFilesAdapter({
    pglite,
    databaseSchema,
    ...(encryptionKey && { encryptionKey }),
  });
  schemas.set(adapter, databaseSchema);
  return adapter;
}

const dropSchema = async (adapter: FilesAdapter, run: (sql: string) => Promise<unknown>) => {
  await adapter.close?.();
  await run(`DROP SCHEMA IF EXISTS "${schemas.get(adapter)}" CASCADE`);
};

// Chunks of 64 KiB (the smallest sensible) so the suite's files span many chunks; 4 MiB "large"
// files are 64 chunks, enough to stream in several fetches without loading the machine.
const CHUNK = 64 * 1024;
const LARGE = 4 * 1024 * 1024;

describe('database files on PGlite', () => {
  runFilesAdapterSuite(
    async () => {
      const adapter = new PostgresFilesAdapter({ pglite, databaseSchema: uniqueName('f'), chunkSize: CHUNK });
      await adapter.connect();
      return adapter;
    },
    { teardown: (adapter) => adapter.close?.() ?? Promise.resolve(), largeFileBytes: LARGE },
  );
});

describe('database files on PGlite, encrypted', () => {
  runFilesAdapterSuite(
    async () => {
      const adapter = onPGlite(KEY);
      await adapter.connect();
      return adapter;
    },
    {
      encryptionKey: KEY,
      largeFileBytes: LARGE,
      reopenWithKey: async (adapter, key) => onPGlite(key, schemas.get(adapter)),
      teardown: (adapter) => dropSchema(adapter, (sql) => pglite.query(sql)),
    },
  );
});

const available = await postgresAvailable();

describe.skipIf(!available)('database files on PostgreSQL, encrypted', () => {
  let database: TestDatabase | undefined;
  const adapters = new WeakMap<FilesAdapter, string>();
  const open = (key: string | undefined, databaseSchema: string) => {
    if (!database) throw new Error('no database');
    const adapter = new PostgresFilesAdapter({
      uri: database.uri,
      poolSize: 2,
      databaseSchema,
      chunkSize: CHUNK,
      ...(key && { encryptionKey: key }),
    });
    adapters.set(adapter, databaseSchema);
    return adapter;
  };
  afterAll(async () => {
    await database?.drop();
  });
  runFilesAdapterSuite(
    async () => {
      database ??= await createTestDatabase();
      const adapter = open(KEY, uniqueName('f'));
      await adapter.connect();
      return adapter;
    },
    {
      encryptionKey: KEY,
      largeFileBytes: LARGE,
      reopenWithKey: async (adapter, key) => open(key, adapters.get(adapter) ?? ''),
      teardown: async (adapter) => {
        await adapter.close?.();
        await database?.query(`DROP SCHEMA IF EXISTS "${adapters.get(adapter)}" CASCADE`);
      },
    },
  );
});

describe('database files: sharing, tampering, key rotation', () => {
  const read = async (adapter: FilesAdapter, name: string) => {
    const chunks: Buffer[] = [];
    for await (const chunk of await adapter.getFileStream(name)) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString();
  };

  it('shares a connected storage adapter’s connection and schema', async () => {
    const databaseSchema = uniqueName('s');
    const storage = new PostgresStorageAdapter({ pglite, databaseSchema });
    const files = new PostgresFilesAdapter({ storage });
    await expect(files.connect()).rejects.toThrow('not connected');
    await storage.connect();
    await files.createFile({ name: 'shared.txt', data: Buffer.from('shared') });
    const tables = await pglite.query<{ table_name: string }>(
      'SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY 1',
      [databaseSchema],
    );
    expect(tables.rows.map((row) => row.table_name)).toEqual(
      expect.arrayContaining(['_FileChunks', '_Files']),
    );
    await files.close();
    expect(await read(files, 'shared.txt')).toBe('shared'); // closing the files adapter leaves the storage open
    await storage.close();
    await pglite.query(`DROP SCHEMA "${databaseSchema}" CASCADE`);
  });

  it('refuses chunks moved between positions (FILE_READ_ERROR)', async () => {
    const adapter = onPGlite(KEY);
    await adapter.createFile({ name: 'two-chunks.bin', data: Buffer.alloc(1500, 1) });
    const small = new PostgresFilesAdapter({
      pglite,
      databaseSchema: schemas.get(adapter) ?? '',
      encryptionKey: KEY,
      chunkSize: 1024,
    });
    await small.createFile({ name: 'moved.bin', data: Buffer.alloc(2000, 2) });
    const schema = schemas.get(adapter);
    const ofFile = `"fileId" = (SELECT "id" FROM "${schema}"."_Files" WHERE "name" = 'moved.bin')`;
    await pglite.query(`UPDATE "${schema}"."_FileChunks" SET "n" = "n" + 100 WHERE ${ofFile}`);
    await pglite.query(`UPDATE "${schema}"."_FileChunks" SET "n" = 101 - "n" WHERE ${ofFile}`);
    await expect(read(small, 'moved.bin')).rejects.toMatchObject({ code: 601 });
    await dropSchema(adapter, (sql) => pglite.query(sql));
  });

  it('rotates plaintext → key → new key, reports progress, lists what it could not read', async () => {
    const databaseSchema = uniqueName('r');
    const plain = onPGlite(undefined, databaseSchema);
    await plain.createFile({ name: 'a.txt', data: Buffer.from('alpha') });
    await plain.createFile({ name: 'b.txt', data: Buffer.from('bravo') });

    const first = onPGlite('key one', databaseSchema);
    expect(await first.rotateEncryptionKey()).toEqual({ rotated: ['a.txt', 'b.txt'], notRotated: [] });
    await expect(read(plain, 'a.txt')).rejects.toMatchObject({ code: 601 });
    expect(await read(first, 'a.txt')).toBe('alpha');

    await first.createFile({ name: 'c.txt', data: Buffer.from('charlie') });
    const foreign = onPGlite('some other key', databaseSchema);
    await foreign.createFile({ name: 'd.txt', data: Buffer.from('delta') });

    const second = onPGlite('key two', databaseSchema);
    const progress: string[] = [];
    const result = await second.rotateEncryptionKey({
      oldKey: 'key one',
      onProgress: ({ name, rotated, done, total }) => progress.push(`${done}/${total} ${name} ${rotated}`),
    });
    expect(result).toEqual({ rotated: ['a.txt', 'b.txt', 'c.txt'], notRotated: ['d.txt'] });
    expect(progress).toEqual(['1/4 a.txt true', '2/4 b.txt true', '3/4 c.txt true', '4/4 d.txt false']);
    expect(await read(second, 'c.txt')).toBe('charlie');
    expect(await read(foreign, 'd.txt')).toBe('delta');

    // Run again (as after an interruption): done files count as rotated, nothing is damaged.
    expect(
      await second.rotateEncryptionKey({ oldKey: 'key one', fileNames: ['a.txt', 'missing.txt'] }),
    ).toEqual({
      rotated: ['a.txt'],
      notRotated: ['missing.txt'],
    });
    expect(await read(second, 'a.txt')).toBe('alpha');

    // Back to plaintext.
    const decrypted = onPGlite(undefined, databaseSchema);
    expect(
      (await decrypted.rotateEncryptionKey({ oldKey: 'key two', fileNames: ['b.txt'] })).rotated,
    ).toEqual(['b.txt']);
    expect(await read(decrypted, 'b.txt')).toBe('bravo');
    for (const adapter of [plain, first, foreign, second]) await adapter.close();
    await dropSchema(decrypted, (sql) => pglite.query(sql));
  });

  it('refuses invalid options with a [storage-postgres] message', () => {
    expect(() => new PostgresFilesAdapter({} as never)).toThrow(/^\[storage-postgres\]/);
    expect(() => new PostgresFilesAdapter({ pglite, encryptionKey: '' })).toThrow(/encryptionKey/);
    expect(() => new PostgresFilesAdapter({ pglite, chunkSize: 10 })).toThrow(/chunkSize/);
    expect(() => new PostgresFilesAdapter({ pglite, databaseSchema: 'a;b' })).toThrow(/databaseSchema/);
  });
});
