import { randomFillSync } from 'node:crypto';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/**
 * Random bytes for ids, drawn from the system's CSPRNG 4 KiB at a time: a batch of 50 creates
 * asked it 50 times, and each call cost more than the id it made.
 */
const pool = Buffer.alloc(4096);
let next = pool.length;

function randomByte(): number {
  if (next === pool.length) {
    randomFillSync(pool);
    next = 0;
  }
  return pool[next++] as number;
}

/** A new 10-character objectId, as parse-server makes them (alphanumeric, unbiased). */
export function newObjectId(size = 10): string {
  let id = '';
  while (id.length < size) {
    const byte = randomByte();
    // 248 = 4 × 62: dropping larger bytes keeps every character equally likely.
    if (byte < 248) id += ALPHABET[byte % 62];
  }
  return id;
}
