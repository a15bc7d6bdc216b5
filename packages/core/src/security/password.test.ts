import { describe, expect, it } from 'vitest';
import { hashPassword, verifyPassword } from './password.js';

describe('passwords', () => {
  it('hashes with bcrypt cost 10 and verifies its own hashes', async () => {
    const hashed = await hashPassword('correct horse');
    expect(hashed).toMatch(/^\$2b\$10\$/);
    expect(await verifyPassword('correct horse', hashed)).toBe(true);
    expect(await verifyPassword('wrong horse', hashed)).toBe(false);
  });

  it('verifies $2a$ and $2b$ hashes written by other bcrypt implementations', async () => {
    // OpenBSD's published test vector, as bcryptjs (older parse-server) writes it ($2a$) and
    // as @node-rs/bcrypt (parse-server 9) would ($2b$).
    const vector = '$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW';
    expect(await verifyPassword('U*U', `$2a${vector}`)).toBe(true);
    expect(await verifyPassword('U*U', `$2b${vector}`)).toBe(true);
    expect(await verifyPassword('U*V', `$2a${vector}`)).toBe(false);
  });

  it('never matches a missing or malformed hash', async () => {
    expect(await verifyPassword('x', undefined)).toBe(false);
    expect(await verifyPassword('x', 'plaintext')).toBe(false);
    expect(await verifyPassword('', '$2b$10$tooshort')).toBe(false);
  });
});
