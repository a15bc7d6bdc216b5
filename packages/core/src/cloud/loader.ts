import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, extname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ParseSdk } from './parse-sdk.js';

/** The `cloud` option: a path to the cloud file, or a function given the SDK (`Parse`). */
export type CloudOption = string | ((Parse: ParseSdk) => unknown);

let generation = 0;

/** True when the nearest package.json of `file` says `"type": "module"`. */
function inModulePackage(file: string): boolean {
  let dir = dirname(file);
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest)) {
      try {
        return (JSON.parse(readFileSync(manifest, 'utf8')) as { type?: unknown }).type === 'module';
      } catch {
        return false; // an unreadable manifest: Node itself would load the file as CommonJS
      }
    }
    const parent = dirname(dir);
    if (parent === dir) return false;
    dir = parent;
  }
}

/** `file:line[:column]` of the first place in `error` that points into `file`. */
function locate(error: unknown, file: string): string | undefined {
  const stack = error instanceof Error ? (error.stack ?? '') : '';
  const url = pathToFileURL(file).href;
  for (const candidate of [url, file]) {
    const escaped = candidate.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const found = new RegExp(`${escaped}(?:\\?[^:\\s)]*)?:(\\d+)(?::(\\d+))?`).exec(stack);
    if (found) return `${file}:${found[1]}${found[2] ? `:${found[2]}` : ''}`;
  }
  return undefined;
}

/**
 * Loads the cloud code: requires a CommonJS file (`.cjs`, or `.js` outside a `"type": "module"`
 * package) afresh, imports an ES module (`.mjs`, or `.js` inside one), or calls the function.
 * @throws {Error} naming the file and the line when the file cannot be found or fails to load.
 */
export async function loadCloud(cloud: CloudOption, Parse: ParseSdk, cwd = process.cwd()): Promise<void> {
  if (typeof cloud === 'function') {
    await cloud(Parse);
    return;
  }
  const file = resolve(cwd, cloud);
  if (!existsSync(file)) throw new Error(`[core] cloud code file not found: ${file}`);
  const extension = extname(file);
  const esm = extension === '.mjs' || (extension !== '.cjs' && inModulePackage(file));
  try {
    if (esm) {
      generation += 1;
      // A query makes a second server in the same process evaluate the module again.
      await import(`${pathToFileURL(file).href}?openparse=${generation}`);
    } else {
      const require = createRequire(file);
      delete require.cache[file];
      require(file);
    }
  } catch (error) {
    const where = locate(error, file) ?? file;
    const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    throw new Error(`[core] cloud code failed to load at ${where}: ${message}`, { cause: error });
  }
}
