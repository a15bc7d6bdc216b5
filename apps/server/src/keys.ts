import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from './options/config-error.js';

/** The app id and master key a server runs with. */
export interface AppKeys {
  readonly appId: string;
  readonly masterKey: string;
  /**
   * `'configured'`: both were given. `'stored'`: read from keys.json. `'generated'`: at least one
   * was made by this call and kept in keys.json.
   */
  readonly source: 'configured' | 'stored' | 'generated';
}

interface StoredKeys {
  appId?: string;
  masterKey?: string;
}

function readStored(file: string): StoredKeys {
  if (!existsSync(file)) return {};
  try {
    const parsed: unknown = JSON.parse(readFileSync(file, 'utf8'));
    if (typeof parsed !== 'object' || parsed === null) throw new TypeError('not a JSON object');
    const { appId, masterKey } = parsed as Record<string, unknown>;
    return {
      ...(typeof appId === 'string' && appId ? { appId } : {}),
      ...(typeof masterKey === 'string' && masterKey ? { masterKey } : {}),
    };
  } catch (cause) {
    throw new ConfigError(`cannot read ${file}: ${(cause as Error).message}; fix or delete it.`, { cause });
  }
}

/**
 * The embedded app's keys: given values win; missing ones come from `<dir>/keys.json`, or are
 * generated once (crypto-random) and kept there with mode 0600 so the next start reuses them.
 */
export function embeddedKeys(dir: string, given: { appId?: string; masterKey?: string }): AppKeys {
  const file = join(dir, 'keys.json');
  const stored = readStored(file);
  const appId = given.appId ?? stored.appId;
  const masterKey = given.masterKey ?? stored.masterKey;
  if (appId && masterKey) {
    const source = given.appId && given.masterKey ? 'configured' : 'stored';
    return { appId, masterKey, source };
  }
  const generated = {
    ...(appId ? {} : { appId: randomBytes(12).toString('hex') }),
    ...(masterKey ? {} : { masterKey: randomBytes(24).toString('base64url') }),
  };
  mkdirSync(dir, { recursive: true });
  writeFileSync(file, `${JSON.stringify({ ...stored, ...generated }, null, 2)}\n`, { mode: 0o600 });
  // writeFileSync's mode applies only to a new file (and through the umask).
  chmodSync(file, 0o600);
  return {
    appId: appId ?? (generated.appId as string),
    masterKey: masterKey ?? (generated.masterKey as string),
    source: 'generated',
  };
}
