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

/** Reads the whole body, refusing more than `limit` bytes. */
export async function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) {
    req.resume();
    throw new BodyTooLargeError('request entity too large');
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > limit) {
      req.resume();
      throw new BodyTooLargeError('request entity too large');
    }
    chunks.push(buffer);
  }
  return chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks);
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
