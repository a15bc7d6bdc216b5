import { mkdtempSync, readFileSync, rmdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from '@openparse/core';
import { ConfigError, createServer, loadConfig, type RunningServer } from '@openparse/server';
import { afterAll, describe, expect, it } from 'vitest';

const cwd = mkdtempSync(join(tmpdir(), 'openparse-files-'));
afterAll(() => rmSync(cwd, { recursive: true, force: true }));

const KEYS = ['--appId', 'files-app', '--masterKey', 'files-master', '--port', '0', '--host', '127.0.0.1'];

async function start(argv: string[], env: Record<string, string> = {}, dir = cwd): Promise<RunningServer> {
  const config = loadConfig({ argv: [...KEYS, ...argv], env, cwd: dir });
  return createServer(config, { cwd: dir, logger: silentLogger });
}

async function upload(
  server: RunningServer,
  name: string,
  content: string,
): Promise<{ name: string; url: string }> {
  const answer = await fetch(`${server.url}/files/${name}`, {
    method: 'POST',
    headers: {
      'X-Parse-Application-Id': server.appId,
      'X-Parse-Master-Key': server.masterKey,
      'Content-Type': 'text/plain',
    },
    body: content,
  });
  expect(answer.status).toBe(201);
  return (await answer.json()) as { name: string; url: string };
}

describe('files in apps/server', () => {
  it('keeps files in the embedded database, encrypted with encryptionKey, readable only with it', async () => {
    const dir = mkdtempSync(join(cwd, 'encrypted-'));
    let server = await start([], { PARSE_SERVER_ENCRYPTION_KEY: 'first key' }, dir);
    const file = await upload(server, 'secret.txt', 'kept secret');
    expect(await (await fetch(file.url)).text()).toBe('kept secret');
    await server.close();

    server = await start(['--encryptionKey', 'another key'], {}, dir);
    const refused = await fetch(file.url.replace(/:\d+\//, `:${server.port}/`));
    expect(refused.status).toBe(404);
    await server.close();

    server = await start(['--encryptionKey', 'first key'], {}, dir);
    const again = await fetch(file.url.replace(/:\d+\//, `:${server.port}/`));
    expect(await again.text()).toBe('kept secret');
    await server.close();
  }, 60_000);

  it('loads filesAdapter as parse-server does: { module, options }', async () => {
    const server = await start([
      '--filesAdapter',
      JSON.stringify({ module: '@openparse/storage-postgres', options: { pglite: {} } }),
      '--preserveFileName',
      'true',
    ]);
    try {
      const file = await upload(server, 'kept-name.txt', 'in its own PGlite');
      expect(file.name).toBe('kept-name.txt');
      expect(await (await fetch(file.url)).text()).toBe('in its own PGlite');
    } finally {
      await server.close();
    }
  }, 60_000);

  it('loads @openparse/files-fs by name, files landing in its directory', async () => {
    const directory = mkdtempSync(join(cwd, 'fs-'));
    const server = await start([
      '--filesAdapter',
      JSON.stringify({
        module: '@openparse/files-fs',
        options: { directory, filesSubDirectory: 'files-app' },
      }),
    ]);
    try {
      const file = await upload(server, 'on-disk.txt', 'on disk');
      expect(readFileSync(join(directory, 'files-app', file.name), 'utf8')).toBe('on disk');
      expect(await (await fetch(file.url)).text()).toBe('on disk');
    } finally {
      await server.close();
    }
  }, 60_000);

  it('refuses a filesAdapter module that cannot load or is not a FilesAdapter, naming the option', async () => {
    await expect(start(['--filesAdapter', './no-such-adapter.js'])).rejects.toThrow(ConfigError);
    await expect(start(['--filesAdapter', './no-such-adapter.js'])).rejects.toThrow(
      /^option 'filesAdapter': cannot load module/,
    );
    await expect(start(['--filesAdapter', 'pino'])).rejects.toThrow(/is neither an OpenParse FilesAdapter/);
  });

  it('passes fileUpload to core, which checks its values', async () => {
    await expect(start(['--fileUpload', '{"enableForPublic":"yes"}'])).rejects.toThrow(
      /fileUpload\.enableForPublic/,
    );
    await expect(start(['--fileUpload', '{"unknown":true}'])).rejects.toThrow(
      /unknown option 'fileUpload.unknown'/,
    );
  });
});

describe('fileAccess: signed URLs', () => {
  it('serves files only through unexpired signed URLs, the ones the API answers', async () => {
    const dir = mkdtempSync(join(cwd, 'signed-'));
    const server = await start(
      [],
      { PARSE_SERVER_FILE_ACCESS: JSON.stringify({ mode: 'signed', urlTtl: 2 }) },
      dir,
    );
    try {
      const file = await upload(server, 'private.txt', 'for signed eyes');
      const url = new URL(file.url);
      expect(url.searchParams.get('signature')).toMatch(/^[\w-]{43}$/);
      const expires = Number(url.searchParams.get('expires'));
      expect(expires * 1000).toBeGreaterThan(Date.now() + 1000);
      expect(expires * 1000).toBeLessThanOrEqual(Date.now() + 3500);
      expect(await (await fetch(file.url)).text()).toBe('for signed eyes');

      // A File field read back carries a signed URL too.
      const headers = {
        'X-Parse-Application-Id': server.appId,
        'X-Parse-Master-Key': server.masterKey,
        'Content-Type': 'application/json',
      };
      const created = await fetch(`${server.url}/classes/Doc`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ attachment: { __type: 'File', name: file.name } }),
      });
      const { objectId } = (await created.json()) as { objectId: string };
      const read = (await (await fetch(`${server.url}/classes/Doc/${objectId}`, { headers })).json()) as {
        attachment: { url: string };
      };
      expect(new URL(read.attachment.url).searchParams.has('signature')).toBe(true);
      expect((await fetch(read.attachment.url)).status).toBe(200);

      const bare = `${url.origin}${url.pathname}`;
      const refused = await fetch(bare);
      expect(refused.status).toBe(403);
      expect(await refused.text()).toBe('This file URL is not signed, or its signature expired.');
      const tampered = new URL(file.url);
      tampered.searchParams.set('expires', String(expires + 3600));
      expect((await fetch(tampered)).status).toBe(403);
      const otherFile = new URL(file.url);
      otherFile.pathname = otherFile.pathname.replace('private.txt', 'other.txt');
      expect((await fetch(otherFile)).status).toBe(403);
      expect((await fetch(`${server.url}/files/${server.appId}/metadata/${file.name}`)).status).toBe(403);

      await new Promise((resolve) => setTimeout(resolve, expires * 1000 - Date.now() + 50));
      expect((await fetch(file.url)).status).toBe(403);
    } finally {
      await server.close();
    }
  });

  it('refuses a bad fileAccess setting at start', async () => {
    await expect(
      start([], { PARSE_SERVER_FILE_ACCESS: JSON.stringify({ mode: 'private' }) }),
    ).rejects.toThrow(/fileAccess.mode/);
    await expect(
      start([], { PARSE_SERVER_FILE_ACCESS: JSON.stringify({ mode: 'signed', secret: 'short' }) }),
    ).rejects.toThrow(/fileAccess.secret/);
  });
});

describe("parse-server's files adapters", () => {
  it('stores, serves and deletes files through @parse/fs-files-adapter, readable by parse-server', async () => {
    const sub = `openparse-test-${process.pid}-${Date.now()}`;
    const encryptionKey = 'shared with parse-server';
    const server = await start([], {
      PARSE_SERVER_FILES_ADAPTER: JSON.stringify({
        module: '@parse/fs-files-adapter',
        options: { filesSubDirectory: sub, encryptionKey },
      }),
    });
    try {
      const file = await upload(server, 'bridged.txt', 'through the bridge');
      expect(await (await fetch(file.url)).text()).toBe('through the bridge');
      const range = await fetch(file.url, { headers: { Range: 'bytes=8-10' } });
      expect([range.status, await range.text()]).toEqual([206, 'the']);
      // The same adapter class, as parse-server would use it, reads what OpenParse stored.
      const FileSystemAdapter = createRequire(import.meta.url)('@parse/fs-files-adapter') as new (
        options: object,
      ) => { getFileData(name: string): Promise<Buffer> };
      const parseServers = new FileSystemAdapter({ filesSubDirectory: sub, encryptionKey });
      expect((await parseServers.getFileData(file.name)).toString()).toBe('through the bridge');

      const removed = await fetch(`${server.url}/files/${file.name}`, {
        method: 'DELETE',
        headers: { 'X-Parse-Application-Id': server.appId, 'X-Parse-Master-Key': server.masterKey },
      });
      expect(removed.status).toBe(200);
      expect((await fetch(file.url)).status).toBe(404);
    } finally {
      await server.close();
      rmSync(join('files', sub), { recursive: true, force: true });
      try {
        rmdirSync('files');
      } catch {
        // Other files were there before the test: leave them.
      }
    }
  });
});
