import type { FilesAdapter, FilesCapabilities } from '@openparse/core';
import { describe, it } from 'vitest';
import { accessTests, encryptionTests, fileTests, rangeTests } from './file-tests.js';
import { type FilesSuiteOptions, filesHarness, probeCapabilities } from './harness.js';

export type { FilesSuiteOptions } from './harness.js';
export type { FilesTestId } from './ids.js';

function group(title: string, skipReason: string | undefined, register: () => void): void {
  if (skipReason) describe.skip(`${title} (skipped: ${skipReason})`, register);
  else describe(title, register);
}

/**
 * Registers the files conformance suite (vitest) for a `FilesAdapter`: one `describe` per
 * capability group; a group whose flag is false shows as skipped, titled with the flag.
 *
 * The factory is called once while tests are collected (to read `capabilities`), then once per test.
 *
 * @param factory returns a ready adapter over an isolated, empty store (own directory, table,
 *   bucket prefix) each time it is called.
 * @param options `skip` (test id → reason), `teardown`, and for encrypting adapters
 *   `reopenWithKey` and `encryptionKey`.
 * @example
 * runFilesAdapterSuite(async () => new InMemoryFilesAdapter());
 */
export function runFilesAdapterSuite(
  factory: () => Promise<FilesAdapter>,
  options: FilesSuiteOptions = {},
): void {
  describe('files adapter', async () => {
    const probe: { capabilities: FilesCapabilities; error?: unknown } = await probeCapabilities(
      factory,
      options,
    ).then(
      (capabilities) => ({ capabilities }),
      (error: unknown) => ({ capabilities: {}, error: error ?? new Error('the factory failed') }),
    );
    if ('error' in probe) {
      it('factory.probe: the factory returns a ready adapter', () => {
        throw probe.error;
      });
      return;
    }
    const { capabilities } = probe;
    const off = (name: keyof FilesCapabilities) =>
      capabilities[name] ? undefined : `capabilities.${name} is false`;
    group('files', undefined, () => fileTests(filesHarness(factory, options)));
    group('ranges', off('ranges'), () => rangeTests(filesHarness(factory, options)));
    group(
      'encryption',
      off('encryption') ?? (options.reopenWithKey ? undefined : 'options.reopenWithKey is not given'),
      () => encryptionTests(filesHarness(factory, options)),
    );
    group('direct access', off('directAccess'), () => accessTests(filesHarness(factory, options), 'direct'));
    group('signed URLs', off('signedUrls'), () => accessTests(filesHarness(factory, options), 'signed'));
  });
}
