import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'retry-after': '1' });
  res.end(JSON.stringify(body));
}

/**
 * A response in flight, linked to its neighbours. A list, not a Set: a long-lived Set that
 * takes and drops a response per request reallocates its table in the old generation, and
 * each dropped table kept the responses it had held (and everything they reach) alive until
 * the next full collection. Under 64 connections that promoted about 1 MB per scavenge and
 * caused a full collection every third of a second.
 */
interface InFlight {
  readonly res: ServerResponse;
  newer: InFlight | undefined;
  older: InFlight | undefined;
}

/**
 * The HTTP listener. It listens before the database is ready so that, like parse-server,
 * `<mountPath>/health` can answer 503 `{"status":"starting"}` while the server starts; every
 * other request gets 503 until {@link Listener.serve} installs the real handler.
 */
export class Listener {
  readonly server: Server;
  #handler: Handler;
  #closing: Promise<void> | undefined;
  /** The responses in flight, newest first (see {@link InFlight}). */
  #inFlight: InFlight | undefined;

  constructor(mountPath: string) {
    const health = `${mountPath.replace(/\/+$/, '')}/health`;
    this.#handler = (req, res) => {
      const path = (req.url ?? '/').split('?')[0];
      if (path === health) json(res, 503, { status: 'starting' });
      else json(res, 503, { code: 1, error: 'Invalid server state: starting' });
    };
    this.server = createServer((req, res) => this.#dispatch(req, res));
  }

  #dispatch(req: IncomingMessage, res: ServerResponse): void {
    const entry: InFlight = { res, newer: undefined, older: this.#inFlight };
    if (entry.older) entry.older.newer = entry;
    this.#inFlight = entry;
    res.once('close', () => {
      if (entry.newer) entry.newer.older = entry.older;
      else this.#inFlight = entry.older;
      if (entry.older) entry.older.newer = entry.newer;
      entry.newer = undefined;
      entry.older = undefined;
      // Once a response is done its keep-alive connection is idle: let close() finish.
      if (this.#closing) setImmediate(() => this.server.closeIdleConnections());
    });
    if (this.#closing) res.setHeader('connection', 'close');
    this.#handler(req, res);
  }

  /** Starts listening; resolves with the bound address (`port: 0` picks a free port). */
  listen(port: number, host: string): Promise<AddressInfo> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => {
        this.server.off('error', reject);
        resolve(this.server.address() as AddressInfo);
      });
    });
  }

  /** Routes requests to the ready server. */
  serve(handler: Handler): void {
    this.#handler = handler;
  }

  /**
   * Stops accepting connections, lets in-flight requests finish (their responses close the
   * connection), closes idle keep-alive connections, and resolves once every connection is gone.
   */
  close(): Promise<void> {
    this.#closing ??= new Promise<void>((resolve, reject) => {
      if (!this.server.listening) {
        resolve();
        return;
      }
      this.server.close((error) => (error ? reject(error) : resolve()));
      for (let entry = this.#inFlight; entry; entry = entry.older) {
        if (!entry.res.headersSent) entry.res.setHeader('connection', 'close');
      }
      this.server.closeIdleConnections();
    });
    return this.#closing;
  }
}
