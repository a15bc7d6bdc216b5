import { type Readable, Transform } from 'node:stream';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  type HeadObjectCommandOutput,
  S3Client,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import {
  type ByteRange,
  type CreateFileRequest,
  type FileAttributes,
  type FileInfo,
  type FilesAdapter,
  type FilesCapabilities,
  ParseError,
  ParseErrorCode,
} from '@openparse/core';
import { type S3FilesAdapterOptions, validateOptions } from './options.js';

export type { S3FilesAdapterOptions } from './options.js';

const DEFAULT_PART_SIZE = 8 * 1024 * 1024;
const DEFAULT_TYPES = new Set(['application/octet-stream', 'binary/octet-stream']);

/** The bytes of `range` from a body that starts at `contentRange`'s first byte (or at 0 without one). */
function keepRange(body: Readable, range: ByteRange, contentRange: string | undefined): Readable {
  const served = /^bytes (\d+)-/.exec(contentRange ?? '');
  let offset = served ? Number(served[1]) : 0;
  const slice = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      const from = Math.max(range.start - offset, 0);
      const to = Math.min(range.end + 1 - offset, chunk.length);
      offset += chunk.length;
      callback(null, to > from ? chunk.subarray(from, to) : undefined);
    },
  });
  body.on('error', (error) => slice.destroy(error));
  return body.pipe(slice);
}

function isMissing(error: unknown): boolean {
  const { name, $metadata } = (error ?? {}) as { name?: string; $metadata?: { httpStatusCode?: number } };
  return name === 'NotFound' || name === 'NoSuchKey' || $metadata?.httpStatusCode === 404;
}

function failure(code: ParseErrorCode, message: string, cause: unknown): ParseError {
  if (cause instanceof ParseError) return cause;
  if (isMissing(cause)) return new ParseError(ParseErrorCode.OBJECT_NOT_FOUND, 'File not found.', { cause });
  return new ParseError(code, message, { cause });
}

/**
 * S3 user metadata travels in HTTP headers: keys and values are URI-encoded so any text fits
 * (S3 lowercases keys).
 */
function encodeMetadata(metadata: FileAttributes | undefined): Record<string, string> | undefined {
  if (!metadata) return undefined;
  return Object.fromEntries(
    Object.entries(metadata).map(([key, value]) => [encodeURIComponent(key), encodeURIComponent(value)]),
  );
}

function decodeMetadata(metadata: Record<string, string> | undefined): FileAttributes | undefined {
  if (!metadata || Object.keys(metadata).length === 0) return undefined;
  const decode = (text: string) => {
    try {
      return decodeURIComponent(text);
    } catch {
      return text; // written by another tool, not encoded
    }
  };
  return Object.fromEntries(Object.entries(metadata).map(([key, value]) => [decode(key), decode(value)]));
}

/**
 * Parse Files in an S3 bucket (or any S3-compatible store), one object per file under
 * `bucketPrefix`. Uploads stream: small files in one PUT, larger ones as a multipart upload
 * aborted on failure, so a failed upload leaves no object and never replaces the previous one.
 *
 * @example
 * new S3FilesAdapter({ bucket: 'my-app-files', region: 'eu-west-1', directAccess: true, acl: 'public-read' });
 */
export class S3FilesAdapter implements FilesAdapter {
  readonly capabilities: FilesCapabilities;
  readonly #options: S3FilesAdapterOptions;
  readonly #client: S3Client;
  readonly #ownsClient: boolean;
  readonly #prefix: string;

  /** @throws {TypeError} / {RangeError} on invalid options, prefixed `[files-s3]`. */
  constructor(options: S3FilesAdapterOptions) {
    validateOptions(options);
    this.#options = options;
    this.#prefix = options.bucketPrefix ?? '';
    this.#ownsClient = options.client === undefined;
    this.#client =
      options.client ??
      new S3Client({
        ...(options.region !== undefined && { region: options.region }),
        ...(options.endpoint !== undefined && { endpoint: options.endpoint }),
        forcePathStyle: options.forcePathStyle ?? options.endpoint !== undefined,
        ...(options.credentials !== undefined && { credentials: options.credentials }),
      });
    this.capabilities = { ranges: true, signedUrls: true, directAccess: options.directAccess === true };
  }

  async createFile(request: CreateFileRequest): Promise<void> {
    const { acl, serverSideEncryption, kmsKeyId } = this.#options;
    const tags = request.tags && Object.keys(request.tags).length > 0 ? request.tags : undefined;
    const upload = new Upload({
      client: this.#client,
      partSize: this.#options.partSize ?? DEFAULT_PART_SIZE,
      leavePartsOnError: false,
      params: {
        Bucket: this.#options.bucket,
        Key: this.#key(request.name),
        Body: request.data,
        ...(request.contentType !== undefined && { ContentType: request.contentType }),
        ...(request.metadata && { Metadata: encodeMetadata(request.metadata) }),
        ...(acl !== undefined && { ACL: acl }),
        ...(serverSideEncryption !== undefined && { ServerSideEncryption: serverSideEncryption }),
        ...(kmsKeyId !== undefined && { SSEKMSKeyId: kmsKeyId }),
      },
      ...(tags && { tags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })) }),
    });
    try {
      await upload.done();
    } catch (error) {
      throw failure(ParseErrorCode.FILE_SAVE_ERROR, `Could not store file: ${request.name}.`, error);
    }
  }

  async getFileInfo(name: string): Promise<FileInfo> {
    const head = await this.#head(name);
    const metadata = decodeMetadata(head.Metadata);
    return {
      size: head.ContentLength ?? 0,
      // S3 records a default type when none was given: that is no recorded type.
      ...(head.ContentType !== undefined &&
        !DEFAULT_TYPES.has(head.ContentType) && { contentType: head.ContentType }),
      ...(metadata && { metadata }),
    };
  }

  async getFileStream(name: string, range?: ByteRange): Promise<Readable> {
    try {
      const answer = await this.#client.send(
        new GetObjectCommand({
          Bucket: this.#options.bucket,
          Key: this.#key(name),
          ...(range && { Range: `bytes=${range.start}-${range.end}` }),
        }),
      );
      const body = answer.Body as Readable;
      // Some S3-compatible servers ignore a range they find odd (s3rver: bytes=0-0): keep only its bytes.
      if (range && answer.ContentRange?.startsWith(`bytes ${range.start}-${range.end}/`) !== true) {
        return keepRange(body, range, answer.ContentRange);
      }
      return body;
    } catch (error) {
      throw failure(ParseErrorCode.FILE_READ_ERROR, 'The file could not be read.', error);
    }
  }

  async deleteFile(name: string): Promise<void> {
    // S3 deletes a missing key without complaint; the contract reports it.
    await this.#head(name);
    try {
      await this.#client.send(
        new DeleteObjectCommand({ Bucket: this.#options.bucket, Key: this.#key(name) }),
      );
    } catch (error) {
      throw failure(ParseErrorCode.FILE_DELETE_ERROR, 'Could not delete file.', error);
    }
  }

  getFileLocation(name: string, serverFileURL: string): string {
    if (!this.#options.directAccess) return serverFileURL;
    const path = this.#key(name).split('/').map(encodeURIComponent).join('/');
    if (this.#options.baseUrl) return `${this.#options.baseUrl.replace(/\/+$/, '')}/${path}`;
    const { bucket, endpoint, region } = this.#options;
    if (endpoint) return `${endpoint.replace(/\/+$/, '')}/${bucket}/${path}`;
    return `https://${bucket}.s3.${region ?? 'us-east-1'}.amazonaws.com/${path}`;
  }

  async createSignedUrl(name: string, expiresInSeconds: number): Promise<string> {
    await this.#head(name);
    return getSignedUrl(
      this.#client,
      new GetObjectCommand({ Bucket: this.#options.bucket, Key: this.#key(name) }),
      {
        expiresIn: expiresInSeconds,
      },
    );
  }

  async close(): Promise<void> {
    if (this.#ownsClient) this.#client.destroy();
  }

  #key(name: string): string {
    return `${this.#prefix}${name}`;
  }

  async #head(name: string): Promise<HeadObjectCommandOutput> {
    try {
      return await this.#client.send(
        new HeadObjectCommand({ Bucket: this.#options.bucket, Key: this.#key(name) }),
      );
    } catch (error) {
      throw failure(ParseErrorCode.FILE_READ_ERROR, 'The file could not be read.', error);
    }
  }
}
