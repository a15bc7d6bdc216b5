import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runFilesAdapterSuite } from '@openparse/conformance';
import type { FilesAdapter } from '@openparse/core';
import { FsFilesAdapter } from '@openparse/files-fs';
import { afterAll, describe } from 'vitest';

const root = mkdtempSync(join(tmpdir(), 'openparse-files-fs-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

let count = 0;
const directories = new WeakMap<FilesAdapter, string>();

async function open(encryptionKey?: string, filesSubDirectory = `app${++count}`): Promise<FsFilesAdapter> {
  const adapter = new FsFilesAdapter({
    directory: root,
    filesSubDirectory,
    ...(encryptionKey && { encryptionKey }),
  });
  directories.set(adapter, filesSubDirectory);
  await adapter.connect();
  return adapter;
}

const teardown = async (adapter: FilesAdapter) => {
  rmSync(join(root, directories.get(adapter) ?? 'none'), { recursive: true, force: true });
};

describe('files-fs', () => {
  // @parse/fs-files-adapter's format keeps no content type: core serves files by extension.
  runFilesAdapterSuite(() => open(), { teardown, recordsContentType: false });
});

describe('files-fs, encrypted', () => {
  runFilesAdapterSuite(() => open('the encryption key'), {
    teardown,
    recordsContentType: false,
    encryptionKey: 'the encryption key',
    reopenWithKey: (adapter, key) => open(key, directories.get(adapter)),
    skip: {
      'encryption.no-key':
        "@parse/fs-files-adapter's format has no marker: an adapter without a key serves the stored bytes",
    },
  });
});
