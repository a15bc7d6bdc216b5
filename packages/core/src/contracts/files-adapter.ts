import type { Readable } from 'node:stream';

/** An inclusive byte range of a file: `start` and `end` are offsets, `start <= end < size`. */
export interface ByteRange {
  readonly start: number;
  readonly end: number;
}

/** Text key/value pairs stored with a file (parse-server's `metadata` and `tags`). */
export type FileAttributes = Readonly<Record<string, string>>;

/** One file to store. */
export interface CreateFileRequest {
  /**
   * The stored name, already validated and made unique by core (`<32 hex>_<name>` unless
   * `preserveFileName`). The adapter stores it as is; a second create with the same name replaces the file.
   */
  readonly name: string;
  /**
   * The content: a whole buffer, or a stream that is read once. When the stream fails (the client
   * went away, the upload exceeded `maxUploadSize`), the adapter must reject and must leave no file
   * (neither a partial one nor, when replacing, a damaged previous one).
   */
  readonly data: Buffer | Readable;
  /** The MIME type to record (`image/png`). */
  readonly contentType?: string;
  readonly metadata?: FileAttributes;
  readonly tags?: FileAttributes;
}

/** What an adapter knows about a stored file. */
export interface FileInfo {
  /** Size in bytes of the content (decrypted, when the adapter encrypts). */
  readonly size: number;
  /** The MIME type recorded at creation, when there was one. */
  readonly contentType?: string;
  readonly metadata?: FileAttributes;
  readonly tags?: FileAttributes;
}

/** What a files adapter can do. Optional methods of {@link FilesAdapter} sit behind these flags. */
export interface FilesCapabilities {
  /**
   * Content is encrypted at rest (with the adapter's own key option). Reading with a wrong key
   * rejects with `FILE_READ_ERROR`; it never returns garbage.
   * @default false
   */
  readonly encryption?: boolean;
  /**
   * `getFileStream` honours its `range` without reading the bytes before it. When false, core
   * reads from the start and discards what precedes the range.
   * @default false
   */
  readonly ranges?: boolean;
  /** `createSignedUrl` is implemented. @default false */
  readonly signedUrls?: boolean;
  /**
   * `getFileLocation` is implemented: clients fetch files from the adapter's own URL
   * (a bucket, a CDN) instead of through the server.
   * @default false
   */
  readonly directAccess?: boolean;
}

/**
 * Where Parse Files are stored.
 *
 * Core validates every name before calling an adapter (length, characters, no path separators,
 * no `..`; see {@link FilesAdapter.validateFilename} to widen the rule), enforces `maxUploadSize`
 * and the `fileUpload` permissions, and maps failures to parse-server's codes and statuses.
 * Adapters store and fetch bytes; they don't police.
 *
 * A missing file makes `getFileInfo`, `getFileStream` and `deleteFile` reject with
 * `ParseError(OBJECT_NOT_FOUND)`. Other failures reject with a `ParseError` carrying the driver
 * error as `cause` (`FILE_SAVE_ERROR`, `FILE_READ_ERROR`, `FILE_DELETE_ERROR`).
 *
 * Implementations: `InMemoryFilesAdapter` (core), the database files adapter of
 * `@openparse/storage-postgres`. `runFilesAdapterSuite` of `@openparse/conformance` checks one.
 *
 * @example
 * class MyFilesAdapter implements FilesAdapter {
 *   readonly capabilities = { ranges: true };
 *   async createFile({ name, data, contentType }: CreateFileRequest) { ... }
 *   async getFileInfo(name: string) { ... }
 *   async getFileStream(name: string, range?: ByteRange) { ... }
 *   async deleteFile(name: string) { ... }
 * }
 */
export interface FilesAdapter {
  readonly capabilities: FilesCapabilities;
  /**
   * Stores a file, replacing any file of that name. Resolves once the whole content is durably stored.
   * @throws {ParseError} FILE_SAVE_ERROR when it cannot be stored (the cause attached).
   */
  createFile(request: CreateFileRequest): Promise<void>;
  /**
   * The size and recorded attributes of a file.
   * @throws {ParseError} OBJECT_NOT_FOUND when there is no such file.
   */
  getFileInfo(name: string): Promise<FileInfo>;
  /**
   * The content of a file, or of the bytes of `range` (validated by core against the size
   * `getFileInfo` gave). The stream must emit an error, never end early, if reading fails midway.
   * @throws {ParseError} OBJECT_NOT_FOUND when there is no such file.
   * @throws {ParseError} FILE_READ_ERROR when it cannot be read (a wrong encryption key).
   */
  getFileStream(name: string, range?: ByteRange): Promise<Readable>;
  /**
   * Removes a file.
   * @throws {ParseError} OBJECT_NOT_FOUND when there is no such file.
   * @throws {ParseError} FILE_DELETE_ERROR when it cannot be removed.
   */
  deleteFile(name: string): Promise<void>;
  /**
   * The URL clients fetch the file from, when `capabilities.directAccess`. Called for every File
   * field answered, so it must be synchronous and cheap. `serverFileURL` is the URL through the
   * server (`<publicServerURL>/files/<appId>/<name>`), for adapters that only sometimes answer
   * their own.
   */
  getFileLocation?(name: string, serverFileURL: string): string;
  /**
   * A URL that grants read access to one file for `expiresInSeconds`, when `capabilities.signedUrls`.
   * @throws {ParseError} OBJECT_NOT_FOUND when there is no such file.
   */
  createSignedUrl?(name: string, expiresInSeconds: number): Promise<string>;
  /**
   * Replaces core's file name rule (parse-server's: at most 128 characters of
   * `[_a-zA-Z0-9][a-zA-Z0-9@. ~_-]*`). Returns why a name is refused, or `undefined` to accept it.
   * Core still refuses path separators, `.`/`..`, control characters and names over 1024 bytes.
   */
  validateFilename?(name: string): string | undefined;
  /** Prepares the store (creates tables, checks the bucket). `ParseServer.start` calls it once. */
  connect?(): Promise<void>;
  /** Releases connections. `ParseServer.close` calls it. */
  close?(): Promise<void>;
}

/** Options of {@link KeyRotation.rotateEncryptionKey}. */
export interface RotateEncryptionKeyOptions {
  /** The key the files are encrypted with now; omit it for files stored unencrypted. */
  readonly oldKey?: string;
  /** Only these files. @default every file */
  readonly fileNames?: readonly string[];
  /** Called after each file, rotated or not. */
  readonly onProgress?: (progress: RotationProgress) => void;
}

/** Where a rotation is. */
export interface RotationProgress {
  readonly name: string;
  readonly rotated: boolean;
  readonly done: number;
  readonly total: number;
  /** Why the file was not rotated (a wrong `oldKey`, a missing file…). */
  readonly error?: unknown;
}

/** What a rotation did: every file named once, in one list or the other. */
export interface RotationResult {
  readonly rotated: string[];
  readonly notRotated: string[];
}

/**
 * A files adapter that encrypts can re-encrypt what it stored (parse-server's
 * `rotateEncryptionKey`): each file from `oldKey` to the adapter's current key, rewritten and
 * swapped in whole, so an interrupted rotation loses nothing.
 */
export interface KeyRotation {
  rotateEncryptionKey(options?: RotateEncryptionKeyOptions): Promise<RotationResult>;
}
