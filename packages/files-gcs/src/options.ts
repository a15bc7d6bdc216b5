import type { Storage } from '@google-cloud/storage';

/** Options of `GcsFilesAdapter`, under the names of parse-server's GCS adapter where it has them. */
export interface GcsFilesAdapterOptions {
  /** The bucket (it must exist). */
  readonly bucket: string;
  /** A name prefix for every file. @default '' */
  readonly bucketPrefix?: string;
  /** @default the client library's resolution (GOOGLE_CLOUD_PROJECT…) */
  readonly projectId?: string;
  /** A service-account key file. @default the client library's resolution */
  readonly keyFilename?: string;
  /** Service-account credentials given inline. */
  readonly credentials?: { readonly client_email: string; readonly private_key: string };
  /** Another JSON-API endpoint (an emulator, a private endpoint). @default Google's */
  readonly apiEndpoint?: string;
  /** A ready client instead of projectId / keyFilename / credentials / apiEndpoint. */
  readonly storage?: Storage;
  /** File URLs point at the bucket (or `baseUrl`) instead of the server. @default false */
  readonly directAccess?: boolean;
  /** With `directAccess`: the public base URL files are under. @default https://storage.googleapis.com/<bucket> */
  readonly baseUrl?: string;
  /**
   * Resumable uploads (one session, sent in chunks); otherwise each file is one streamed
   * multipart request.
   * @default false
   */
  readonly resumable?: boolean;
}

/** Checks the options; every message starts with `[files-gcs]`. */
export function validateOptions(options: GcsFilesAdapterOptions): void {
  if (typeof options !== 'object' || options === null)
    throw new TypeError('[files-gcs] options must be an object');
  if (typeof options.bucket !== 'string' || options.bucket.length === 0) {
    throw new TypeError('[files-gcs] bucket is required');
  }
  for (const name of ['bucketPrefix', 'projectId', 'keyFilename', 'apiEndpoint', 'baseUrl'] as const) {
    const value = options[name];
    if (value !== undefined && typeof value !== 'string')
      throw new TypeError(`[files-gcs] ${name} must be a string`);
  }
  for (const name of ['apiEndpoint', 'baseUrl'] as const) {
    const value = options[name];
    if (value !== undefined && !URL.canParse(value))
      throw new TypeError(`[files-gcs] ${name} must be a URL, got '${value}'`);
  }
  const { credentials } = options;
  if (
    credentials !== undefined &&
    (typeof credentials?.client_email !== 'string' || typeof credentials.private_key !== 'string')
  ) {
    throw new TypeError('[files-gcs] credentials must be { client_email, private_key }');
  }
}
