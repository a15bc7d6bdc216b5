import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { embeddedKeys } from './embedded-keys.js';

describe('embeddedKeys', () => {
  it('generates keys once, keeps them private, and reuses them', () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'openparse-keys-')), '.openparse');
    const first = embeddedKeys(dir, {});
    expect(first.generated).toBe(true);
    expect(first.appId).toMatch(/^[0-9a-f]{24}$/);
    expect(statSync(join(dir, 'keys.json')).mode & 0o777).toBe(0o600);
    const second = embeddedKeys(dir, {});
    expect(second).toEqual({ appId: first.appId, masterKey: first.masterKey, generated: false });
    expect(embeddedKeys(dir, { appId: 'given' })).toMatchObject({
      appId: 'given',
      masterKey: first.masterKey,
    });
  });
});
