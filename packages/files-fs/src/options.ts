/** Options of `FsFilesAdapter`. */
export interface FsFilesAdapterOptions {
  /**
   * The files root, absolute or relative to the working directory; created when missing.
   * @default 'files' (where @parse/fs-files-adapter keeps them)
   */
  readonly directory?: string;
  /** A folder under the root for this app (parse-server's `filesSubDirectory`). @default none */
  readonly filesSubDirectory?: string;
  /** AES-256-GCM for every file, in @parse/fs-files-adapter's format (parse-server's `encryptionKey`). */
  readonly encryptionKey?: string;
}

/** Checks the options; every message starts with `[files-fs]`. */
export function validateOptions(options: FsFilesAdapterOptions): void {
  if (typeof options !== 'object' || options === null) {
    throw new TypeError('[files-fs] options must be an object');
  }
  for (const name of ['directory', 'filesSubDirectory', 'encryptionKey'] as const) {
    const value = options[name];
    if (value !== undefined && (typeof value !== 'string' || value.length === 0)) {
      throw new TypeError(`[files-fs] ${name} must be a non-empty string`);
    }
  }
  const sub = options.filesSubDirectory;
  if (sub !== undefined && (sub.split(/[\\/]/).includes('..') || sub.startsWith('/') || sub.includes('\0'))) {
    throw new TypeError(`[files-fs] filesSubDirectory must stay under the files root, got '${sub}'`);
  }
}
