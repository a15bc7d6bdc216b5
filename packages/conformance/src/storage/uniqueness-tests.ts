import { MATCH_ALL, ParseErrorCode } from '@openparse/core';
import { expect } from 'vitest';
import { createClass, object } from './fixtures.js';
import type { StorageHarness } from './harness.js';

/** Unique indexes: refused duplicates, existing violations, compound keys. */
export function uniquenessTests({ test }: StorageHarness): void {
  test(
    'uniqueness.duplicate-value',
    'a unique field refuses a second equal value with DUPLICATE_VALUE',
    async (adapter) => {
      await createClass(adapter, 'Account', { email: { type: 'String' } });
      await adapter.ensureUniqueness('Account', ['email']);
      await adapter.ensureUniqueness('Account', ['email']);
      await adapter.createObject('Account', object({ objectId: 'a', email: 'x@example.com' }));
      await expect(
        adapter.createObject('Account', object({ objectId: 'b', email: 'x@example.com' })),
      ).rejects.toMatchObject({
        code: ParseErrorCode.DUPLICATE_VALUE,
      });
      await adapter.createObject('Account', object({ objectId: 'c', email: 'y@example.com' }));
      await expect(
        adapter.updateObjects({
          className: 'Account',
          where: MATCH_ALL,
          update: { email: { op: 'set', value: 'z@example.com' } },
        }),
      ).rejects.toMatchObject({ code: ParseErrorCode.DUPLICATE_VALUE });
    },
  );

  test(
    'uniqueness.existing-violations',
    'making a field unique fails with DUPLICATE_VALUE when data already repeats',
    async (adapter) => {
      await createClass(adapter, 'Account', { email: { type: 'String' } });
      await adapter.createObject('Account', object({ objectId: 'a', email: 'same' }));
      await adapter.createObject('Account', object({ objectId: 'b', email: 'same' }));
      await expect(adapter.ensureUniqueness('Account', ['email'])).rejects.toMatchObject({
        code: ParseErrorCode.DUPLICATE_VALUE,
      });
    },
  );

  test('uniqueness.compound', 'a unique pair refuses a repeated pair only', async (adapter) => {
    await createClass(adapter, 'Seat', { row: { type: 'String' }, number: { type: 'Number' } });
    await adapter.ensureUniqueness('Seat', ['row', 'number']);
    await adapter.createObject('Seat', object({ objectId: 'a', row: 'A', number: 1 }));
    await adapter.createObject('Seat', object({ objectId: 'b', row: 'A', number: 2 }));
    await adapter.createObject('Seat', object({ objectId: 'c', row: 'B', number: 1 }));
    await expect(
      adapter.createObject('Seat', object({ objectId: 'd', row: 'A', number: 1 })),
    ).rejects.toMatchObject({
      code: ParseErrorCode.DUPLICATE_VALUE,
    });
  });

  test('uniqueness.missing-values', 'objects without the unique field do not collide', async (adapter) => {
    await createClass(adapter, 'Account', { email: { type: 'String' } });
    await adapter.ensureUniqueness('Account', ['email']);
    await adapter.createObject('Account', object({ objectId: 'a' }));
    await adapter.createObject('Account', object({ objectId: 'b' }));
    expect(await adapter.count({ className: 'Account', where: MATCH_ALL })).toBe(2);
  });
}
