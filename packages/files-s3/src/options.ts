import type { ObjectCannedACL, S3Client, ServerSideEncryption } from '@aws-sdk/client-s3';

/** Options of `S3FilesAdapter`, under the names of parse-server's S3 adapter where it has them. */
export interface S3FilesAdapterOptions {
  /** The bucket (it must exist). */
  readonly bucket: string;
  /** A key prefix for every file (`'apps/myapp/'`). @default '' */
  readonly bucketPrefix?: string;
  /** @default the SDK's resolution (AWS_REGION…) */
  readonly region?: string;
  /** An S3-compatible endpoint (MinIO, R2, a local server). */
  readonly endpoint?: string;
  /** Path-style URLs (`<endpoint>/<bucket>/<key>`), which most S3-compatible servers need. @default true with `endpoint` */
  readonly forcePathStyle?: boolean;
  /** @default the SDK's resolution (environment, profile, instance role) */
  readonly credentials?: {
    readonly accessKeyId: string;
    readonly secretAccessKey: string;
    readonly sessionToken?: string;
  };
  /** A ready client instead of region / endpoint / credentials; never destroyed by the adapter. */
  readonly client?: S3Client;
  /** Canned ACL of new objects (`'public-read'` with `directAccess`). @default none (the bucket's) */
  readonly acl?: ObjectCannedACL;
  /** Server-side encryption of new objects. @default none (the bucket's) */
  readonly serverSideEncryption?: ServerSideEncryption;
  /** The KMS key, with `serverSideEncryption: 'aws:kms'`. */
  readonly kmsKeyId?: string;
  /** File URLs point at the bucket (or `baseUrl`) instead of the server. @default false */
  readonly directAccess?: boolean;
  /** With `directAccess`: the public base URL (a CDN) files are under. @default the bucket's URL */
  readonly baseUrl?: string;
  /** Bytes per part of multipart uploads (5 MiB minimum); larger files are sent in parts. @default 8 MiB */
  readonly partSize?: number;
}

/** Checks the options; every message starts with `[files-s3]`. */
export function validateOptions(options: S3FilesAdapterOptions): void {
  if (typeof options !== 'object' || options === null)
    throw new TypeError('[files-s3] options must be an object');
  if (typeof options.bucket !== 'string' || options.bucket.length === 0) {
    throw new TypeError('[files-s3] bucket is required');
  }
  for (const name of ['bucketPrefix', 'region', 'endpoint', 'baseUrl', 'kmsKeyId'] as const) {
    const value = options[name];
    if (value !== undefined && typeof value !== 'string')
      throw new TypeError(`[files-s3] ${name} must be a string`);
  }
  for (const name of ['endpoint', 'baseUrl'] as const) {
    const value = options[name];
    if (value !== undefined && !URL.canParse(value))
      throw new TypeError(`[files-s3] ${name} must be a URL, got '${value}'`);
  }
  const { credentials } = options;
  if (
    credentials !== undefined &&
    (typeof credentials?.accessKeyId !== 'string' || typeof credentials.secretAccessKey !== 'string')
  ) {
    throw new TypeError('[files-s3] credentials must be { accessKeyId, secretAccessKey, sessionToken? }');
  }
  const { partSize } = options;
  if (partSize !== undefined && (!Number.isInteger(partSize) || partSize < 5 * 1024 * 1024)) {
    throw new RangeError(`[files-s3] partSize must be an integer of at least 5 MiB, got ${String(partSize)}`);
  }
}
