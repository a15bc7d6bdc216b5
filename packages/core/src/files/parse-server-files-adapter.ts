import { Readable } from 'node:stream';
import type { ByteRange, CreateFileRequest, FileInfo, FilesAdapter } from '../contracts/files-adapter.js';
import { ParseError, ParseErrorCode } from '../errors.js';

/**
 * A files adapter written for parse-server (`@parse/fs-files-adapter`, `@parse/s3-files-adapter`,
 * `@parse/gcs-files-adapter`, GridFS-style custom ones): buffers in and out, the config passed
 * to `getFileLocation`.
 */
export interface ParseServerFilesAdapter {
  createFile(
    filename: string,
    data: Buffer,
    contentType?: string,
    options?: Record<string, unknown>,
  ): Promise<unknown>;
  deleteFile(filename: string): Promise<unknown>;
  getFileData(filename: string): Promise<Buffer>;
  getFileLocation(
    config: { mount: string; applicationId: string },
    filename: string,
  ): string | Promise<string>;
  validateFilename?(filename: string): unknown;
  getMetadata?(filename: string): Promise<{ metadata?: Record<string, unknown> } | undefined>;
}

/** True when `value` has parse-server's files adapter methods (and not OpenParse's `getFileInfo`). */
export function isParseServerFilesAdapter(value: unknown): value is ParseServerFilesAdapter {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Record<string, unknown>;
  return (
    ['createFile', 'deleteFile', 'getFileData', 'getFileLocation'].every(
      (method) => typeof candidate[method] === 'function',
    ) && typeof candidate.getFileInfo !== 'function'
  );
}

async function bytesOf(data: Buffer | Readable): Promise<Buffer> {
  if (Buffer.isBuffer(data)) return data;
  const chunks: Buffer[] = [];
  for await (const chunk of data) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function text(record: Record<string, unknown> | undefined): Record<string, string> | undefined {
  if (!record) return undefined;
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(record)) {
    if (value !== undefined && value !== null)
      out[key] = typeof value === 'string' ? value : JSON.stringify(value);
  }
  return out;
}

/**
 * Uses a parse-server files adapter as an OpenParse {@link FilesAdapter}. Such adapters read and
 * write whole buffers: an upload is held in memory before it is stored (bounded by
 * `maxUploadSize`), and a download reads the whole file (ranges are cut by core). The adapter's
 * own URL is used when it answers one other than the server's (S3 or GCS `directAccess`); an
 * adapter whose `getFileLocation` is asynchronous is served through the server.
 */
export class ParseServerFilesAdapterBridge implements FilesAdapter {
  readonly capabilities: FilesAdapter['capabilities'];
  readonly #legacy: ParseServerFilesAdapter;
  readonly #appId: string;
  /** The last file read by `getFileInfo`, so the download that follows does not read it twice. */
  #recent: { name: string; data: Promise<Buffer>; at: number } | undefined;

  constructor(legacy: ParseServerFilesAdapter, appId: string) {
    this.#legacy = legacy;
    this.#appId = appId;
    const direct =
      (legacy as { _directAccess?: unknown; directAccess?: unknown })._directAccess === true ||
      (legacy as { directAccess?: unknown }).directAccess === true;
    this.capabilities = { directAccess: direct };
  }

  async createFile(request: CreateFileRequest): Promise<void> {
    const data = await bytesOf(request.data);
    try {
      await this.#legacy.createFile(request.name, data, request.contentType, {
        ...(request.metadata && { metadata: request.metadata }),
        ...(request.tags && { tags: request.tags }),
      });
    } catch (cause) {
      throw new ParseError(ParseErrorCode.FILE_SAVE_ERROR, `Could not store file: ${request.name}.`, {
        cause,
      });
    } finally {
      this.#forget(request.name);
    }
  }

  async getFileInfo(name: string): Promise<FileInfo> {
    const data = this.#read(name);
    const [bytes, metadata] = await Promise.all([
      data,
      this.#legacy.getMetadata ? this.#legacy.getMetadata(name).catch(() => undefined) : undefined,
    ]);
    const recorded = text(metadata?.metadata);
    return { size: bytes.length, ...(recorded && { metadata: recorded }) };
  }

  async getFileStream(name: string, range?: ByteRange): Promise<Readable> {
    const recent = this.#recent;
    const data =
      recent && recent.name === name && Date.now() - recent.at < 5_000 ? recent.data : this.#read(name);
    this.#forget(name);
    const bytes = await data;
    return Readable.from([range ? bytes.subarray(range.start, range.end + 1) : bytes]);
  }

  async deleteFile(name: string): Promise<void> {
    this.#forget(name);
    try {
      await this.#legacy.deleteFile(name);
    } catch (cause) {
      throw new ParseError(ParseErrorCode.FILE_DELETE_ERROR, 'Could not delete file.', { cause });
    }
  }

  getFileLocation(name: string, serverFileURL: string): string {
    const mount = serverFileURL.slice(0, serverFileURL.lastIndexOf('/files/'));
    const location = this.#legacy.getFileLocation({ mount, applicationId: this.#appId }, name);
    return typeof location === 'string' ? location : serverFileURL;
  }

  validateFilename(name: string): string | undefined {
    if (!this.#legacy.validateFilename) return undefined;
    const problem = this.#legacy.validateFilename(name);
    if (problem === null || problem === undefined) return undefined;
    return typeof problem === 'string'
      ? problem
      : String((problem as { message?: unknown }).message ?? problem);
  }

  #read(name: string): Promise<Buffer> {
    const data = this.#legacy.getFileData(name).then(
      (bytes) => (Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes)),
      (cause: unknown) => {
        throw new ParseError(ParseErrorCode.OBJECT_NOT_FOUND, 'File not found.', { cause });
      },
    );
    data.catch(() => undefined);
    this.#recent = { name, data, at: Date.now() };
    return data;
  }

  #forget(name: string): void {
    if (this.#recent?.name === name) this.#recent = undefined;
  }
}
