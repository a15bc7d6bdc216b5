/** Cuts a stream of buffers of any sizes into chunks of exactly `size` bytes (the last one shorter). */
export async function* rechunk(
  source: AsyncIterable<Buffer | Uint8Array>,
  size: number,
): AsyncGenerator<Buffer> {
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  for await (const piece of source) {
    let buffer = Buffer.isBuffer(piece) ? piece : Buffer.from(piece);
    while (buffer.length > 0) {
      const take = Math.min(size - pendingBytes, buffer.length);
      pending.push(buffer.subarray(0, take));
      pendingBytes += take;
      buffer = buffer.subarray(take);
      if (pendingBytes === size) {
        yield pending.length === 1 ? (pending[0] as Buffer) : Buffer.concat(pending);
        pending = [];
        pendingBytes = 0;
      }
    }
  }
  if (pendingBytes > 0) yield Buffer.concat(pending);
}
