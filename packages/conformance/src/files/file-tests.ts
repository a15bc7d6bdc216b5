import type { Readable } from 'node:stream';
import { type FilesAdapter, ParseErrorCode } from '@openparse/core';
import { expect } from 'vitest';
import {
  type FilesHarness,
  failingStream,
  fileName,
  patternBytes,
  patternStream,
  readAll,
  readFile,
} from './harness.js';

const DEFAULT_NAMES = [
  'hello.txt',
  'with space.txt',
  'at@tilde~dash-under_score.bin',
  'ünïcødé ✓ 文件.txt',
  `${'n'.repeat(120)}.txt`,
];

/** Tests that move megabytes get a minute: backends differ, and CI machines are busy. */
const LARGE_TIMEOUT = 60_000;

const notFound = { code: ParseErrorCode.OBJECT_NOT_FOUND };

/** Checks a stream against `patternStream(size)` chunk by chunk, never holding it whole. */
async function expectPattern(stream: Readable, size: number, offset = 0): Promise<void> {
  let position = offset;
  for await (const chunk of stream) {
    const buffer = chunk as Buffer;
    if (!buffer.equals(patternBytes(position, buffer.length))) {
      throw new Error(`content differs in the ${buffer.length} bytes at offset ${position}`);
    }
    position += buffer.length;
  }
  expect(position - offset).toBe(size);
}

/** Creating, reading, replacing and deleting files. */
export function fileTests(h: FilesHarness): void {
  h.test('files.create-read', 'a file created from a buffer reads back, with its size', async (adapter) => {
    const name = fileName('hello.txt');
    await adapter.createFile({ name, data: Buffer.from('Hello, World!'), contentType: 'text/plain' });
    expect((await readFile(adapter, name)).toString()).toBe('Hello, World!');
    expect(await adapter.getFileInfo(name)).toMatchObject({ size: 13 });
  });

  h.test('files.create-from-stream', 'a file created from a stream reads back', async (adapter) => {
    const name = fileName('streamed.bin');
    await adapter.createFile({ name, data: patternStream(300_000, 10_000) });
    await expectPattern(await adapter.getFileStream(name), 300_000);
    expect((await adapter.getFileInfo(name)).size).toBe(300_000);
  });

  h.test(
    'files.binary-content',
    'every byte value survives, including NUL and invalid UTF-8',
    async (adapter) => {
      const name = fileName('bytes.bin');
      const data = Buffer.from(Array.from({ length: 512 }, (_, i) => (i * 131) & 0xff));
      await adapter.createFile({ name, data, contentType: 'application/octet-stream' });
      expect((await readFile(adapter, name)).equals(data)).toBe(true);
    },
  );

  h.test(
    'files.content-type',
    'the content type is recorded, and absent when none was given',
    async (adapter) => {
      const typed = fileName('photo.png');
      const untyped = fileName('blob');
      await adapter.createFile({ name: typed, data: Buffer.from([1, 2, 3]), contentType: 'image/png' });
      await adapter.createFile({ name: untyped, data: Buffer.from([1, 2, 3]) });
      const recorded = h.options.recordsContentType ?? true;
      expect((await adapter.getFileInfo(typed)).contentType).toBe(recorded ? 'image/png' : undefined);
      expect((await adapter.getFileInfo(untyped)).contentType).toBeUndefined();
    },
  );

  h.test(
    'files.metadata-tags',
    'metadata and tags are kept when the adapter reports them',
    async (adapter) => {
      const name = fileName('tagged.txt');
      const metadata = { owner: 'alice', 'long key': 'ünïcode' };
      const tags = { project: 'x' };
      await adapter.createFile({ name, data: Buffer.from('x'), contentType: 'text/plain', metadata, tags });
      const info = await adapter.getFileInfo(name);
      // Adapters may not report attributes (parse-server's FS adapter keeps none); what they report is exact.
      if (info.metadata !== undefined) expect(info.metadata).toEqual(metadata);
      if (info.tags !== undefined) expect(info.tags).toEqual(tags);
    },
  );

  h.test('files.replace', 'creating a file again under its name replaces it', async (adapter) => {
    const name = fileName('replaced.txt');
    await adapter.createFile({ name, data: Buffer.from('first version, longer'), contentType: 'text/plain' });
    await adapter.createFile({ name, data: Buffer.from('second'), contentType: 'text/markdown' });
    expect((await readFile(adapter, name)).toString()).toBe('second');
    const info = await adapter.getFileInfo(name);
    expect(info.size).toBe(6);
    expect(info.contentType).toBe((h.options.recordsContentType ?? true) ? 'text/markdown' : undefined);
  });

  h.test(
    'files.delete',
    'a deleted file is gone, and deleting it again reports it missing',
    async (adapter) => {
      const name = fileName('deleted.txt');
      await adapter.createFile({ name, data: Buffer.from('bye') });
      await adapter.deleteFile(name);
      await expect(adapter.getFileInfo(name)).rejects.toMatchObject(notFound);
      await expect(adapter.deleteFile(name)).rejects.toMatchObject(notFound);
    },
  );

  h.test('files.missing', 'a missing file rejects with OBJECT_NOT_FOUND everywhere', async (adapter) => {
    const name = fileName('never-written.txt');
    await expect(adapter.getFileInfo(name)).rejects.toMatchObject(notFound);
    await expect(adapter.getFileStream(name)).rejects.toMatchObject(notFound);
    await expect(adapter.deleteFile(name)).rejects.toMatchObject(notFound);
  });

  h.test(
    'files.names',
    'names with spaces, symbols, unicode and 120+ characters round-trip',
    async (adapter) => {
      for (const base of h.options.names ?? DEFAULT_NAMES) {
        const name = fileName(base);
        await adapter.createFile({ name, data: Buffer.from(base) });
        expect((await readFile(adapter, name)).toString(), base).toBe(base);
        await adapter.deleteFile(name);
      }
    },
  );

  h.test(
    'files.isolated-names',
    'names differing only by case or by a suffix are distinct files',
    async (adapter) => {
      const name = fileName('Case.txt');
      const others = [name.toLowerCase(), `${name}.bak`, name.slice(0, -1)];
      await adapter.createFile({ name, data: Buffer.from('main') });
      for (const other of others)
        await expect(adapter.getFileInfo(other), other).rejects.toMatchObject(notFound);
      await adapter.createFile({ name: `${name}.bak`, data: Buffer.from('backup') });
      expect((await readFile(adapter, name)).toString()).toBe('main');
    },
  );

  h.test(
    'files.large-stream',
    'a large file streams in and out in order',
    async (adapter) => {
      const size = h.options.largeFileBytes ?? 8 * 1024 * 1024;
      const name = fileName('large.bin');
      await adapter.createFile({ name, data: patternStream(size), contentType: 'application/octet-stream' });
      expect((await adapter.getFileInfo(name)).size).toBe(size);
      await expectPattern(await adapter.getFileStream(name), size);
    },
    LARGE_TIMEOUT,
  );

  h.test(
    'files.failed-stream-leaves-nothing',
    'a stream failing midway rejects the create and leaves no file',
    async (adapter) => {
      const name = fileName('interrupted.bin');
      await expect(adapter.createFile({ name, data: failingStream(100_000) })).rejects.toBeDefined();
      await expect(adapter.getFileInfo(name)).rejects.toMatchObject(notFound);
    },
  );

  h.test(
    'files.failed-replace-keeps-previous',
    'a replacement failing midway leaves the previous file whole',
    async (adapter) => {
      const name = fileName('kept.txt');
      await adapter.createFile({ name, data: Buffer.from('the good version') });
      await expect(adapter.createFile({ name, data: failingStream(100_000) })).rejects.toBeDefined();
      expect((await readFile(adapter, name)).toString()).toBe('the good version');
    },
  );
}

/** Byte ranges, for adapters with `capabilities.ranges`. */
export function rangeTests(h: FilesHarness): void {
  h.test('ranges.start-end', 'a range reads exactly its bytes, inclusive', async (adapter) => {
    const name = fileName('digits.txt');
    await adapter.createFile({ name, data: Buffer.from('0123456789') });
    expect((await readAll(await adapter.getFileStream(name, { start: 2, end: 5 }))).toString()).toBe('2345');
    expect((await readAll(await adapter.getFileStream(name, { start: 0, end: 9 }))).toString()).toBe(
      '0123456789',
    );
  });

  h.test('ranges.single-byte', 'the first and the last byte alone', async (adapter) => {
    const name = fileName('edges.txt');
    await adapter.createFile({ name, data: Buffer.from('abcdef') });
    expect((await readAll(await adapter.getFileStream(name, { start: 0, end: 0 }))).toString()).toBe('a');
    expect((await readAll(await adapter.getFileStream(name, { start: 5, end: 5 }))).toString()).toBe('f');
  });

  h.test(
    'ranges.large-file',
    'ranges deep inside a large file, across any internal chunking',
    async (adapter) => {
      const size = Math.min(h.options.largeFileBytes ?? 8 * 1024 * 1024, 4 * 1024 * 1024);
      const name = fileName('seek.bin');
      await adapter.createFile({ name, data: patternStream(size) });
      for (const [start, end] of [
        [size - 1000, size - 1],
        [255 * 1024 - 3, 257 * 1024 + 5],
        [1_000_001, 1_000_001 + 300_000],
      ] as const) {
        if (end >= size) continue;
        await expectPattern(await adapter.getFileStream(name, { start, end }), end - start + 1, start);
      }
    },
    LARGE_TIMEOUT,
  );
}

/** Reading back with other keys, for adapters with `capabilities.encryption`. */
export function encryptionTests(h: FilesHarness): void {
  const reopen = (adapter: FilesAdapter, key: string | undefined) => {
    if (!h.options.reopenWithKey) throw new Error('options.reopenWithKey is required');
    return h.options.reopenWithKey(adapter, key);
  };
  const failsToRead = async (adapter: FilesAdapter, name: string) => {
    const read = async () => readAll(await adapter.getFileStream(name));
    await expect(read()).rejects.toMatchObject({ code: ParseErrorCode.FILE_READ_ERROR });
  };

  h.test(
    'encryption.roundtrip',
    'an encrypted file reads back with the same key, ranges too',
    async (adapter) => {
      const name = fileName('secret.txt');
      await adapter.createFile({ name, data: Buffer.from('top secret content') });
      const again = await reopen(adapter, h.options.encryptionKey);
      try {
        expect((await readFile(again, name)).toString()).toBe('top secret content');
        if (adapter.capabilities.ranges) {
          expect((await readAll(await again.getFileStream(name, { start: 4, end: 9 }))).toString()).toBe(
            'secret',
          );
        }
      } finally {
        await again.close?.();
      }
    },
  );

  h.test(
    'encryption.wrong-key',
    'another key cannot read it: FILE_READ_ERROR, never garbage',
    async (adapter) => {
      const name = fileName('secret.bin');
      await adapter.createFile({ name, data: patternStream(200_000) });
      const other = await reopen(adapter, 'a completely different key');
      try {
        await failsToRead(other, name);
      } finally {
        await other.close?.();
      }
    },
  );

  h.test('encryption.no-key', 'an adapter without a key cannot read it either', async (adapter) => {
    const name = fileName('secret2.txt');
    await adapter.createFile({ name, data: Buffer.from('top secret') });
    const plain = await reopen(adapter, undefined);
    try {
      await failsToRead(plain, name);
    } finally {
      await plain.close?.();
    }
  });
}

/** Direct access and signed URLs, behind their flags. */
export function accessTests(h: FilesHarness, which: 'direct' | 'signed'): void {
  if (which === 'direct') {
    h.test(
      'location.direct-access',
      'getFileLocation answers an absolute URL naming the file',
      async (adapter) => {
        const name = fileName('direct.txt');
        await adapter.createFile({ name, data: Buffer.from('x') });
        const url = adapter.getFileLocation?.(name, `http://server.invalid/files/app/${name}`);
        expect(typeof url).toBe('string');
        expect(URL.canParse(url ?? '')).toBe(true);
      },
    );
    return;
  }
  h.test(
    'signed-urls.create',
    'createSignedUrl answers an absolute URL, and refuses missing files',
    async (adapter) => {
      const name = fileName('signed.txt');
      await adapter.createFile({ name, data: Buffer.from('x') });
      const url = await adapter.createSignedUrl?.(name, 60);
      expect(URL.canParse(url ?? '')).toBe(true);
      await expect(adapter.createSignedUrl?.(fileName('missing.txt'), 60)).rejects.toMatchObject(notFound);
    },
  );
}
