import { Readable, Transform } from 'node:stream';
import type { ByteRange } from '../contracts/files-adapter.js';

/**
 * The bytes of `range` from a stream of a whole file, for adapters without `capabilities.ranges`:
 * what precedes the range is read and dropped, and the source is destroyed once the range is sent.
 */
export function sliceStream(source: Readable, range: ByteRange): Readable {
  let offset = 0;
  const slice = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      const chunkStart = offset;
      offset += chunk.length;
      const from = Math.max(range.start - chunkStart, 0);
      const to = Math.min(range.end + 1 - chunkStart, chunk.length);
      if (to > from) this.push(chunk.subarray(from, to));
      if (offset > range.end) {
        this.push(null);
        source.unpipe(slice);
        source.destroy();
      }
      callback();
    },
  });
  source.on('error', (error) => slice.destroy(error));
  return source.pipe(slice);
}

/** Reads a whole stream (or returns the buffer) into one buffer. */
export async function collect(data: Buffer | Readable): Promise<Buffer> {
  if (Buffer.isBuffer(data)) return data;
  const chunks: Buffer[] = [];
  for await (const chunk of data)
    chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as Uint8Array));
  return Buffer.concat(chunks);
}

/** A readable over one buffer (a copy-free view of it). */
export function bufferStream(data: Buffer): Readable {
  return Readable.from([data], { objectMode: false });
}
