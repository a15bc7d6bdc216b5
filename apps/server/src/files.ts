import { createRequire } from 'node:module';
import { isAbsolute, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  type FilesAdapter,
  isParseServerFilesAdapter,
  ParseServerFilesAdapterBridge,
  type StorageAdapter,
} from '@openparse/core';
import { PostgresFilesAdapter, PostgresStorageAdapter } from '@openparse/storage-postgres';
import { ConfigError } from './options/config-error.js';

/** The `filesAdapter` option as given: a module name or path, or parse-server's `{ module, options }`. */
export type FilesAdapterOption = string | Readonly<Record<string, unknown>>;

/** The files adapter a configuration selects, and how to name it in the banner. */
export interface SelectedFiles {
  readonly adapter: FilesAdapter;
  readonly description: string;
}

const CONTRACT = ['createFile', 'getFileInfo', 'getFileStream', 'deleteFile'] as const;

function isFilesAdapter(value: unknown): value is FilesAdapter {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Record<string, unknown>;
  return (
    typeof candidate.capabilities === 'object' &&
    candidate.capabilities !== null &&
    CONTRACT.every((method) => typeof candidate[method] === 'function')
  );
}

/** A module name resolves from the working directory (where the user installed it), a path against it. */
function moduleURL(specifier: string, cwd: string): string {
  if (specifier.startsWith('.') || isAbsolute(specifier)) return pathToFileURL(resolve(cwd, specifier)).href;
  try {
    return pathToFileURL(createRequire(join(cwd, 'package.json')).resolve(specifier)).href;
  } catch {
    // Not installed beside the config: the server's own dependencies (@openparse/*) may have it.
    return specifier;
  }
}

/** The class a module offers: its default export, or its one export named `…FilesAdapter`. */
function adapterClass(loaded: Record<string, unknown>, specifier: string): new (options: unknown) => unknown {
  const fallback = loaded.default;
  if (typeof fallback === 'function') return fallback as new (options: unknown) => unknown;
  const named = Object.entries(loaded).filter(
    ([name, value]) => name.endsWith('FilesAdapter') && typeof value === 'function',
  );
  if (named.length !== 1) {
    throw new ConfigError(
      `option 'filesAdapter': module '${specifier}' must export its adapter class as default or as the one export named …FilesAdapter.`,
    );
  }
  return named[0]?.[1] as new (
    options: unknown,
  ) => unknown;
}

async function loadAdapter(option: FilesAdapterOption, cwd: string, appId: string): Promise<SelectedFiles> {
  const specifier = typeof option === 'string' ? option : option.module;
  if (typeof specifier !== 'string' || specifier.length === 0) {
    throw new ConfigError("option 'filesAdapter' must be a module name or path, or { module, options }.");
  }
  const options = typeof option === 'string' ? {} : (option.options ?? {});
  let loaded: Record<string, unknown>;
  try {
    loaded = (await import(moduleURL(specifier, cwd))) as Record<string, unknown>;
  } catch (cause) {
    throw new ConfigError(
      `option 'filesAdapter': cannot load module '${specifier}': ${(cause as Error).message}`,
      {
        cause,
      },
    );
  }
  const AdapterClass = adapterClass(loaded, specifier);
  let adapter: unknown;
  try {
    adapter = new AdapterClass(options);
  } catch (cause) {
    throw new ConfigError(`option 'filesAdapter': ${(cause as Error).message}`, { cause });
  }
  if (isFilesAdapter(adapter)) return { adapter, description: `${specifier}` };
  if (isParseServerFilesAdapter(adapter)) {
    return {
      adapter: new ParseServerFilesAdapterBridge(adapter, appId),
      description: `${specifier} (a parse-server files adapter)`,
    };
  }
  throw new ConfigError(
    `option 'filesAdapter': '${specifier}' is neither an OpenParse FilesAdapter (capabilities, ${CONTRACT.join(', ')}) nor a parse-server files adapter (createFile, getFileData, getFileLocation, deleteFile).`,
  );
}

/**
 * The files adapter for a configuration: `filesAdapter` when given; otherwise files in the
 * database the storage uses (PGlite or PostgreSQL), encrypted with `encryptionKey` when set.
 * @throws {ConfigError} naming the option when the module cannot be used.
 */
export async function selectFiles(
  config: { readonly filesAdapter?: FilesAdapterOption; readonly encryptionKey?: string },
  storage: StorageAdapter,
  cwd: string,
  appId = '',
): Promise<SelectedFiles> {
  if (config.filesAdapter !== undefined) return loadAdapter(config.filesAdapter, cwd, appId);
  if (!(storage instanceof PostgresStorageAdapter)) {
    throw new ConfigError("option 'filesAdapter' is required: this storage keeps no files.");
  }
  return {
    adapter: new PostgresFilesAdapter({
      storage,
      ...(config.encryptionKey !== undefined && { encryptionKey: config.encryptionKey }),
    }),
    description: config.encryptionKey === undefined ? 'in the database' : 'in the database, encrypted',
  };
}
