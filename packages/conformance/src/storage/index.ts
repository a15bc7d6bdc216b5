import type { StorageAdapter, StorageCapabilities } from '@openparse/core';
import { describe, it } from 'vitest';
import { aggregateStageTests } from './aggregate-stage-tests.js';
import { aggregateTests } from './aggregate-tests.js';
import { fullTextTests } from './capability-tests.js';
import { geoTests } from './geo-tests.js';
import { capabilityGroup, probeCapabilities, type StorageSuiteOptions, storageHarness } from './harness.js';
import { conditionTests } from './condition-tests.js';
import { objectTests } from './object-tests.js';
import { pagingTests } from './paging-tests.js';
import { queryTests } from './query-tests.js';
import { relationTests } from './relation-tests.js';
import { schemaTests } from './schema-tests.js';
import { subqueryTests } from './subquery-tests.js';
import { transactionTests } from './transaction-tests.js';
import { uniquenessTests } from './uniqueness-tests.js';
import { updateTests } from './update-tests.js';

export type { StorageSuiteOptions } from './harness.js';
export type { StorageTestId } from './ids.js';

/**
 * Registers the storage conformance suite (vitest) for an adapter: one `describe` per capability
 * group; a group whose capability flag is false shows as skipped, titled with the flag.
 *
 * The factory is called once while tests are collected (to read `capabilities`), then once per test.
 *
 * @param factory returns a connected adapter over an isolated, empty store (own database,
 *   schema or prefix) each time it is called.
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
  describe('storage adapter', async () => {
    const probe: { capabilities: StorageCapabilities; error?: unknown } = await probeCapabilities(
      factory,
      options,
    ).then(
      (capabilities) => ({ capabilities }),
      (error: unknown) => ({ capabilities: {}, error: error ?? new Error('the factory failed') }),
    );
    // Collection must not crash (the caller may have skipped this suite): a failing factory is a failing test.
    if ('error' in probe) {
      it('factory.probe: the factory returns a connected adapter', () => {
        throw probe.error;
      });
      return;
    }
    const { capabilities } = probe;
    const harness = () => storageHarness(factory, options);
    const flag = (name: keyof typeof capabilities) => ({
      flag: capabilities[name],
      reason: `capabilities.${name} is false`,
    });
    capabilityGroup('schema', undefined, () => schemaTests(harness()));
    capabilityGroup('objects', undefined, () => objectTests(harness()));
    capabilityGroup('updates', undefined, () => updateTests(harness()));
    capabilityGroup('queries', undefined, () => {
      const queries = harness();
      queryTests(queries);
      conditionTests(queries);
    });
    capabilityGroup('paging', undefined, () => pagingTests(harness()));
    capabilityGroup('uniqueness', undefined, () => uniquenessTests(harness()));
    capabilityGroup('subqueries', flag('subqueries'), () => subqueryTests(harness()));
    capabilityGroup(
      'relations',
      {
        flag: capabilities.subqueries,
        reason: 'capabilities.subqueries is false (relations are read through relatedTo)',
      },
      () => relationTests(harness()),
    );
    capabilityGroup('transactions', flag('transactions'), () => transactionTests(harness()));
    capabilityGroup('geo', flag('geo'), () => geoTests(harness()));
    capabilityGroup('fullText', flag('fullText'), () => fullTextTests(harness()));
    capabilityGroup('aggregate', flag('aggregate'), () => {
      const aggregate = harness();
      aggregateTests(aggregate);
      aggregateStageTests(aggregate);
    });
  });
}
