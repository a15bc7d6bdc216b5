import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** The keys of an embedded app, kept in `<dataDir>/keys.json`. */
export interface EmbeddedKeys {
  readonly appId: string;
  readonly masterKey: string;
  /** True when they were made by this call (so the CLI prints them). */
  readonly generated: boolean;
}

/**
 * Reads the app id and master key kept in `dataDir`, or generates them once (mode 0600).
 * Given values win and are not stored.
 */
export function embeddedKeys(dataDir: string, given: { appId?: string; masterKey?: string }): EmbeddedKeys {
  const file = join(dataDir, 'keys.json');
  let stored: { appId?: string; masterKey?: string } = {};
  if (existsSync(file)) stored = JSON.parse(readFileSync(file, 'utf8')) as typeof stored;
  const appId = given.appId ?? stored.appId;
  const masterKey = given.masterKey ?? stored.masterKey;
  if (appId && masterKey) return { appId, masterKey, generated: false };
  const keys = {
    appId: appId ?? randomBytes(12).toString('hex'),
    masterKey: masterKey ?? randomBytes(24).toString('base64url'),
  };
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(file, `${JSON.stringify({ ...stored, ...keys }, null, 2)}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
  return { ...keys, generated: true };
}
