import type { StorageAdapter } from '@openparse/core';
import { describe } from 'vitest';
import { type StorageSuiteOptions, storageHarness } from './harness.js';
import { objectTests } from './object-tests.js';
import { queryTests } from './query-tests.js';
import { relationTests } from './relation-tests.js';
import { schemaTests } from './schema-tests.js';

export type { StorageTestId } from './ids.js';
export type { StorageSuiteOptions } from './harness.js';

/**
 * Registers the storage conformance suite (vitest) for an adapter.
 *
 * @param factory returns a connected adapter over an isolated, empty store (own database,
 *   schema or prefix) for each test.
 * @example
 * runStorageAdapterSuite(async () => {
 *   const adapter = new PostgresStorageAdapter({ pglite: {} });
 *   await adapter.connect();
 *   return adapter;
 * });
 */
export function runStorageAdapterSuite(
  factory: () => Promise<StorageAdapter>,
  options: StorageSuiteOptions = {},
): void {
  describe('storage: schema', () => schemaTests(storageHarness(factory, options)));
  describe('storage: objects', () => objectTests(storageHarness(factory, options)));
  describe('storage: queries', () => queryTests(storageHarness(factory, options)));
  describe('storage: relations, uniqueness, transactions', () =>
    relationTests(storageHarness(factory, options)));
}
