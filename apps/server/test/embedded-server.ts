import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from '@openparse/core';
import { createServer, loadConfig, type RunningServer } from '@openparse/server';
import { afterAll, beforeAll } from 'vitest';

/** An answer of {@link EmbeddedServer.call}: the status and the parsed JSON body. */
export interface Answer {
  readonly status: number;
  // biome-ignore lint/suspicious/noExplicitAny: answers are arbitrary JSON
  readonly body: any;
}

/** A server on the embedded database for one test file, started before its tests and removed after. */
export interface EmbeddedServer {
  /** The running server (set once `beforeAll` has run). */
  readonly server: RunningServer;
  /** Its working directory (embedded database, keys). */
  readonly cwd: string;
  /** One REST call with the application id, `headers` added (keys, session tokens). */
  call(method: string, path: string, headers?: Record<string, string>, body?: unknown): Promise<Answer>;
}

/**
 * Registers `beforeAll`/`afterAll` hooks that start the reference server on a fresh embedded
 * database with `argv` (on top of a free loopback port) and stop it, removing its directory.
 */
export function embeddedServer(name: string, argv: readonly string[] = []): EmbeddedServer {
  const cwd = mkdtempSync(join(tmpdir(), `openparse-${name}-`));
  let running: RunningServer | undefined;
  beforeAll(async () => {
    const config = loadConfig({ argv: ['--port', '0', '--host', '127.0.0.1', ...argv], env: {}, cwd });
    running = await createServer(config, { cwd, logger: silentLogger });
  });
  afterAll(async () => {
    await running?.close();
    rmSync(cwd, { recursive: true, force: true });
  });
  const handle: EmbeddedServer = {
    get server() {
      if (!running) throw new Error('the server starts in beforeAll');
      return running;
    },
    cwd,
    async call(method, path, headers = {}, body) {
      const server = handle.server;
      const response = await fetch(`${server.url}${path}`, {
        method,
        headers: { 'X-Parse-Application-Id': server.appId, 'Content-Type': 'application/json', ...headers },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return { status: response.status, body: await response.json() };
    },
  };
  return handle;
}
