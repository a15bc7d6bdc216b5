import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { type Bucket, type File, Storage } from '@google-cloud/storage';
import {
  type ByteRange,
  type CreateFileRequest,
  type FileInfo,
  type FilesAdapter,
  type FilesCapabilities,
  ParseError,
  ParseErrorCode,
} from '@openparse/core';
import { type GcsFilesAdapterOptions, validateOptions } from './options.js';

export type { GcsFilesAdapterOptions } from './options.js';

const isMissing = (error: unknown): boolean => (error as { code?: unknown } | null)?.code === 404;

function failure(code: ParseErrorCode, message: string, cause: unknown): ParseError {
  if (cause instanceof ParseError) return cause;
  if (isMissing(cause)) return new ParseError(ParseErrorCode.OBJECT_NOT_FOUND, 'File not found.', { cause });
  return new ParseError(code, message, { cause });
}

/**
 * Parse Files in a Google Cloud Storage bucket, one object per file under `bucketPrefix`, through
 * the JSON API (`@google-cloud/storage`). Uploads stream; an upload that fails is never
 * finalized, so it leaves no object and the previous one stays.
 *
 * @example
 * new GcsFilesAdapter({ bucket: 'my-app-files', projectId: 'my-project', keyFilename: './key.json' });
 */
export class GcsFilesAdapter implements FilesAdapter {
  readonly capabilities: FilesCapabilities;
  readonly #options: GcsFilesAdapterOptions;
  readonly #bucket: Bucket;
  readonly #prefix: string;

  /** @throws {TypeError} on invalid options, prefixed `[files-gcs]`. */
  constructor(options: GcsFilesAdapterOptions) {
    validateOptions(options);
    this.#options = options;
    this.#prefix = options.bucketPrefix ?? '';
    const storage =
      options.storage ??
      new Storage({
        ...(options.projectId !== undefined && { projectId: options.projectId }),
        ...(options.keyFilename !== undefined && { keyFilename: options.keyFilename }),
        ...(options.credentials !== undefined && { credentials: { ...options.credentials } }),
        ...(options.apiEndpoint !== undefined && { apiEndpoint: options.apiEndpoint }),
      });
    this.#bucket = storage.bucket(options.bucket);
    this.capabilities = { ranges: true, signedUrls: true, directAccess: options.directAccess === true };
  }

  async createFile(request: CreateFileRequest): Promise<void> {
    const source = Buffer.isBuffer(request.data) ? Readable.from([request.data]) : request.data;
    const sink = this.#file(request.name).createWriteStream({
      resumable: this.#options.resumable ?? false,
      ...(request.contentType !== undefined && { contentType: request.contentType }),
      metadata: {
        ...(request.contentType !== undefined && { contentType: request.contentType }),
        ...(request.metadata && { metadata: { ...request.metadata } }),
      },
    });
    try {
      await pipeline(source, sink);
    } catch (error) {
      throw failure(ParseErrorCode.FILE_SAVE_ERROR, `Could not store file: ${request.name}.`, error);
    }
  }

  async getFileInfo(name: string): Promise<FileInfo> {
    const [metadata] = await this.#metadata(name);
    const custom = metadata.metadata as Record<string, string> | undefined;
    return {
      size: Number(metadata.size ?? 0),
      ...(typeof metadata.contentType === 'string' && { contentType: metadata.contentType }),
      ...(custom && Object.keys(custom).length > 0 && { metadata: { ...custom } }),
    };
  }

  async getFileStream(name: string, range?: ByteRange): Promise<Readable> {
    // The read stream reports a missing object only once read: ask first, so it rejects here.
    await this.#metadata(name);
    return this.#file(name).createReadStream(range ? { start: range.start, end: range.end } : {});
  }

  async deleteFile(name: string): Promise<void> {
    try {
      await this.#file(name).delete();
    } catch (error) {
      throw failure(ParseErrorCode.FILE_DELETE_ERROR, 'Could not delete file.', error);
    }
  }

  getFileLocation(name: string, serverFileURL: string): string {
    if (!this.#options.directAccess) return serverFileURL;
    const path = `${this.#prefix}${name}`.split('/').map(encodeURIComponent).join('/');
    const base = this.#options.baseUrl ?? `https://storage.googleapis.com/${this.#options.bucket}`;
    return `${base.replace(/\/+$/, '')}/${path}`;
  }

  async createSignedUrl(name: string, expiresInSeconds: number): Promise<string> {
    await this.#metadata(name);
    try {
      const [url] = await this.#file(name).getSignedUrl({
        version: 'v4',
        action: 'read',
        expires: Date.now() + expiresInSeconds * 1000,
      });
      return url;
    } catch (error) {
      throw failure(ParseErrorCode.FILE_READ_ERROR, 'Could not sign a URL for the file.', error);
    }
  }

  #file(name: string): File {
    return this.#bucket.file(`${this.#prefix}${name}`);
  }

  async #metadata(name: string) {
    try {
      return await this.#file(name).getMetadata();
    } catch (error) {
      throw failure(ParseErrorCode.FILE_READ_ERROR, 'The file could not be read.', error);
    }
  }
}
