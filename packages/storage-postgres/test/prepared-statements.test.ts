import { DEFAULT_CLASS_LEVEL_PERMISSIONS, DEFAULT_FIELDS, MATCH_ALL } from '@openparse/core';
import { afterAll, describe, expect, it } from 'vitest';
import { type Backend, postgresBackend } from './backends.js';

const backend: Backend | undefined = await postgresBackend();
afterAll(() => backend?.close());

describe.skipIf(!backend)('prepared statements on PostgreSQL', () => {
  it('reads keep working when a column appears under a prepared SELECT * without any notification', async () => {
    const ready = backend as Backend;
    const adapter = await ready.adapter();
    try {
      await adapter.createClass({
        className: 'Board',
        fields: { ...DEFAULT_FIELDS, title: { type: 'String' } },
        classLevelPermissions: DEFAULT_CLASS_LEVEL_PERMISSIONS,
      });
      await adapter.createObject('Board', { objectId: 'b1', title: 'first' });
      // Prepare the statement on every pooled connection.
      for (let i = 0; i < 6; i++)
        expect(await adapter.find({ className: 'Board', where: MATCH_ALL })).toHaveLength(1);
      // A change the adapter is not told about (another tool, or a NOTIFY still in flight).
      await ready.sql('ALTER TABLE "Board" ADD COLUMN "extra" text');
      await ready.sql(`UPDATE "Board" SET "extra" = 'x'`);
      for (let i = 0; i < 6; i++) {
        const [row] = await adapter.find({ className: 'Board', where: MATCH_ALL });
        expect(row).toMatchObject({ objectId: 'b1', title: 'first', extra: 'x' });
      }
    } finally {
      await adapter.close();
    }
  });

  it('statements prepared before a schema change made through the adapter are not reused after it', async () => {
    const ready = backend as Backend;
    const adapter = await ready.adapter();
    try {
      await adapter.createClass({
        className: 'Card',
        fields: { ...DEFAULT_FIELDS },
        classLevelPermissions: DEFAULT_CLASS_LEVEL_PERMISSIONS,
      });
      await adapter.createObject('Card', { objectId: 'c1' });
      for (let i = 0; i < 6; i++) await adapter.find({ className: 'Card', where: MATCH_ALL });
      await adapter.addField({ className: 'Card', fieldName: 'points', field: { type: 'Number' } });
      await adapter.updateObjects({
        className: 'Card',
        where: MATCH_ALL,
        update: { points: { op: 'set', value: 3 } },
      });
      for (let i = 0; i < 6; i++) {
        expect(await adapter.find({ className: 'Card', where: MATCH_ALL })).toMatchObject([
          { objectId: 'c1', points: 3 },
        ]);
      }
    } finally {
      await adapter.close();
    }
  });
});
