import { type ChildProcess, spawn } from 'node:child_process';
import { request } from 'node:http';
import { createServer } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';

const cli = fileURLToPath(new URL('../dist/cli.js', import.meta.url));

/** A spawned `openparse` with its output collected. */
export interface Cli {
  readonly child: ChildProcess;
  readonly stdout: () => string;
  readonly stderr: () => string;
  /** Resolves with the exit code. */
  readonly exited: Promise<number | null>;
  /** Resolves once stdout contains `text`; rejects if the process exits first. */
  readonly printed: (text: string) => Promise<void>;
}

/** Spawns the built CLI (`dist/cli.js`) in `cwd` with only PATH and `env` in its environment. */
export function runCli(args: readonly string[], cwd: string, env: Record<string, string> = {}): Cli {
  const child = spawn(process.execPath, [cli, ...args], {
    cwd,
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  const waiters: (() => void)[] = [];
  child.stdout?.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
    for (const waiter of waiters) waiter();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const printed = (text: string) =>
    new Promise<void>((resolve, reject) => {
      const check = () => stdout.includes(text) && resolve();
      waiters.push(check);
      check();
      exited.then((code) =>
        reject(new Error(`exited with ${code} before printing ${text}: ${stdout}${stderr}`)),
      );
    });
  return { child, stdout: () => stdout, stderr: () => stderr, exited, printed };
}

/** A port nothing listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/**
 * Polls `GET <url>/health` until it answers 200 `{"status":"ok"}`: the readiness check. Fails as
 * soon as the process exits, or after `timeoutMs`.
 */
export async function waitForHealth(url: string, cli: Cli, timeoutMs = 30_000): Promise<void> {
  let exitCode: number | null | undefined;
  cli.exited.then((code) => {
    exitCode = code;
  });
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (exitCode !== undefined) throw new Error(`exited with ${exitCode}: ${cli.stdout()}${cli.stderr()}`);
    const response = await fetch(`${url}/health`).catch(() => undefined);
    const body = response ? await response.text() : '';
    if (response?.status === 200 && body === '{"status":"ok"}') return;
    await delay(50); // poll interval
  }
  throw new Error(`${url}/health did not answer ok within ${timeoutMs} ms: ${cli.stdout()}${cli.stderr()}`);
}

/**
 * Starts `POST <url>/classes/<className>` with `Expect: 100-continue`: `accepted` resolves once
 * the server has taken the request in (it answered 100 Continue), and the body is sent only when
 * `send()` is called, so the request is in flight for as long as the test wants.
 */
export function inFlightCreate(url: string, className: string, headers: Record<string, string>) {
  const body = JSON.stringify({ score: 1 });
  let accept = () => {};
  const accepted = new Promise<void>((resolve) => {
    accept = resolve;
  });
  let send = () => {};
  const response = new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = request(`${url}/classes/${className}`, {
      method: 'POST',
      agent: false,
      headers: {
        ...headers,
        'content-type': 'application/json',
        'content-length': `${Buffer.byteLength(body)}`,
        expect: '100-continue',
      },
    });
    req.on('continue', accept);
    req.on('error', reject);
    req.on('response', (res) => {
      let text = '';
      res.on('data', (chunk: Buffer) => {
        text += chunk.toString();
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.flushHeaders();
    send = () => req.end(body);
  });
  return { accepted, response, send: () => send() };
}
