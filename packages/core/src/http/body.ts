import type { IncomingMessage } from 'node:http';
import type { JsonValue } from '../contracts/values.js';
import { ParseError, ParseErrorCode } from '../errors.js';

/** The request body was larger than `maxUploadSize`. */
export class BodyTooLargeError extends Error {
  override readonly name = 'BodyTooLargeError';
}

const UNITS: Readonly<Record<string, number>> = { b: 1, kb: 1024, mb: 1024 ** 2, gb: 1024 ** 3 };

/**
 * Parses a size such as `'20mb'` or `1048576` into bytes.
 * @throws {RangeError} on anything else.
 */
export function parseByteSize(size: string | number): number {
  if (typeof size === 'number' && Number.isFinite(size) && size > 0) return Math.floor(size);
  const match = typeof size === 'string' ? /^\s*(\d+(?:\.\d+)?)\s*(b|kb|mb|gb)?\s*$/i.exec(size) : null;
  if (!match) throw new RangeError(`invalid size: ${String(size)}`);
  return Math.floor(Number(match[1]) * (UNITS[(match[2] ?? 'b').toLowerCase()] ?? 1));
}

/**
 * Reads the whole body, refusing more than `limit` bytes. With listeners rather than
 * `for await`: an async iterator per request costs more than the read of a small body.
 */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) {
    req.resume();
    return Promise.reject(new BodyTooLargeError('request entity too large'));
  }
  if (req.readableEnded) return Promise.resolve(Buffer.alloc(0));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const stop = () => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      req.off('close', onClose);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        stop();
        // Drain the rest unread, so the connection can answer the 413.
        req.resume();
        reject(new BodyTooLargeError('request entity too large'));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      stop();
      resolve(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, size));
    };
    const onError = (error: Error) => {
      stop();
      reject(error);
    };
    const onClose = () => {
      if (req.readableEnded) return;
      stop();
      reject(new Error('the client closed the connection before the body was read'));
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
    req.on('close', onClose);
  });
}

/**
 * Parses a body as JSON whatever its content type (the JS SDK sends JSON as text/plain).
 * An empty body is `undefined`.
 * @throws {ParseError} INVALID_JSON
 */
export function parseJsonBody(raw: Buffer): JsonValue | undefined {
  if (raw.length === 0) return undefined;
  try {
    return JSON.parse(raw.toString('utf8')) as JsonValue;
  } catch (cause) {
    throw new ParseError(ParseErrorCode.INVALID_JSON, 'Invalid JSON', { cause });
  }
}
