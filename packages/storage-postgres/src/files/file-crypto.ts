import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { ParseError, ParseErrorCode } from '@openparse/core';

const ALGORITHM = 'aes-256-gcm';
const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * The AES-256 key for an `encryptionKey`, derived as parse-server's files adapters derive theirs
 * (SHA-256, base64, first 32 characters), so one `PARSE_SERVER_ENCRYPTION_KEY` means one key.
 */
export function deriveKey(encryptionKey: string): Buffer {
  return Buffer.from(createHash('sha256').update(encryptionKey).digest('base64').slice(0, 32), 'utf8');
}

/**
 * Encrypts one chunk: `iv ‖ ciphertext ‖ tag`. Each chunk is sealed on its own, bound to its
 * file generation and position (the additional data), so a range is read and authenticated
 * chunk by chunk and chunks cannot be swapped or moved between files.
 */
export function sealChunk(key: Buffer, fileId: string, index: number, plain: Buffer): Buffer {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv(ALGORITHM, key, iv);
  cipher.setAAD(Buffer.from(`${fileId}:${index}`));
  return Buffer.concat([iv, cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
}

/**
 * Decrypts and authenticates one chunk.
 * @throws {ParseError} FILE_READ_ERROR for a wrong key or altered data.
 */
export function openChunk(key: Buffer, fileId: string, index: number, sealed: Buffer): Buffer {
  try {
    const iv = sealed.subarray(0, IV_BYTES);
    const tag = sealed.subarray(sealed.length - TAG_BYTES);
    const decipher = createDecipheriv(ALGORITHM, key, iv);
    decipher.setAAD(Buffer.from(`${fileId}:${index}`));
    decipher.setAuthTag(tag);
    return Buffer.concat([
      decipher.update(sealed.subarray(IV_BYTES, sealed.length - TAG_BYTES)),
      decipher.final(),
    ]);
  } catch (cause) {
    throw new ParseError(
      ParseErrorCode.FILE_READ_ERROR,
      'The file cannot be decrypted: wrong encryptionKey, or altered data.',
      { cause },
    );
  }
}
