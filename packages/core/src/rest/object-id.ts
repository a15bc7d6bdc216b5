import { randomBytes } from 'node:crypto';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** A new 10-character objectId, as parse-server makes them (alphanumeric, unbiased). */
export function newObjectId(size = 10): string {
  let id = '';
  while (id.length < size) {
    for (const byte of randomBytes(size * 2)) {
      // 248 = 4 × 62: dropping larger bytes keeps every character equally likely.
      if (byte < 248) id += ALPHABET[byte % 62];
      if (id.length === size) break;
    }
  }
  return id;
}
