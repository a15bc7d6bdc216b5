import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BodyTooLargeError } from '../http/body.js';
import { collect } from './stream.js';
import { uploadSource } from './upload.js';

const LIMIT = 1000;
let server: Server;
let url: string;

/** Answers what uploadSource made of the body: its size, or the error. */
async function describeUpload(req: IncomingMessage): Promise<string> {
  try {
    const source = await uploadSource(req, LIMIT);
    if (!source) return 'empty';
    try {
      return `bytes ${(await collect(source.stream)).length}`;
    } catch (error) {
      return `${(error as Error).name} after start, exceeded=${source.exceeded()}`;
    }
  } catch (error) {
    return `${(error as Error).name} before start`;
  }
}

beforeAll(async () => {
  server = createServer((req, res) => {
    describeUpload(req).then((answer) => res.end(answer));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

/** A body sent in chunks, without Content-Length (chunked encoding). */
function chunked(count: number, size: number): ReadableStream<Uint8Array> {
  let sent = 0;
  return new ReadableStream({
    pull(controller) {
      if (sent === count) controller.close();
      else {
        sent += 1;
        controller.enqueue(new Uint8Array(size).fill(7));
      }
    },
  });
}

const post = (body: Buffer | ReadableStream<Uint8Array>, init: RequestInit = {}) =>
  fetch(url, { method: 'POST', body, ...init, duplex: 'half' } as RequestInit).then((res) => res.text());

describe('uploadSource', () => {
  it('streams the body through', async () => {
    expect(await post(Buffer.alloc(LIMIT, 1))).toBe(`bytes ${LIMIT}`);
    expect(await post(chunked(4, 100))).toBe('bytes 400');
  });

  it('tells an empty body apart', async () => {
    expect(await post(Buffer.alloc(0))).toBe('empty');
  });

  it('refuses a declared length over the limit before reading', async () => {
    expect(await post(Buffer.alloc(LIMIT + 1))).toBe(`${BodyTooLargeError.name} before start`);
  });

  it('fails the stream once the bytes received pass the limit, and still answers', async () => {
    expect(await post(chunked(30, 100))).toBe(`${BodyTooLargeError.name} after start, exceeded=true`);
  });
});
