import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from '@openparse/core';
import { restSuiteCloudFile, runRestSuite } from '@openparse/conformance';
import { createServer, loadConfig, type RunningServer } from '@openparse/server';
import { afterAll, beforeAll, describe } from 'vitest';
import { createDatabase, dropDatabase, POSTGRES_URI, postgresAvailable } from './services.js';

const KEYS = [
  '--appId',
  'conformance-app',
  '--masterKey',
  'conformance-master',
  '--port',
  '0',
  '--host',
  '127.0.0.1',
  '--cloud',
  restSuiteCloudFile,
  '--webhookKey',
  'conformance-hook-key',
];

async function start(extra: string[], cwd: string): Promise<RunningServer> {
  const config = loadConfig({ argv: [...KEYS, ...extra], env: {}, cwd });
  return createServer(config, { cwd, logger: silentLogger });
}

function target(server: () => RunningServer | undefined) {
  return () => {
    const running = server();
    if (!running) throw new Error('the server did not start');
    return {
      serverURL: running.url,
      appId: running.appId,
      masterKey: running.masterKey,
      webhookKey: 'conformance-hook-key',
    };
  };
}

describe('REST conformance on the embedded PGlite database', () => {
  let server: RunningServer | undefined;
  let cwd = '';
  beforeAll(async () => {
    cwd = mkdtempSync(join(tmpdir(), 'openparse-pglite-'));
    server = await start([], cwd);
  });
  afterAll(async () => {
    await server?.close();
    rmSync(cwd, { recursive: true, force: true });
  });
  runRestSuite(
    target(() => server),
    { cloud: true },
  );
});

const available = await postgresAvailable();

describe.skipIf(!available)(`REST conformance on PostgreSQL (${POSTGRES_URI})`, () => {
  let server: RunningServer | undefined;
  let databaseURI = '';
  let cwd = '';
  beforeAll(async () => {
    cwd = mkdtempSync(join(tmpdir(), 'openparse-pg-'));
    databaseURI = await createDatabase('openparse_srv');
    server = await start(['--databaseURI', databaseURI], cwd);
  });
  afterAll(async () => {
    await server?.close();
    if (databaseURI) await dropDatabase(databaseURI);
    rmSync(cwd, { recursive: true, force: true });
  });
  runRestSuite(
    target(() => server),
    { cloud: true },
  );
});
