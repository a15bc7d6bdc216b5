import { describe, expect, it } from 'vitest';
import { StatementNames } from './database.js';

describe('StatementNames', () => {
  it('names data statements by their text, and renames them after a schema change', () => {
    const names = new StatementNames();
    const select = 'SELECT * FROM "A" WHERE "objectId" = $1';
    const first = names.nameFor(select);
    expect(first).toMatch(/^op0_[0-9a-f]{24}$/);
    expect(names.nameFor(select)).toBe(first);
    expect(names.nameFor('SELECT 2')).not.toBe(first);
    names.reset();
    expect(names.nameFor(select)).not.toBe(first);
  });

  it('never names DDL or transaction control', () => {
    const names = new StatementNames();
    for (const text of [
      'ALTER TABLE "A" ADD COLUMN "b" text',
      'BEGIN',
      'CREATE INDEX x ON "A" ("b")',
      'LISTEN "c"',
    ]) {
      expect(names.nameFor(text)).toBeUndefined();
    }
  });
});
