import { randomBytes } from 'node:crypto';
import { hash, verify } from '@node-rs/bcrypt';

/**
 * bcrypt cost of new hashes: parse-server's, so either server verifies the other's hashes at
 * the same speed.
 */
const COST = 10;

/**
 * A valid hash of no password anyone knows: logins for unknown users verify against it, so
 * they take as long as logins for known ones (no user enumeration by timing).
 */
let dummyHash: Promise<string> | undefined;

/** Hashes a password with bcrypt on libuv's thread pool (the event loop keeps serving). */
export function hashPassword(password: string): Promise<string> {
  return hash(password, { cost: COST });
}

/**
 * True when `password` matches `hashed` (`$2a$`, `$2b$` or `$2y$`, any cost). A missing or
 * malformed hash never matches, after the same work as a real comparison.
 */
export async function verifyPassword(password: string, hashed: string | undefined): Promise<boolean> {
  const usable = typeof hashed === 'string' && /^\$2[aby]\$\d\d\$[./A-Za-z0-9]{53}$/.test(hashed);
  try {
    dummyHash ??= hash(randomBytes(24).toString('base64'), { cost: COST });
    const matches = await verify(password, usable ? hashed : await dummyHash);
    return usable && matches;
  } catch {
    return false;
  }
}
