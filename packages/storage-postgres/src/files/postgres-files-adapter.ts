import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import {
  type ByteRange,
  type CreateFileRequest,
  type FileAttributes,
  type FileInfo,
  type FilesAdapter,
  type FilesCapabilities,
  type KeyRotation,
  type RotateEncryptionKeyOptions,
  type RotationResult,
  ParseError,
  ParseErrorCode,
} from '@openparse/core';
import { type Database, openDatabase, type Queryable } from '../database.js';
import { isCatalogRace, pgCode } from '../errors.js';
import { sharedDatabases } from '../shared-database.js';
import { ident, TableNames } from '../sql.js';
import { rechunk } from './chunker.js';
import { deriveKey, openChunk, sealChunk } from './file-crypto.js';
import { type PostgresFilesAdapterOptions, validateFilesOptions } from './files-options.js';

export type { PostgresFilesAdapterOptions } from './files-options.js';

export type { RotateEncryptionKeyOptions, RotationProgress, RotationResult } from '@openparse/core';

interface FileRow {
  readonly id: string;
  readonly size: number;
  readonly chunkSize: number;
  readonly encrypted: boolean;
  readonly contentType?: string;
  readonly metadata?: FileAttributes;
  readonly tags?: FileAttributes;
}

const DEFAULT_CHUNK_SIZE = 255 * 1024;
/** Chunks fetched per statement while streaming: bounded memory, few round trips. */
const CHUNKS_PER_FETCH = 8;

const asBuffer = (value: unknown): Buffer =>
  Buffer.isBuffer(value)
    ? value
    : Buffer.from(
        (value as Uint8Array).buffer,
        (value as Uint8Array).byteOffset,
        (value as Uint8Array).byteLength,
      );

function failure(code: ParseErrorCode, message: string, cause: unknown): ParseError {
  return cause instanceof ParseError ? cause : new ParseError(code, message, { cause });
}

/**
 * Parse Files stored in PostgreSQL or PGlite, the way parse-server's default keeps them in
 * GridFS: a `_Files` row per file and its content in `_FileChunks` rows. New content is written
 * under a fresh generation id and swapped in by one short transaction, so a failed or
 * interrupted upload never damages the file it would have replaced. With `encryptionKey`, each
 * chunk is sealed with AES-256-GCM.
 *
 * @example
 * const storage = new PostgresStorageAdapter({ pglite: { dataDir } });
 * new ParseServer({ ..., storage, filesAdapter: new PostgresFilesAdapter({ storage }) });
 */
export class PostgresFilesAdapter implements FilesAdapter, KeyRotation {
  readonly capabilities: FilesCapabilities;
  readonly #options: PostgresFilesAdapterOptions;
  readonly #key: Buffer | undefined;
  readonly #chunkSize: number;
  #own: Database | undefined;
  #ready: Promise<void> | undefined;
  #files = '';
  #chunks = '';

  /** @throws {TypeError} / {RangeError} on invalid options, prefixed `[storage-postgres]`. */
  constructor(options: PostgresFilesAdapterOptions) {
    validateFilesOptions(options);
    this.#options = options;
    this.#key = options.encryptionKey === undefined ? undefined : deriveKey(options.encryptionKey);
    this.#chunkSize = options.chunkSize ?? DEFAULT_CHUNK_SIZE;
    this.capabilities = { ranges: true, encryption: this.#key !== undefined };
  }

  /** Creates the tables when missing. Called by `ParseServer.start`, and by the first use otherwise. */
  connect(): Promise<void> {
    this.#ready ??= this.#prepare().catch((error: unknown) => {
      this.#ready = undefined;
      if (pgCode(error) === undefined) throw error;
      throw failure(ParseErrorCode.INTERNAL_SERVER_ERROR, 'the files tables could not be created', error);
    });
    return this.#ready;
  }

  async close(): Promise<void> {
    const own = this.#own;
    this.#own = undefined;
    this.#ready = undefined;
    await own?.close();
  }

  async createFile(request: CreateFileRequest): Promise<void> {
    const db = await this.#db();
    const { name, data, contentType, metadata, tags } = request;
    const attributes = { contentType, metadata, tags };
    await this.#write(db, name, Buffer.isBuffer(data) ? [data] : data, attributes, this.#key);
  }

  async getFileInfo(name: string): Promise<FileInfo> {
    const row = await this.#row(await this.#db(), name);
    return {
      size: row.size,
      ...(row.contentType !== undefined && { contentType: row.contentType }),
      ...(row.metadata !== undefined && { metadata: row.metadata }),
      ...(row.tags !== undefined && { tags: row.tags }),
    };
  }

  async getFileStream(name: string, range?: ByteRange): Promise<Readable> {
    const db = await this.#db();
    const row = await this.#row(db, name);
    return this.#read(db, row, this.#key, range);
  }

  async deleteFile(name: string): Promise<void> {
    const db = await this.#db();
    let found = false;
    try {
      await db.transaction(async (tx) => {
        const gone = await tx.query(`DELETE FROM ${this.#files} WHERE "name" = $1 RETURNING "id"`, [name]);
        const id = gone.rows[0]?.id;
        found = id !== undefined;
        if (found) await tx.query(`DELETE FROM ${this.#chunks} WHERE "fileId" = $1`, [id]);
      });
    } catch (error) {
      throw failure(ParseErrorCode.FILE_DELETE_ERROR, 'Could not delete file.', error);
    }
    if (!found) throw new ParseError(ParseErrorCode.OBJECT_NOT_FOUND, 'File not found.');
  }

  /**
   * Re-encrypts files from `oldKey` (or from plaintext) to this adapter's key (or to plaintext
   * when it has none). Each file is rewritten as a new generation and swapped in atomically:
   * an interruption leaves every file readable, with the old key or the new. A file that cannot
   * be read with `oldKey`, or that was replaced meanwhile, is listed in `notRotated`.
   */
  async rotateEncryptionKey(options: RotateEncryptionKeyOptions = {}): Promise<RotationResult> {
    const db = await this.#db();
    const oldKey = options.oldKey === undefined ? undefined : deriveKey(options.oldKey);
    const names =
      options.fileNames ??
      (await db.query(`SELECT "name" FROM ${this.#files} ORDER BY "name"`)).rows.map((row) =>
        String(row.name),
      );
    const result: RotationResult = { rotated: [], notRotated: [] };
    for (const name of names) {
      let rotated = false;
      let error: unknown;
      try {
        const row = await this.#row(db, name);
        if (await this.#alreadyUnder(db, row, oldKey)) rotated = true;
        else {
          const content = await this.#read(db, row, oldKey);
          rotated = await this.#write(db, name, content, row, this.#key, row.id);
          if (!rotated) error = new Error('the file was replaced during the rotation');
        }
      } catch (cause) {
        error = cause;
      }
      (rotated ? result.rotated : result.notRotated).push(name);
      options.onProgress?.({
        name,
        rotated,
        done: result.rotated.length + result.notRotated.length,
        total: names.length,
        ...(error !== undefined && { error }),
      });
    }
    return result;
  }

  /**
   * True when a file is already encrypted with this adapter's key and not with `oldKey`: an
   * interrupted rotation run again skips what it did, instead of listing it as not rotated.
   */
  async #alreadyUnder(db: Database, row: FileRow, oldKey: Buffer | undefined): Promise<boolean> {
    if (!row.encrypted || !this.#key || row.size === 0 || oldKey?.equals(this.#key)) return false;
    const first = await this.#firstChunk(db, row);
    if (!first) return false;
    try {
      openChunk(this.#key, row.id, 0, first);
    } catch {
      return false; // Not under the new key: the rotation proper reads it with oldKey.
    }
    return true;
  }

  async #firstChunk(db: Database, row: FileRow): Promise<Buffer | undefined> {
    const rows = (
      await db.query(`SELECT "data" FROM ${this.#chunks} WHERE "fileId" = $1 AND "n" = 0`, [row.id])
    ).rows;
    return rows[0] ? asBuffer(rows[0].data) : undefined;
  }

  async #prepare(): Promise<void> {
    const shared = 'storage' in this.#options ? sharedDatabases.get(this.#options.storage) : undefined;
    const schema = shared
      ? shared.databaseSchema
      : 'databaseSchema' in this.#options
        ? this.#options.databaseSchema
        : undefined;
    const names = new TableNames(schema);
    this.#files = names.table('_Files');
    this.#chunks = names.table('_FileChunks');
    const db = shared
      ? undefined
      : await openDatabase(this.#options as Exclude<PostgresFilesAdapterOptions, { storage: unknown }>);
    if (db) this.#own = db;
    const target = this.#database();
    const statements = [
      ...(schema ? [`CREATE SCHEMA IF NOT EXISTS ${ident(schema)}`] : []),
      `CREATE TABLE IF NOT EXISTS ${this.#files} ("name" text PRIMARY KEY, "id" text NOT NULL UNIQUE, "size" bigint NOT NULL, "chunkSize" integer NOT NULL, "encrypted" boolean NOT NULL, "contentType" text, "metadata" jsonb, "tags" jsonb, "createdAt" timestamptz NOT NULL DEFAULT now())`,
      `CREATE TABLE IF NOT EXISTS ${this.#chunks} ("fileId" text NOT NULL, "n" integer NOT NULL, "data" bytea NOT NULL, PRIMARY KEY ("fileId", "n"))`,
    ];
    for (const statement of statements) {
      try {
        await target.query(statement);
      } catch (error) {
        if (!isCatalogRace(error)) throw error;
      }
    }
  }

  #database(): Database {
    if ('storage' in this.#options) {
      const database = sharedDatabases.get(this.#options.storage)?.database();
      if (!database)
        throw new Error('[storage-postgres] the storage adapter is not connected: connect it first');
      return database;
    }
    if (!this.#own) throw new Error('[storage-postgres] the files adapter is closed');
    return this.#own;
  }

  async #db(): Promise<Database> {
    await this.connect();
    return this.#database();
  }

  async #row(db: Queryable, name: string): Promise<FileRow> {
    let rows: Record<string, unknown>[];
    try {
      rows = (await db.query(`SELECT * FROM ${this.#files} WHERE "name" = $1`, [name])).rows;
    } catch (error) {
      throw failure(ParseErrorCode.FILE_READ_ERROR, 'The file could not be read.', error);
    }
    const row = rows[0];
    if (!row) throw new ParseError(ParseErrorCode.OBJECT_NOT_FOUND, 'File not found.');
    return {
      id: String(row.id),
      size: Number(row.size),
      chunkSize: Number(row.chunkSize),
      encrypted: row.encrypted === true,
      ...(typeof row.contentType === 'string' && { contentType: row.contentType }),
      ...(row.metadata !== null &&
        row.metadata !== undefined && { metadata: row.metadata as FileAttributes }),
      ...(row.tags !== null && row.tags !== undefined && { tags: row.tags as FileAttributes }),
    };
  }

  /**
   * The content (or `range` of it) as a stream. The first chunks are fetched and opened before
   * it returns, so a wrong key or a missing chunk rejects here rather than cutting an answer short.
   */
  async #read(db: Database, row: FileRow, key: Buffer | undefined, range?: ByteRange): Promise<Readable> {
    if (row.encrypted && !key) {
      throw new ParseError(
        ParseErrorCode.FILE_READ_ERROR,
        'The file is encrypted and no encryptionKey is set.',
      );
    }
    if (row.size === 0) return Readable.from([], { objectMode: false });
    const start = range?.start ?? 0;
    const end = range?.end ?? row.size - 1;
    const first = Math.floor(start / row.chunkSize);
    const last = Math.floor(end / row.chunkSize);
    const fetch = async (from: number): Promise<Buffer[]> => {
      const to = Math.min(from + CHUNKS_PER_FETCH - 1, last);
      let rows: Record<string, unknown>[];
      try {
        rows = (
          await db.query(
            `SELECT "n", "data" FROM ${this.#chunks} WHERE "fileId" = $1 AND "n" BETWEEN $2 AND $3 ORDER BY "n"`,
            [row.id, from, to],
          )
        ).rows;
      } catch (error) {
        throw failure(ParseErrorCode.FILE_READ_ERROR, 'The file could not be read.', error);
      }
      if (rows.length !== to - from + 1) {
        throw new ParseError(
          ParseErrorCode.FILE_READ_ERROR,
          'The file was replaced or deleted while being read.',
        );
      }
      return rows.map((chunkRow, offset) => {
        const n = from + offset;
        const stored = asBuffer(chunkRow.data);
        const plain = row.encrypted && key ? openChunk(key, row.id, n, stored) : stored;
        const sliceFrom = n === first ? start - n * row.chunkSize : 0;
        const sliceTo = n === last ? end - n * row.chunkSize + 1 : plain.length;
        return plain.subarray(sliceFrom, sliceTo);
      });
    };
    const opening = await fetch(first);
    async function* chunks(): AsyncGenerator<Buffer> {
      yield* opening;
      for (let from = first + CHUNKS_PER_FETCH; from <= last; from += CHUNKS_PER_FETCH)
        yield* await fetch(from);
    }
    return Readable.from(chunks(), { objectMode: false });
  }

  /**
   * Writes `content` as a new generation of `name`, then swaps it in. With `expectedId`, the swap
   * only happens while the file is still that generation (rotation must not undo a newer upload);
   * answers whether it happened.
   */
  async #write(
    db: Database,
    name: string,
    content: AsyncIterable<Buffer | Uint8Array> | Iterable<Buffer>,
    attributes: { contentType?: string; metadata?: FileAttributes; tags?: FileAttributes },
    key: Buffer | undefined,
    expectedId?: string,
  ): Promise<boolean> {
    const id = randomUUID();
    let size = 0;
    let index = 0;
    const discard = async (error: unknown): Promise<never> => {
      try {
        await db.query(`DELETE FROM ${this.#chunks} WHERE "fileId" = $1`, [id]);
      } catch (cleanupError) {
        throw failure(
          ParseErrorCode.FILE_SAVE_ERROR,
          `Could not store file: ${name}.`,
          new AggregateError([error, cleanupError]),
        );
      }
      throw failure(ParseErrorCode.FILE_SAVE_ERROR, `Could not store file: ${name}.`, error);
    };
    try {
      for await (const chunk of rechunk(content as AsyncIterable<Buffer>, this.#chunkSize)) {
        const stored = key ? sealChunk(key, id, index, chunk) : chunk;
        await db.query(`INSERT INTO ${this.#chunks} ("fileId", "n", "data") VALUES ($1, $2, $3)`, [
          id,
          index,
          stored,
        ]);
        size += chunk.length;
        index += 1;
      }
    } catch (error) {
      return discard(error);
    }
    let swapped = false;
    try {
      await db.transaction(async (tx) => {
        const current = await tx.query(`SELECT "id" FROM ${this.#files} WHERE "name" = $1 FOR UPDATE`, [
          name,
        ]);
        const previous = current.rows[0]?.id as string | undefined;
        if (expectedId !== undefined && previous !== expectedId) return;
        await tx.query(
          `INSERT INTO ${this.#files} ("name", "id", "size", "chunkSize", "encrypted", "contentType", "metadata", "tags")
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
           ON CONFLICT ("name") DO UPDATE SET "id" = EXCLUDED."id", "size" = EXCLUDED."size",
             "chunkSize" = EXCLUDED."chunkSize", "encrypted" = EXCLUDED."encrypted",
             "contentType" = EXCLUDED."contentType", "metadata" = EXCLUDED."metadata",
             "tags" = EXCLUDED."tags", "createdAt" = now()`,
          [
            name,
            id,
            size,
            this.#chunkSize,
            key !== undefined,
            attributes.contentType ?? null,
            attributes.metadata === undefined ? null : JSON.stringify(attributes.metadata),
            attributes.tags === undefined ? null : JSON.stringify(attributes.tags),
          ],
        );
        if (previous !== undefined)
          await tx.query(`DELETE FROM ${this.#chunks} WHERE "fileId" = $1`, [previous]);
        swapped = true;
      });
    } catch (error) {
      return discard(error);
    }
    if (!swapped) await db.query(`DELETE FROM ${this.#chunks} WHERE "fileId" = $1`, [id]);
    return swapped;
  }
}
