import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { redactURI, selectStorage } from './storage.js';

describe('selectStorage', () => {
  const cwd = mkdtempSync(join(tmpdir(), 'openparse-storage-'));

  it('uses the embedded PGlite database in .openparse/db without a databaseURI', () => {
    const selected = selectStorage(undefined, cwd);
    expect(selected.embedded).toBe(true);
    expect(selected.description).toBe(`embedded PGlite (${join(cwd, '.openparse', 'db')})`);
  });

  it('uses PostgreSQL for postgres:// and postgresql://, password redacted', () => {
    for (const scheme of ['postgres', 'postgresql']) {
      const selected = selectStorage(`${scheme}://app:s3cret@db.example:5432/app`, cwd);
      expect(selected.embedded).toBe(false);
      expect(selected.description).toBe(`PostgreSQL ${scheme}://app:***@db.example:5432/app`);
    }
  });

  it('says MongoDB is not available yet', () => {
    expect(() => selectStorage('mongodb://localhost:27017/parse', cwd)).toThrow(
      /^option 'databaseURI': MongoDB storage \(@openparse\/storage-mongo\) is not available yet/,
    );
  });

  it('redacts only the password', () => {
    expect(redactURI('postgres://u:p@h/d')).toBe('postgres://u:***@h/d');
    expect(redactURI('postgres://h/d')).toBe('postgres://h/d');
  });
});
