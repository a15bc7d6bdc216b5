import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { ParseErrorCode } from '@openparse/core';
import { FsFilesAdapter } from '@openparse/files-fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

interface ParseFsAdapter {
  createFile(name: string, data: Buffer): Promise<unknown>;
  getFileData(name: string): Promise<Buffer>;
  rotateEncryptionKey(options?: { oldKey?: string }): Promise<{ rotated: string[]; notRotated: string[] }>;
}
type ParseFsAdapterClass = new (options?: {
  filesSubDirectory?: string;
  encryptionKey?: string;
}) => ParseFsAdapter;

const FileSystemAdapter = createRequire(import.meta.url)('@parse/fs-files-adapter') as ParseFsAdapterClass;

const root = mkdtempSync(join(tmpdir(), 'openparse-parse-fs-'));
const previousCwd = process.cwd();
// @parse/fs-files-adapter keeps files under <cwd>/files/<filesSubDirectory>.
beforeAll(() => process.chdir(root));
afterAll(() => {
  process.chdir(previousCwd);
  rmSync(root, { recursive: true, force: true });
});

async function text(stream: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString();
}

const NAMES = ['a1b2c3_hello.txt', 'with space & ünïcode.txt'];
let app = 0;
const ours = (filesSubDirectory: string, encryptionKey?: string) =>
  new FsFilesAdapter({
    directory: join(root, 'files'),
    filesSubDirectory,
    ...(encryptionKey && { encryptionKey }),
  });

describe('@parse/fs-files-adapter interoperability', () => {
  for (const key of [undefined, 'shared secret']) {
    const label = key ? 'encrypted' : 'plain';

    it(`reads what parse-server wrote (${label})`, async () => {
      const sub = `app${++app}`;
      const theirs = new FileSystemAdapter({ filesSubDirectory: sub, ...(key && { encryptionKey: key }) });
      for (const name of NAMES) await theirs.createFile(name, Buffer.from(`content of ${name}`));
      const adapter = ours(sub, key);
      for (const name of NAMES) {
        expect(await text(await adapter.getFileStream(name))).toBe(`content of ${name}`);
        expect((await adapter.getFileInfo(name)).size).toBe(Buffer.byteLength(`content of ${name}`));
      }
    });

    it(`writes what parse-server reads (${label})`, async () => {
      const sub = `app${++app}`;
      const adapter = ours(sub, key);
      for (const name of NAMES) await adapter.createFile({ name, data: Buffer.from(`ours: ${name}`) });
      const theirs = new FileSystemAdapter({ filesSubDirectory: sub, ...(key && { encryptionKey: key }) });
      for (const name of NAMES) expect((await theirs.getFileData(name)).toString()).toBe(`ours: ${name}`);
      expect(readdirSync(join(root, 'files', sub)).sort()).toEqual(NAMES.map(encodeURIComponent).sort());
    });
  }

  it("rotates keys with files parse-server's rotation then reads, and the other way round", async () => {
    const sub = `app${++app}`;
    await new FileSystemAdapter({ filesSubDirectory: sub, encryptionKey: 'old' }).createFile(
      'x.txt',
      Buffer.from('x'),
    );
    const rotated = await ours(sub, 'new').rotateEncryptionKey({ oldKey: 'old' });
    expect(rotated).toEqual({ rotated: ['x.txt'], notRotated: [] });
    expect(
      (
        await new FileSystemAdapter({ filesSubDirectory: sub, encryptionKey: 'new' }).getFileData('x.txt')
      ).toString(),
    ).toBe('x');
    const back = await new FileSystemAdapter({
      filesSubDirectory: sub,
      encryptionKey: 'newer',
    }).rotateEncryptionKey({ oldKey: 'new' });
    expect(back.rotated).toEqual(['x.txt']);
    expect(await text(await ours(sub, 'newer').getFileStream('x.txt'))).toBe('x');
  });
});

describe('files-fs safety and rotation', () => {
  it('never reaches outside its directory, refuses names the file system cannot hold', async () => {
    const sub = `app${++app}`;
    const adapter = ours(sub);
    await adapter.connect();
    writeFileSync(join(root, 'files', 'outside.txt'), 'outside');
    for (const name of ['..', '.']) {
      await expect(adapter.getFileStream(name)).rejects.toMatchObject({
        code: ParseErrorCode.INVALID_FILE_NAME,
      });
      await expect(adapter.createFile({ name, data: Buffer.from('x') })).rejects.toMatchObject({
        code: ParseErrorCode.INVALID_FILE_NAME,
      });
    }
    // Separators are encoded into the one entry name: '../outside.txt' is a (missing) file of this directory.
    await expect(adapter.getFileStream('../outside.txt')).rejects.toMatchObject({
      code: ParseErrorCode.OBJECT_NOT_FOUND,
    });
    await adapter.createFile({ name: 'a/../../b', data: Buffer.from('inside') });
    expect(readdirSync(join(root, 'files', sub))).toEqual([encodeURIComponent('a/../../b')]);
    await expect(adapter.createFile({ name: 'é'.repeat(50), data: Buffer.from('x') })).rejects.toMatchObject({
      code: ParseErrorCode.INVALID_FILE_NAME,
      message: 'Filename too long.',
    });
    expect(readFileSync(join(root, 'files', 'outside.txt'), 'utf8')).toBe('outside');
    expect(() => new FsFilesAdapter({ filesSubDirectory: '../elsewhere' })).toThrow(/^\[files-fs\]/);
    expect(() => new FsFilesAdapter({ encryptionKey: '' })).toThrow(/^\[files-fs\] encryptionKey/);
  });

  it('rotates safely: progress, notRotated for what the old key cannot open, and a second run', async () => {
    const sub = `app${++app}`;
    const first = ours(sub, 'one');
    await first.createFile({ name: 'a.txt', data: Buffer.from('alpha') });
    await first.createFile({ name: 'b.txt', data: Buffer.from('bravo') });
    await ours(sub, 'stranger').createFile({ name: 'c.txt', data: Buffer.from('charlie') });
    const second = ours(sub, 'two');
    const progress: string[] = [];
    const result = await second.rotateEncryptionKey({
      oldKey: 'one',
      onProgress: ({ name, rotated, done, total }) => progress.push(`${done}/${total} ${name} ${rotated}`),
    });
    expect(result).toEqual({ rotated: ['a.txt', 'b.txt'], notRotated: ['c.txt'] });
    expect(progress).toEqual(['1/3 a.txt true', '2/3 b.txt true', '3/3 c.txt false']);
    expect(await text(await second.getFileStream('b.txt'))).toBe('bravo');
    await expect(first.getFileStream('a.txt')).rejects.toMatchObject({
      code: ParseErrorCode.FILE_READ_ERROR,
    });
    // Again, as after an interruption: files already under 'two' count as rotated, none is damaged.
    expect(await second.rotateEncryptionKey({ oldKey: 'one', fileNames: ['a.txt'] })).toEqual({
      rotated: ['a.txt'],
      notRotated: [],
    });
    expect(await text(await second.getFileStream('a.txt'))).toBe('alpha');
    // No temporary file is left behind.
    expect(readdirSync(join(root, 'files', sub)).filter((entry) => entry.startsWith('.'))).toEqual([]);
    mkdirSync(join(root, 'files', `${sub}-empty`));
    expect(await ours(`${sub}-empty`, 'k').rotateEncryptionKey()).toEqual({ rotated: [], notRotated: [] });
  });
});
