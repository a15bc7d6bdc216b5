import { Agent, request } from 'node:http';
import { describe, expect, it } from 'vitest';
import { Listener } from './listener.js';

/** Sends a request whose body arrives only when `finish` is called (keep-alive with an `agent`). */
function slowRequest(port: number, agent: Agent | false = false) {
  let finish = () => {};
  const response = new Promise<{ status: number; body: string; connection: string | undefined }>(
    (resolve, reject) => {
      const req = request(
        { port, method: 'POST', path: '/parse/echo', headers: { 'content-length': '5' }, agent },
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

  it('tracks every in-flight request, whatever order they finish in', async () => {
    const listener = new Listener('/parse');
    const { port } = await listener.listen(0, '127.0.0.1');
    let arrivals = 0;
    let allArrived = () => {};
    const arrived = new Promise<void>((resolve) => {
      allArrived = resolve;
    });
    listener.serve((req, res) => {
      if (++arrivals === 4) allArrived();
      let body = '';
      req.on('data', (chunk: Buffer) => {
        body += chunk.toString();
      });
      req.on('end', () => res.end(body));
    });
    // Keep-alive clients: only the listener's own header closes their connections.
    const agent = new Agent({ keepAlive: true, maxSockets: 4 });
    const [first, second, third, fourth] = [1, 2, 3, 4].map(() => slowRequest(port, agent));
    await arrived;
    // The second (a middle one) and then the newest finish before close: the list unlinks them.
    second?.finish();
    expect((await second?.response)?.status).toBe(200);
    fourth?.finish();
    expect((await fourth?.response)?.status).toBe(200);
    let closed = false;
    const closing = listener.close().then(() => {
      closed = true;
    });
    third?.finish();
    first?.finish();
    expect(await third?.response).toEqual({ status: 200, body: 'hello', connection: 'close' });
    expect(await first?.response).toEqual({ status: 200, body: 'hello', connection: 'close' });
    agent.destroy();
    await closing;
    expect(closed).toBe(true);
  });
});
