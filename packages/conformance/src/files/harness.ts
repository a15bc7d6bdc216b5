import { Readable } from 'node:stream';
import type { FilesAdapter, FilesCapabilities } from '@openparse/core';
import { afterEach, beforeEach, it } from 'vitest';
import type { FilesTestId } from './ids.js';

/** Options of `runFilesAdapterSuite`. */
export interface FilesSuiteOptions {
  /** Tests to skip: test id → the reason (required, shown in the test title). */
  readonly skip?: Partial<Record<FilesTestId, string>>;
  /** Disposes of an adapter after each test. @default adapter.close?.() */
  readonly teardown?: (adapter: FilesAdapter) => Promise<void>;
  /**
   * For adapters with `capabilities.encryption`: a second adapter over the same store as
   * `adapter` with another encryption key (`undefined`: none). The encryption group needs it.
   */
  readonly reopenWithKey?: (
    adapter: FilesAdapter,
    encryptionKey: string | undefined,
  ) => Promise<FilesAdapter>;
  /** The encryption key the factory's adapters use, when they encrypt. */
  readonly encryptionKey?: string;
  /**
   * The adapter records the content type given at creation (`getFileInfo().contentType`). Pass
   * false for formats that keep none (@parse/fs-files-adapter's): core then serves files by
   * extension, and the suite checks the adapter invents none.
   * @default true
   */
  readonly recordsContentType?: boolean;
  /** Size of the file `files.large-stream` and `ranges.large-file` write. @default 8 MiB */
  readonly largeFileBytes?: number;
  /**
   * Names `files.names` stores and reads back. Defaults to names parse-server accepts plus
   * unicode and spaces; pass your adapter's range when it is narrower.
   */
  readonly names?: readonly string[];
}

/** Gives each test a fresh adapter from the factory, and registers tests by id. */
export interface FilesHarness {
  readonly options: FilesSuiteOptions;
  /** `timeoutMs`: for tests that move megabytes (slow backends, busy machines). */
  test(
    id: FilesTestId,
    title: string,
    body: (adapter: FilesAdapter) => Promise<void>,
    timeoutMs?: number,
  ): void;
}

/** Registers the per-test lifecycle in the current `describe` and returns the harness. */
export function filesHarness(factory: () => Promise<FilesAdapter>, options: FilesSuiteOptions): FilesHarness {
  let current: FilesAdapter | undefined;
  beforeEach(async () => {
    current = await factory();
  });
  afterEach(async () => {
    const adapter = current;
    current = undefined;
    if (adapter) await (options.teardown ? options.teardown(adapter) : adapter.close?.());
  });
  return {
    options,
    test(id, title, body, timeoutMs) {
      const reason = options.skip?.[id];
      if (reason) it.skip(`${id}: ${title} (skipped: ${reason})`, () => undefined);
      else
        it(
          `${id}: ${title}`,
          () => {
            if (!current) throw new Error('no adapter: the factory did not run');
            return body(current);
          },
          timeoutMs,
        );
    },
  };
}

/** Reads the adapter's capabilities once, from a throw-away instance. */
export async function probeCapabilities(
  factory: () => Promise<FilesAdapter>,
  options: FilesSuiteOptions,
): Promise<FilesCapabilities> {
  const adapter = await factory();
  const capabilities = { ...adapter.capabilities };
  await (options.teardown ? options.teardown(adapter) : adapter.close?.());
  return capabilities;
}

/** Reads a whole stream. */
export async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream)
    chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as Uint8Array));
  return Buffer.concat(chunks);
}

/** Reads a whole file through the adapter. */
export async function readFile(adapter: FilesAdapter, name: string): Promise<Buffer> {
  return readAll(await adapter.getFileStream(name));
}

/** A unique file name for this test (parse-server's character set). */
export function fileName(base: string): string {
  return `${Math.random().toString(16).slice(2, 10)}_${base}`;
}

/** Deterministic pseudo-random bytes (so a failure can be reproduced), generated as a stream. */
export function patternStream(size: number, chunkSize = 64 * 1024): Readable {
  let offset = 0;
  return new Readable({
    read() {
      if (offset >= size) {
        this.push(null);
        return;
      }
      const length = Math.min(chunkSize, size - offset);
      this.push(patternBytes(offset, length));
      offset += length;
    },
  });
}

/** The bytes `patternStream` produces at `[offset, offset + length)`. */
export function patternBytes(offset: number, length: number): Buffer {
  const out = Buffer.allocUnsafe(length);
  for (let i = 0; i < length; i += 1) {
    const position = offset + i;
    out[i] = (position * 31 + (position >>> 8) * 7 + (position >>> 16)) & 0xff;
  }
  return out;
}

/** A stream that sends `before` bytes, then fails. */
export function failingStream(before: number): Readable {
  let sent = false;
  return new Readable({
    read() {
      if (!sent) {
        sent = true;
        this.push(patternBytes(0, before));
      } else this.destroy(new Error('the client went away'));
    },
  });
}
