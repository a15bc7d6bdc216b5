import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { type FileHandle, mkdir, open, readdir, rename, rm, stat, unlink, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  type ByteRange,
  type CreateFileRequest,
  type FileInfo,
  type FilesAdapter,
  type FilesCapabilities,
  type KeyRotation,
  type RotateEncryptionKeyOptions,
  type RotationResult,
  ParseError,
  ParseErrorCode,
} from '@openparse/core';
import { decryptStream, deriveKey, encryptStream, TRAILER_BYTES } from './encryption.js';
import { type FsFilesAdapterOptions, validateOptions } from './options.js';

export type { FsFilesAdapterOptions } from './options.js';

export type { RotateEncryptionKeyOptions, RotationProgress, RotationResult } from '@openparse/core';

/** The longest file name most file systems accept, in bytes. */
const MAX_ENTRY_BYTES = 255;

const errno = (error: unknown): string | undefined => (error as NodeJS.ErrnoException | null)?.code;

function notFound(): ParseError {
  return new ParseError(ParseErrorCode.OBJECT_NOT_FOUND, 'File not found.');
}

function failure(code: ParseErrorCode, message: string, cause: unknown): ParseError {
  if (cause instanceof ParseError) return cause;
  return errno(cause) === 'ENOENT' ? notFound() : new ParseError(code, message, { cause });
}

/** Decodes a directory entry written by this adapter or parse-server's (names are URI-encoded on disk). */
function decodeEntry(entry: string): string {
  try {
    return decodeURIComponent(entry);
  } catch {
    return entry;
  }
}

/**
 * Parse Files as files in a directory, in @parse/fs-files-adapter's layout (`<directory>/
 * <filesSubDirectory>/<URI-encoded name>`) and encrypted format (AES-256-GCM, `ciphertext ‖ iv ‖
 * tag`), so parse-server and OpenParse read each other's files. Writes go to a temporary file
 * renamed into place: an interrupted upload or rotation never leaves a partial file.
 *
 * @example
 * new FsFilesAdapter({ directory: '/var/lib/parse/files', filesSubDirectory: appId, encryptionKey });
 */
export class FsFilesAdapter implements FilesAdapter, KeyRotation {
  readonly capabilities: FilesCapabilities;
  readonly #directory: string;
  readonly #key: Buffer | undefined;
  readonly #encryptionKey: string | undefined;

  /** @throws {TypeError} on invalid options, prefixed `[files-fs]`. */
  constructor(options: FsFilesAdapterOptions = {}) {
    validateOptions(options);
    this.#directory = resolve(options.directory ?? 'files', options.filesSubDirectory ?? '');
    this.#encryptionKey = options.encryptionKey;
    this.#key = options.encryptionKey === undefined ? undefined : deriveKey(options.encryptionKey);
    // Encrypted files are one GCM message: a range needs the whole file decrypted (core slices it).
    this.capabilities = { ranges: this.#key === undefined, encryption: this.#key !== undefined };
  }

  /** The directory files are kept in (absolute). */
  get directory(): string {
    return this.#directory;
  }

  async connect(): Promise<void> {
    await mkdir(this.#directory, { recursive: true });
  }

  async createFile(request: CreateFileRequest): Promise<void> {
    const target = this.#path(request.name);
    // A dot name: parse-server's key rotation and ours skip it when listing the directory.
    const temporary = join(this.#directory, `.${randomUUID()}.upload`);
    try {
      await mkdir(this.#directory, { recursive: true });
      // `flush`: the data reaches the disk before the rename makes it the file.
      if (Buffer.isBuffer(request.data) && !this.#key) {
        // A small upload core read whole: one write, no stream.
        await writeFile(temporary, request.data, { flag: 'wx', flush: true });
      } else {
        const source = Buffer.isBuffer(request.data) ? Readable.from([request.data]) : request.data;
        const sink = createWriteStream(temporary, { flags: 'wx', flush: true });
        await (this.#key ? pipeline(source, encryptStream(this.#key), sink) : pipeline(source, sink));
      }
      await rename(temporary, target);
    } catch (error) {
      await rm(temporary, { force: true });
      throw failure(ParseErrorCode.FILE_SAVE_ERROR, `Could not store file: ${request.name}.`, error);
    }
  }

  async getFileInfo(name: string): Promise<FileInfo> {
    const path = this.#path(name);
    let size: number;
    try {
      size = (await stat(path)).size;
    } catch (error) {
      throw failure(ParseErrorCode.FILE_READ_ERROR, 'The file could not be read.', error);
    }
    if (!this.#key) return { size };
    if (size < TRAILER_BYTES) {
      throw new ParseError(ParseErrorCode.FILE_READ_ERROR, 'The file is not encrypted with this format.');
    }
    return { size: size - TRAILER_BYTES };
  }

  async getFileStream(name: string, range?: ByteRange): Promise<Readable> {
    const file = await this.#open(name);
    if (!this.#key) return file.createReadStream(range ? { start: range.start, end: range.end } : {});
    try {
      return await this.#decrypted(file, this.#key);
    } catch (error) {
      await file.close();
      throw error;
    }
  }

  async deleteFile(name: string): Promise<void> {
    try {
      await unlink(this.#path(name));
    } catch (error) {
      throw failure(ParseErrorCode.FILE_DELETE_ERROR, 'Could not delete file.', error);
    }
  }

  /**
   * Re-encrypts files from `oldKey` (or from plaintext) to this adapter's key (or to plaintext
   * when it has none), as @parse/fs-files-adapter's `rotateEncryptionKey`, but safely: each file
   * is rewritten to a temporary file and renamed over the old one, so an interruption leaves
   * every file whole, under the old key or the new. Run again, it counts files already under the
   * new key as rotated.
   */
  async rotateEncryptionKey(options: RotateEncryptionKeyOptions = {}): Promise<RotationResult> {
    const names =
      options.fileNames ??
      (
        await readdir(this.#directory).catch((error: unknown) => {
          if (errno(error) === 'ENOENT') return [] as string[];
          throw error;
        })
      )
        .filter((entry) => !entry.startsWith('.'))
        .sort()
        .map(decodeEntry);
    const reader = new FsFilesAdapter({
      directory: this.#directory,
      ...(options.oldKey !== undefined && { encryptionKey: options.oldKey }),
    });
    const result: RotationResult = { rotated: [], notRotated: [] };
    for (const name of names) {
      let rotated = false;
      let error: unknown;
      try {
        await this.createFile({ name, data: await reader.getFileStream(name) });
        rotated = true;
      } catch (cause) {
        error = cause;
        rotated = await this.#readable(name);
      }
      (rotated ? result.rotated : result.notRotated).push(name);
      options.onProgress?.({
        name,
        rotated,
        done: result.rotated.length + result.notRotated.length,
        total: names.length,
        ...(!rotated && { error }),
      });
    }
    return result;
  }

  /** True when this adapter's key already opens the file (a rotation run twice). */
  async #readable(name: string): Promise<boolean> {
    if (!this.#key || this.#encryptionKey === undefined) return false;
    try {
      const stream = await this.getFileStream(name);
      stream.destroy();
      return true;
    } catch {
      return false; // Not under the new key either: the caller lists it as not rotated.
    }
  }

  #path(name: string): string {
    const entry = encodeURIComponent(name);
    if (name.length === 0 || name === '.' || name === '..') {
      throw new ParseError(ParseErrorCode.INVALID_FILE_NAME, 'Filename contains invalid characters.');
    }
    if (Buffer.byteLength(entry) > MAX_ENTRY_BYTES) {
      throw new ParseError(ParseErrorCode.INVALID_FILE_NAME, 'Filename too long.');
    }
    const path = join(this.#directory, entry);
    if (dirname(path) !== this.#directory) {
      throw new ParseError(ParseErrorCode.INVALID_FILE_NAME, 'Filename contains invalid characters.');
    }
    return path;
  }

  async #open(name: string): Promise<FileHandle> {
    try {
      return await open(this.#path(name), 'r');
    } catch (error) {
      throw failure(ParseErrorCode.FILE_READ_ERROR, 'The file could not be read.', error);
    }
  }

  /**
   * Checks the whole file against its tag first (reading it once, keeping nothing), then streams
   * it decrypted from the same open file: a wrong key or altered bytes reject here, and no
   * unauthenticated byte is ever served.
   */
  async #decrypted(file: FileHandle, key: Buffer): Promise<Readable> {
    const { size } = await file.stat();
    if (size < TRAILER_BYTES) {
      throw new ParseError(ParseErrorCode.FILE_READ_ERROR, 'The file is not encrypted with this format.');
    }
    const trailer = Buffer.alloc(TRAILER_BYTES);
    await file.read(trailer, 0, TRAILER_BYTES, size - TRAILER_BYTES);
    const ciphertext = () =>
      size === TRAILER_BYTES
        ? Readable.from([], { objectMode: false })
        : file.createReadStream({ start: 0, end: size - TRAILER_BYTES - 1, autoClose: false });
    const discard = new Writable({ write: (_chunk, _encoding, callback) => callback() });
    try {
      await pipeline(ciphertext(), decryptStream(key, trailer), discard);
    } catch (cause) {
      throw new ParseError(
        ParseErrorCode.FILE_READ_ERROR,
        'The file cannot be decrypted: wrong encryptionKey, or altered data.',
        { cause },
      );
    }
    const plain = decryptStream(key, trailer);
    pipeline(ciphertext(), plain)
      .catch((error: unknown) => plain.destroy(error as Error))
      .finally(() => file.close());
    return plain;
  }
}
