import { DEFAULT_CLASS_LEVEL_PERMISSIONS, DEFAULT_FIELDS, MATCH_ALL } from '@openparse/core';
import { afterAll, describe, expect, it } from 'vitest';
import { type Backend, pgliteBackend, postgresBackend } from './backends.js';

const backends = [await pgliteBackend(), await postgresBackend()].filter(
  (backend): backend is Backend => backend !== undefined,
);
afterAll(async () => {
  for (const backend of backends) await backend.close();
});

const ledger = {
  className: 'Ledger',
  fields: { ...DEFAULT_FIELDS, amount: { type: 'Number' } },
  classLevelPermissions: DEFAULT_CLASS_LEVEL_PERMISSIONS,
} as const;

describe.each(backends.map((backend) => [backend.name, backend] as const))(
  'transactions on %s',
  (_name, backend) => {
    it('a schema change inside transaction() is refused instead of deadlocking', async () => {
      const adapter = await backend.adapter();
      try {
        await adapter.createClass({ ...ledger, className: `Ledger${backend.name}` });
        // Twice: the guard's context is switched off between transactions and on again.
        for (let attempt = 0; attempt < 2; attempt++) {
          await expect(
            adapter.transaction(async (tx) => {
              await tx.count({ className: `Ledger${backend.name}`, where: MATCH_ALL });
              await adapter.addField({
                className: `Ledger${backend.name}`,
                fieldName: 'x',
                field: { type: 'Number' },
              });
            }),
          ).rejects.toThrow(TypeError);
        }
        // The adapter is still usable: nothing was left locked.
        await adapter.addField({
          className: `Ledger${backend.name}`,
          fieldName: 'x',
          field: { type: 'Number' },
        });
        expect((await adapter.getClass(`Ledger${backend.name}`))?.fields.x).toEqual({ type: 'Number' });
      } finally {
        await adapter.close();
      }
    });

    it("the work's own error rejects the transaction unchanged and rolls back", async () => {
      const adapter = await backend.adapter();
      const className = `Rollback${backend.name}`;
      try {
        await adapter.createClass({ ...ledger, className });
        const mistake = new RangeError('not today');
        await expect(
          adapter.transaction(async (tx) => {
            await tx.createObject(className, { objectId: 'a', amount: 1 });
            throw mistake;
          }),
        ).rejects.toBe(mistake);
        expect(await adapter.count({ className, where: MATCH_ALL })).toBe(0);
      } finally {
        await adapter.close();
      }
    });
  },
);

describe.skipIf(!backends.some((backend) => backend.name === 'PostgreSQL'))(
  'transactions on PostgreSQL',
  () => {
    it('uncommitted writes are invisible to other connections until COMMIT', async () => {
      const backend = backends.find((candidate) => candidate.name === 'PostgreSQL') as Backend;
      const adapter = await backend.adapter();
      try {
        await adapter.createClass({ ...ledger, className: 'Isolated' });
        let outside = -1;
        await adapter.transaction(async (tx) => {
          await tx.createObject('Isolated', { objectId: 'a', amount: 1 });
          outside = await adapter.count({ className: 'Isolated', where: MATCH_ALL });
        });
        expect(outside).toBe(0);
        expect(await adapter.count({ className: 'Isolated', where: MATCH_ALL })).toBe(1);
      } finally {
        await adapter.close();
      }
    });
  },
);
