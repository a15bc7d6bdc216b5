import type { AuthProvider, ParseServerOptions } from '@openparse/core';
import { loadAdapterModule } from './modules.js';
import { ConfigError } from './options/config-error.js';

type AuthOption = NonNullable<ParseServerOptions['auth']>;

/**
 * Loads the `auth` option's adapters, as parse-server does: `module` is a path (resolved from
 * the working directory) or a package name whose export — default or module, an instance or a
 * class — has `validateAuthData`.
 * @throws {ConfigError} naming the provider when its adapter cannot be loaded.
 */
export async function loadAuthProviders(
  auth: Readonly<Record<string, unknown>>,
  cwd: string,
): Promise<AuthOption> {
  const providers: Record<string, AuthOption[string]> = {};
  for (const [name, settings] of Object.entries(auth)) {
    if (typeof settings !== 'object' || settings === null || Array.isArray(settings)) {
      throw new ConfigError(`auth.${name} must be an object with a module and its options`);
    }
    const { module, ...options } = settings as Record<string, unknown>;
    // No module: one of core's built-in providers (core names them when the name is unknown).
    if (module === undefined) {
      providers[name] = options;
      continue;
    }
    if (typeof module !== 'string' || module.length === 0) {
      throw new ConfigError(`auth.${name}.module must name the provider's adapter (a path or a package)`);
    }
    providers[name] = { ...options, module: await loadAdapter(name, module, cwd) };
  }
  return providers;
}

async function loadAdapter(name: string, specifier: string, cwd: string): Promise<AuthProvider> {
  const adapter = await loadAdapterModule(`auth.${name}.module`, specifier, cwd);
  if (typeof (adapter as Partial<AuthProvider> | undefined)?.validateAuthData !== 'function') {
    throw new ConfigError(`auth.${name}.module '${specifier}' has no validateAuthData function`);
  }
  return adapter as AuthProvider;
}
