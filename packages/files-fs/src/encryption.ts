import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { Transform } from 'node:stream';

const ALGORITHM = 'aes-256-gcm';
/** @parse/fs-files-adapter's layout: `ciphertext ‖ iv (16 bytes) ‖ auth tag (16 bytes)`. */
export const IV_BYTES = 16;
export const TAG_BYTES = 16;
export const TRAILER_BYTES = IV_BYTES + TAG_BYTES;

/** The key @parse/fs-files-adapter derives from `encryptionKey`: SHA-256, base64, 32 characters. */
export function deriveKey(encryptionKey: string): Buffer {
  return Buffer.from(
    createHash('sha256').update(String(encryptionKey)).digest('base64').slice(0, 32),
    'utf8',
  );
}

/** Encrypts a stream in that layout: ciphertext as it comes, then the iv and the tag. */
export function encryptStream(key: Buffer): Transform {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv(ALGORITHM, key, iv);
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      callback(null, cipher.update(chunk));
    },
    flush(callback) {
      try {
        this.push(cipher.final());
        this.push(iv);
        this.push(cipher.getAuthTag());
        callback();
      } catch (error) {
        callback(error as Error);
      }
    },
  });
}

/**
 * Decrypts the ciphertext part of a file (its trailer already read). Plaintext flows before the
 * tag is checked at the end, so callers verify a file once before serving it.
 */
export function decryptStream(key: Buffer, trailer: Buffer): Transform {
  const decipher = createDecipheriv(ALGORITHM, key, trailer.subarray(0, IV_BYTES));
  decipher.setAuthTag(trailer.subarray(IV_BYTES));
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      callback(null, decipher.update(chunk));
    },
    flush(callback) {
      try {
        this.push(decipher.final());
        callback();
      } catch (error) {
        callback(error as Error);
      }
    },
  });
}
