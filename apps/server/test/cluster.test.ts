import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, runCli, waitForHealth } from './process.js';
import { createDatabase, dropDatabase, POSTGRES_URI, postgresAvailable } from './services.js';

const available = await postgresAvailable();

describe.skipIf(!available)(`openparse --cluster on PostgreSQL (${POSTGRES_URI})`, () => {
  const cwd = mkdtempSync(join(tmpdir(), 'openparse-cluster-'));
  let databaseURI = '';
  beforeAll(async () => {
    databaseURI = await createDatabase('openparse_srv');
  });
  afterAll(async () => {
    if (databaseURI) await dropDatabase(databaseURI);
    rmSync(cwd, { recursive: true, force: true });
  });

  it('runs two workers on one port, prints one banner, and stops them all on SIGTERM', async () => {
    const port = await freePort();
    const cli = runCli(['--cluster', '2', '--appId', 'app', '--masterKey', 'master'], cwd, {
      PORT: String(port),
      PARSE_SERVER_DATABASE_URI: databaseURI,
      PARSE_SERVER_LOG_LEVEL: 'warn',
    });
    await waitForHealth(`http://localhost:${port}/parse`, cli);
    await cli.printed('workers');
    expect(cli.stdout().match(/is running at/g)).toHaveLength(1);
    expect(cli.stdout()).toMatch(/workers\s+2/);
    cli.child.kill('SIGTERM');
    expect(await cli.exited).toBe(0);
  });
});
