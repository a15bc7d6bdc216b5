import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadCloud } from './loader.js';
import { parseSdk } from './parse-sdk.js';
import { CloudRuntime } from './runtime.js';

const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));

function runtime(): CloudRuntime {
  const cloud = new CloudRuntime();
  cloud.installSdk({ appId: 'app', masterKey: 'master', serverURL: 'http://localhost:1337/parse' });
  return cloud;
}

describe('loadCloud', () => {
  it('fails naming the file and the line of an error thrown while loading', async () => {
    const cloud = runtime();
    const file = fixture('throws.cjs');
    await expect(cloud.loading(() => loadCloud(file, parseSdk()))).rejects.toThrow(
      `[core] cloud code failed to load at ${file}:3:7: Error: cannot start`,
    );
    cloud.detach();
  });

  it('fails naming the file and the line of a syntax error', async () => {
    const cloud = runtime();
    // Written here: a file with a syntax error would fail the linter.
    const file = join(mkdtempSync(join(tmpdir(), 'openparse-cloud-')), 'syntax.cjs');
    writeFileSync(file, "Parse.Cloud.define('ok', () => 1);\nconst = 2;\n");
    await expect(cloud.loading(() => loadCloud(file, parseSdk()))).rejects.toThrow(
      new RegExp(`^\\[core\\] cloud code failed to load at ${file.replace(/[.]/g, '\\.')}:2: SyntaxError`),
    );
    cloud.detach();
  });

  it('fails on a missing file', async () => {
    await expect(loadCloud('/nowhere/main.js', parseSdk())).rejects.toThrow(
      '[core] cloud code file not found: /nowhere/main.js',
    );
  });

  it('loads an ES module into the runtime that is loading it, and a function', async () => {
    const first = runtime();
    await first.loading(() => loadCloud(fixture('ok.mjs'), parseSdk()));
    const second = runtime();
    await second.loading(() =>
      loadCloud(
        (Parse) => (Parse.Cloud.define as (n: string, f: () => string) => void)('fn', () => 'x'),
        parseSdk(),
      ),
    );
    expect([...first.registry.functions.keys()]).toEqual(['esm']);
    expect([...second.registry.functions.keys()]).toEqual(['fn']);
    first.detach();
    second.detach();
  });
});
