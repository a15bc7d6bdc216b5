import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ConfigError } from './options/config-error.js';

/**
 * Loads an adapter module the way parse-server does: `specifier` is a path (resolved from the
 * working directory) or a package name; its default export (or the module itself) is the
 * adapter, a class (constructed with `options`) or a factory (called with them).
 * @param label the option, for messages (`auth.github.module`).
 * @throws {ConfigError} naming the option when the module cannot be loaded.
 */
export async function loadAdapterModule(
  label: string,
  specifier: string,
  cwd: string,
  options?: unknown,
): Promise<unknown> {
  const isPath = specifier.startsWith('.') || specifier.startsWith('/');
  let loaded: unknown;
  try {
    loaded = await import(isPath ? pathToFileURL(resolve(cwd, specifier)).href : specifier);
  } catch (cause) {
    throw new ConfigError(`${label} '${specifier}' could not be loaded: ${String(cause)}`, { cause });
  }
  const exported = (loaded as { default?: unknown }).default ?? loaded;
  if (typeof exported !== 'function') return exported;
  const isClass = /^class[\s{]/.test(Function.prototype.toString.call(exported));
  try {
    return isClass
      ? new (exported as new (options: unknown) => unknown)(options)
      : (exported as (options: unknown) => unknown)(options);
  } catch (cause) {
    throw new ConfigError(`${label} '${specifier}' failed to start: ${String(cause)}`, { cause });
  }
}
