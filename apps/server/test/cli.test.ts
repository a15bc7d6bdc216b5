import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const cli = fileURLToPath(new URL('../dist/cli.js', import.meta.url));

function run(args: string[], cwd: string, env: Record<string, string> = {}): ChildProcess {
  return spawn(process.execPath, [cli, ...args], {
    cwd,
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** Resolves with the URL from the start-up banner. */
function bannerURL(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /running at (\S+)/.exec(output);
      if (match?.[1]) resolve(match[1]);
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.once('exit', (code) => reject(new Error(`exited with ${code} before starting: ${output}`)));
  });
}

function exitCode(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

describe('openparse CLI', () => {
  const cwd = mkdtempSync(join(tmpdir(), 'openparse-cli-'));
  afterAll(() => rmSync(cwd, { recursive: true, force: true }));

  it('starts on the embedded database with generated keys, serves /health, and exits 0 on SIGTERM', async () => {
    const child = run([], cwd, { PORT: '0' });
    const url = await bannerURL(child);
    const keys = JSON.parse(readFileSync(join(cwd, '.openparse', 'keys.json'), 'utf8')) as {
      appId: string;
      masterKey: string;
    };
    const health = await fetch(`${url}/health`);
    expect(await health.json()).toEqual({ status: 'ok' });
    const schemas = await fetch(`${url}/schemas`, {
      headers: { 'X-Parse-Application-Id': keys.appId, 'X-Parse-Master-Key': keys.masterKey },
    });
    expect(schemas.status).toBe(200);
    const exited = exitCode(child);
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });

  it('refuses an unknown option with its name and exit code 1', async () => {
    const child = run(['--nope', '1'], cwd);
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    expect(await exitCode(child)).toBe(1);
    expect(stderr).toContain("unknown option 'nope'");
  });
});
