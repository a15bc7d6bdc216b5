import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { embeddedKeys } from './keys.js';
import { ConfigError } from './options/config-error.js';

const freshDir = () => join(mkdtempSync(join(tmpdir(), 'openparse-keys-')), '.openparse');

describe('embeddedKeys', () => {
  it('generates keys once, keeps them private (0600), and reuses them', () => {
    const dir = freshDir();
    const first = embeddedKeys(dir, {});
    expect(first.source).toBe('generated');
    expect(first.appId).toMatch(/^[0-9a-f]{24}$/);
    expect(first.masterKey).toMatch(/^[\w-]{32}$/);
    expect(statSync(join(dir, 'keys.json')).mode & 0o777).toBe(0o600);
    expect(embeddedKeys(dir, {})).toEqual({
      appId: first.appId,
      masterKey: first.masterKey,
      source: 'stored',
    });
  });

  it('lets given keys win without storing them', () => {
    const dir = freshDir();
    const keys = embeddedKeys(dir, { appId: 'given' });
    expect(keys).toMatchObject({ appId: 'given', source: 'generated' });
    expect(JSON.parse(readFileSync(join(dir, 'keys.json'), 'utf8'))).toEqual({ masterKey: keys.masterKey });
    expect(embeddedKeys(dir, {})).toMatchObject({ masterKey: keys.masterKey, source: 'generated' });
    expect(embeddedKeys(dir, { appId: 'a', masterKey: 'm' }).source).toBe('configured');
  });

  it('refuses a corrupt keys.json rather than replacing the keys', () => {
    const dir = freshDir();
    embeddedKeys(dir, {});
    writeFileSync(join(dir, 'keys.json'), '{ nope');
    expect(() => embeddedKeys(dir, {})).toThrow(ConfigError);
  });
});
