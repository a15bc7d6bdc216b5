import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { silentLogger } from '@openparse/core';
import { createServer, loadConfig, type RunningServer } from '@openparse/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const CLOUD = fileURLToPath(new URL('./fixtures/cloud-cjs/cloud/main.js', import.meta.url));
const CLIENT = fileURLToPath(new URL('./fixtures/sdk-client.mjs', import.meta.url));

describe('Cloud Code through the Parse JS SDK as a client (parse/node over HTTP)', () => {
  let server: RunningServer;
  let cwd = '';
  beforeAll(async () => {
    cwd = mkdtempSync(join(tmpdir(), 'openparse-sdk-client-'));
    const config = loadConfig({
      argv: ['--port', '0', '--host', '127.0.0.1', '--cloud', CLOUD],
      env: {},
      cwd,
    });
    server = await createServer(config, { cwd, logger: silentLogger });
  });
  afterAll(async () => {
    await server?.close();
    rmSync(cwd, { recursive: true, force: true });
  });

  it('runs functions, decodes their results, sees trigger changes and errors as the SDK expects', async () => {
    // Its own process: the SDK is one per process, and this one must talk HTTP.
    const { stdout } = await promisify(execFile)(process.execPath, [
      CLIENT,
      server.url,
      server.appId,
      server.masterKey,
      'SdkClientScore',
    ]);
    expect(JSON.parse(stdout)).toEqual({
      hello: 'Hello world!',
      encodedIsObject: true,
      encodedClass: 'SdkClientScore',
      whenIsDate: true,
      echoDate: true,
      error: { code: 137, message: 'already there' },
      normalizedName: 'zed',
      foundSeenByAfterFind: true,
      beforeSaveError: { code: 141, message: 'score must not be negative' },
      jobId: 'string',
    });
  });
});
