import type { IncomingMessage } from 'node:http';
import { Readable } from 'node:stream';
import { BodyTooLargeError } from '../http/body.js';

/** An upload's body as a stream that refuses to grow past the limit. */
export interface UploadSource {
  readonly stream: Readable;
  /** True once the body went past the limit (the stream then failed). */
  exceeded(): boolean;
}

/**
 * The request body as a stream, never held whole: `undefined` when the body is empty (so no
 * adapter is called for it). The declared `Content-Length` is checked first; the bytes actually
 * received are counted as they flow, and the stream fails with {@link BodyTooLargeError} past
 * `limit`, which makes the adapter discard what it wrote. The rest of an oversize body is read
 * and dropped, so the client still receives the 413.
 * @throws {BodyTooLargeError} when `Content-Length` announces more than `limit`.
 */
export function uploadSource(req: IncomingMessage, limit: number): Promise<UploadSource | undefined> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) {
    req.resume();
    return Promise.reject(new BodyTooLargeError('request entity too large'));
  }
  return new Promise((resolve, reject) => {
    let size = 0;
    let started = false;
    let exceeded = false;
    const stream = new Readable({
      read() {
        req.resume();
      },
    });
    const drain = () => {
      req.off('data', onData);
      req.resume();
    };
    const fail = (error: Error) => {
      if (started) stream.destroy(error);
      else reject(error);
    };
    function onData(chunk: Buffer) {
      if (chunk.length === 0) return;
      size += chunk.length;
      if (size > limit) {
        exceeded = true;
        drain();
        fail(new BodyTooLargeError('request entity too large'));
        return;
      }
      if (!started) {
        started = true;
        resolve({ stream, exceeded: () => exceeded });
      }
      if (!stream.push(chunk)) req.pause();
    }
    req.on('data', onData);
    req.once('end', () => {
      if (started) stream.push(null);
      else resolve(undefined);
    });
    req.once('error', fail);
    // The adapter gave up (a storage error): drop the rest of the body.
    stream.once('close', () => {
      if (!req.readableEnded) drain();
    });
  });
}
