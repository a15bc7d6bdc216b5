import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from '@openparse/core';
import {
  ConfigError,
  createServer,
  loadConfig,
  type RunningServer,
  runFilesCommand,
} from '@openparse/server';
import { afterAll, describe, expect, it } from 'vitest';

const cwd = mkdtempSync(join(tmpdir(), 'openparse-rotate-'));
afterAll(() => rmSync(cwd, { recursive: true, force: true }));

const KEYS = ['--appId', 'rotate-app', '--masterKey', 'rotate-master', '--port', '0', '--host', '127.0.0.1'];

async function start(key: string): Promise<RunningServer> {
  const config = loadConfig({ argv: [...KEYS, '--encryptionKey', key], env: {}, cwd });
  return createServer(config, { cwd, logger: silentLogger });
}

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return {
    out,
    err,
    output: {
      stdout: { write: (text: string) => out.push(text) },
      stderr: { write: (text: string) => err.push(text) },
    },
  };
}

const master = (server: RunningServer) => ({
  'X-Parse-Application-Id': server.appId,
  'X-Parse-Master-Key': server.masterKey,
});

describe('openparse files rotate-key', () => {
  it('re-encrypts the embedded database files from --oldKey to encryptionKey, with progress', async () => {
    let server = await start('one');
    const names: string[] = [];
    for (const content of ['first', 'second']) {
      const answer = await fetch(`${server.url}/files/${content}.txt`, {
        method: 'POST',
        headers: { ...master(server), 'Content-Type': 'text/plain' },
        body: content,
      });
      names.push(((await answer.json()) as { name: string }).name);
    }
    await server.close();

    const run = capture();
    const code = await runFilesCommand(
      ['rotate-key', '--oldKey', 'one', '--encryptionKey', 'two'],
      { cwd, env: {} },
      run.output,
    );
    expect(code).toBe(0);
    expect(run.out.join('')).toContain('rotated 2 file(s)');
    expect(run.err).toHaveLength(2);
    expect(run.err[1]).toMatch(/^2\/2 .*: rotated\n$/);

    server = await start('two');
    try {
      for (const [index, name] of names.entries()) {
        const answer = await fetch(`${server.url}/files/${server.appId}/${name}`);
        expect(await answer.text()).toBe(['first', 'second'][index]);
      }
    } finally {
      await server.close();
    }

    const again = capture();
    const wrong = await runFilesCommand(
      ['rotate-key', '--oldKey', 'not it', '--fileNames', 'missing.txt', '--encryptionKey', 'three'],
      { cwd, env: {} },
      again.output,
    );
    expect(wrong).toBe(1);
    expect(again.out.join('')).toContain(
      'not rotated 1 file(s), unreadable with --oldKey or missing: missing.txt',
    );
  }, 90_000);

  it('explains itself, and names bad arguments', async () => {
    const help = capture();
    expect(await runFilesCommand(['rotate-key', '--help'], { cwd, env: {} }, help.output)).toBe(0);
    expect(help.out.join('')).toContain('Usage: openparse files rotate-key');
    const unknown = capture();
    expect(await runFilesCommand(['shred'], { cwd, env: {} }, unknown.output)).toBe(1);
    await expect(
      runFilesCommand(['rotate-key', '--oldKey'], { cwd, env: {} }, capture().output),
    ).rejects.toThrow(ConfigError);
  });
});
