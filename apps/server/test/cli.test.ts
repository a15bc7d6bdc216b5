import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort, inFlightCreate, runCli, waitForHealth } from './process.js';

interface Keys {
  appId: string;
  masterKey: string;
}

describe('openparse CLI on the embedded database', () => {
  const cwd = mkdtempSync(join(tmpdir(), 'openparse-cli-'));
  afterAll(() => rmSync(cwd, { recursive: true, force: true }));
  const keysFile = join(cwd, '.openparse', 'keys.json');
  let keys: Keys;

  it('starts with generated keys, serves /parse/health, and on SIGTERM finishes an in-flight request and exits 0', async () => {
    const port = await freePort();
    const cli = runCli([], cwd, { PORT: String(port) });
    const url = `http://localhost:${port}/parse`;
    await waitForHealth(url, cli);
    keys = JSON.parse(readFileSync(keysFile, 'utf8')) as Keys;
    expect(statSync(keysFile).mode & 0o777).toBe(0o600);
    expect(statSync(join(cwd, '.openparse', 'db')).isDirectory()).toBe(true);
    await cli.printed('is running at');
    expect(cli.stdout()).toContain(`is running at ${url}`);
    expect(cli.stdout()).toContain(keys.appId);
    expect(cli.stdout()).toContain(`${keys.masterKey}  (generated; kept in .openparse/keys.json)`);
    expect(cli.stdout()).toContain(`embedded PGlite (${join(cwd, '.openparse', 'db')})`);

    const create = inFlightCreate(url, 'GameScore', {
      'X-Parse-Application-Id': keys.appId,
      'X-Parse-Master-Key': keys.masterKey,
    });
    await create.accepted;
    cli.child.kill('SIGTERM');
    await cli.printed('shutting down');
    create.send();
    const created = await create.response;
    expect(created.status).toBe(201);
    expect(JSON.parse(created.body)).toHaveProperty('objectId');
    expect(await cli.exited).toBe(0);
  });

  it('reuses the kept keys and data on the next start', async () => {
    const port = await freePort();
    const cli = runCli(['--port', String(port)], cwd);
    const url = `http://localhost:${port}/parse`;
    await waitForHealth(url, cli);
    expect(JSON.parse(readFileSync(keysFile, 'utf8'))).toEqual(keys);
    await cli.printed('is running at');
    expect(cli.stdout()).toContain(`${keys.masterKey}  (kept in .openparse/keys.json)`);
    const found = await fetch(`${url}/classes/GameScore`, {
      headers: { 'X-Parse-Application-Id': keys.appId, 'X-Parse-Master-Key': keys.masterKey },
    });
    expect(((await found.json()) as { results: unknown[] }).results).toHaveLength(1);
    cli.child.kill('SIGINT');
    expect(await cli.exited).toBe(0);
  });

  it('keeps serving after cloud code leaves a promise rejection unhandled, and logs it', async () => {
    writeFileSync(
      join(cwd, 'careless.cjs'),
      "Parse.Cloud.define('fireAndForget', () => { Promise.reject(new Error('nobody awaits this')); return 'answered'; });\n",
    );
    const port = await freePort();
    const cli = runCli(['--port', String(port), '--cloud', 'careless.cjs'], cwd);
    const url = `http://localhost:${port}/parse`;
    await waitForHealth(url, cli);
    const call = async () => {
      const answer = await fetch(`${url}/functions/fireAndForget`, {
        method: 'POST',
        headers: { 'X-Parse-Application-Id': keys.appId, 'Content-Type': 'application/json' },
        body: '{}',
      });
      return answer.json();
    };
    expect(await call()).toEqual({ result: 'answered' });
    await cli.printed('unhandled promise rejection');
    expect(await call()).toEqual({ result: 'answered' });
    cli.child.kill('SIGTERM');
    expect(await cli.exited).toBe(0);
  });

  it('exits 1 at once on a second signal while a request is still in flight', async () => {
    const port = await freePort();
    const cli = runCli(['--port', String(port)], cwd);
    const url = `http://localhost:${port}/parse`;
    await waitForHealth(url, cli);
    const create = inFlightCreate(url, 'GameScore', {
      'X-Parse-Application-Id': keys.appId,
      'X-Parse-Master-Key': keys.masterKey,
    });
    await create.accepted;
    cli.child.kill('SIGTERM');
    await cli.printed('shutting down');
    const dropped = expect(create.response).rejects.toThrow('socket hang up');
    cli.child.kill('SIGTERM');
    expect(await cli.exited).toBe(1);
    await dropped;
  });
});

describe('openparse CLI arguments', () => {
  const cwd = mkdtempSync(join(tmpdir(), 'openparse-cli-args-'));
  afterAll(() => rmSync(cwd, { recursive: true, force: true }));

  it('--help prints the options with their variables; --version the version', async () => {
    const help = runCli(['--help'], cwd);
    expect(await help.exited).toBe(0);
    expect(help.stdout()).toContain('Usage: openparse [config.json]');
    expect(help.stdout()).toContain('--masterKeyIps <list>  PARSE_SERVER_MASTER_KEY_IPS');
    const version = runCli(['--version'], cwd);
    expect(await version.exited).toBe(0);
    expect(version.stdout().trim()).toMatch(/^\d+\.\d+\.\d+/);
  });

  it.each([
    [['--nope', '1'], {}, "unknown option 'nope' (--nope)."],
    [
      [],
      { PARSE_SERVER_COLLECTION_PREFIX: 'app_' },
      "option 'collectionPrefix' (PARSE_SERVER_COLLECTION_PREFIX) is not supported yet",
    ],
    [
      [],
      { PARSE_SERVER_CLOUD: 'cloud/main.js' },
      'failed to start: Error: [core] cloud code file not found: ',
    ],
    [['--maxLimit', '-1'], {}, "option 'maxLimit' (--maxLimit) must be an integer >= 1"],
    [
      ['--databaseURI', 'mongodb://localhost/parse', '--appId', 'a', '--masterKey', 'm'],
      {},
      "option 'databaseURI': MongoDB storage (@openparse/storage-mongo) is not available yet",
    ],
    [['--databaseURI', 'postgres://localhost/parse'], {}, "option 'appId' is required with 'databaseURI'"],
  ])('refuses %j %j and exits 1 naming the problem', async (args, env, message) => {
    const cli = runCli(args, cwd, env);
    expect(await cli.exited).toBe(1);
    expect(cli.stderr()).toContain(`openparse: ${message}`);
  });
});
