import type { SchemaChange } from '@openparse/core';
import { DEFAULT_CLASS_LEVEL_PERMISSIONS, DEFAULT_FIELDS, MATCH_ALL } from '@openparse/core';
import type { PostgresStorageAdapter } from '@openparse/storage-postgres';
import { afterAll, describe, expect, it } from 'vitest';
import { type Backend, postgresBackend } from './backends.js';

const backend: Backend | undefined = await postgresBackend();
afterAll(() => backend?.close());

/** Resolves with the first change `adapter` reports that satisfies `accept`. */
function nextChange(
  adapter: PostgresStorageAdapter,
  accept: (change: SchemaChange) => boolean,
): Promise<SchemaChange> {
  return new Promise((resolve) => {
    const stop = adapter.onSchemaChange((change) => {
      if (!accept(change)) return;
      stop();
      resolve(change);
    });
  });
}

describe.skipIf(!backend)('schema notifications across processes (LISTEN/NOTIFY)', () => {
  it('a class created by one adapter is known to another, with its types', async () => {
    const ready = backend as Backend;
    const [writer, reader] = [await ready.adapter(), await ready.adapter()];
    try {
      expect(reader.capabilities.crossProcessSchemaNotifications).toBe(true);
      const seen = nextChange(reader, (change) => change.className === 'Score');
      await writer.createClass({
        className: 'Score',
        fields: { ...DEFAULT_FIELDS, when: { type: 'Date' } },
        classLevelPermissions: DEFAULT_CLASS_LEVEL_PERMISSIONS,
      });
      expect(await seen).toEqual({ className: 'Score' });
      expect((await reader.getClass('Score'))?.fields.when).toEqual({ type: 'Date' });
      await writer.createObject('Score', { objectId: 's1', when: new Date('2024-03-03T00:00:00Z') });
      const [found] = await reader.find({ className: 'Score', where: MATCH_ALL });
      expect(found?.when).toEqual(new Date('2024-03-03T00:00:00Z'));

      const added = nextChange(reader, (change) => change.className === 'Score');
      await writer.addField({ className: 'Score', fieldName: 'level', field: { type: 'Number' } });
      await added;
      expect((await reader.getClass('Score'))?.fields.level).toEqual({ type: 'Number' });
    } finally {
      await writer.close();
      await reader.close();
    }
  });

  it("parse-server's own notification (no class name) invalidates everything", async () => {
    const ready = backend as Backend;
    const reader = await ready.adapter();
    try {
      const seen = nextChange(reader, () => true);
      await ready.sql(`SELECT pg_notify('schema.change', '{"senderId":"parse-server"}')`);
      expect(await seen).toEqual({});
    } finally {
      await reader.close();
    }
  });
});
