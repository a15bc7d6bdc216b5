import { request } from 'node:http';
import { describe, expect, it } from 'vitest';
import { Listener } from './listener.js';

/** Sends a request whose body arrives only when `finish` is called. */
function slowRequest(port: number) {
  let finish = () => {};
  const response = new Promise<{ status: number; body: string; connection: string | undefined }>(
    (resolve, reject) => {
      const req = request(
        { port, method: 'POST', path: '/parse/echo', headers: { 'content-length': '5' }, agent: false },
        (res) => {
          let body = '';
          res.on('data', (chunk: Buffer) => {
            body += chunk.toString();
          });
          res.on('end', () =>
            resolve({ status: res.statusCode ?? 0, body, connection: res.headers.connection }),
          );
        },
      );
      req.on('error', reject);
      req.write('he');
      finish = () => req.end('llo');
    },
  );
  return { response, finish: () => finish() };
}

describe('Listener', () => {
  it('answers health with 503 starting until it serves, then hands over', async () => {
    const listener = new Listener('/parse');
    const { port } = await listener.listen(0, '127.0.0.1');
    const health = await fetch(`http://127.0.0.1:${port}/parse/health`);
    expect(health.status).toBe(503);
    expect(health.headers.get('retry-after')).toBe('1');
    expect(await health.json()).toEqual({ status: 'starting' });
    const other = await fetch(`http://127.0.0.1:${port}/parse/classes/A`);
    expect(other.status).toBe(503);
    expect(await other.json()).toEqual({ code: 1, error: 'Invalid server state: starting' });
    listener.serve((_req, res) => res.end('ready'));
    expect(await (await fetch(`http://127.0.0.1:${port}/parse/health`)).text()).toBe('ready');
    await listener.close();
  });

  it('finishes an in-flight request on close, stops accepting, and closes its connection', async () => {
    const listener = new Listener('/parse');
    const { port } = await listener.listen(0, '127.0.0.1');
    let arrived = () => {};
    const inFlight = new Promise<void>((resolve) => {
      arrived = resolve;
    });
    listener.serve((req, res) => {
      arrived();
      let body = '';
      req.on('data', (chunk: Buffer) => {
        body += chunk.toString();
      });
      req.on('end', () => res.end(body));
    });
    const slow = slowRequest(port);
    await inFlight;
    let closed = false;
    const closing = listener.close().then(() => {
      closed = true;
    });
    await expect(fetch(`http://127.0.0.1:${port}/parse/health`)).rejects.toThrow();
    expect(closed).toBe(false);
    slow.finish();
    expect(await slow.response).toEqual({ status: 200, body: 'hello', connection: 'close' });
    await closing;
    expect(closed).toBe(true);
  });
});
