import type { StorageAdapter, StorageCapabilities } from '@openparse/core';
import { afterEach, beforeEach, describe, it } from 'vitest';
import type { StorageTestId } from './ids.js';

/** Options of `runStorageAdapterSuite`. */
export interface StorageSuiteOptions {
  /** Tests to skip: test id → the reason (required, shown in the test title). */
  readonly skip?: Partial<Record<StorageTestId, string>>;
  /** Disposes of an adapter after each test. @default adapter.close() */
  readonly teardown?: (adapter: StorageAdapter) => Promise<void>;
}

/** Gives each test a fresh adapter from the factory, and registers tests by id. */
export interface StorageHarness {
  /** The adapter of the running test. */
  adapter(): StorageAdapter;
  /** Registers a test titled `<id>: <title>` (skipped, with its reason, when `skip` names it). */
  test(id: StorageTestId, title: string, body: (adapter: StorageAdapter) => Promise<void>): void;
}

/** Registers the per-test lifecycle in the current `describe` and returns the harness. */
export function storageHarness(
  factory: () => Promise<StorageAdapter>,
  options: StorageSuiteOptions,
): StorageHarness {
  let current: StorageAdapter | undefined;
  beforeEach(async () => {
    current = await factory();
  });
  afterEach(async () => {
    const adapter = current;
    current = undefined;
    if (adapter) await (options.teardown ? options.teardown(adapter) : adapter.close());
  });
  const adapter = (): StorageAdapter => {
    if (!current) throw new Error('no adapter: the factory did not run');
    return current;
  };
  return {
    adapter,
    test(id, title, body) {
      const reason = options.skip?.[id];
      if (reason) it.skip(`${id}: ${title} (skipped: ${reason})`, () => undefined);
      else it(`${id}: ${title}`, () => body(adapter()));
    },
  };
}

/** Reads the adapter's capabilities once, from a throw-away instance. */
export async function probeCapabilities(
  factory: () => Promise<StorageAdapter>,
  options: StorageSuiteOptions,
): Promise<StorageCapabilities> {
  const adapter = await factory();
  const capabilities = { ...adapter.capabilities };
  await (options.teardown ? options.teardown(adapter) : adapter.close());
  return capabilities;
}

/** One capability group: a `describe`, or a visible `describe.skip` titled with why. */
export function capabilityGroup(
  title: string,
  enabled: { readonly flag: boolean | undefined; readonly reason: string } | undefined,
  register: () => void,
): void {
  if (enabled && !enabled.flag) describe.skip(`${title} (skipped: ${enabled.reason})`, register);
  else describe(title, register);
}
