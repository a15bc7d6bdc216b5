import { describe, expect, it } from 'vitest';
import { type PostgresStorageAdapterOptions, validateOptions } from './options.js';

describe('validateOptions', () => {
  it.each([
    [{}, /exactly one of uri, client or pglite/],
    [{ uri: 'mysql://x' }, /uri must be a string starting with postgres:\/\//],
    [{ uri: 'postgres://x', poolSize: 0 }, /poolSize must be a positive integer/],
    [{ uri: 'postgres://x', pglite: {} }, /exactly one/],
    [{ pglite: {}, databaseSchema: 'a-b' }, /databaseSchema must be a plain identifier/],
  ])('refuses %j', (options, message) => {
    expect(() => validateOptions(options as PostgresStorageAdapterOptions)).toThrow(message);
    expect(() => validateOptions(options as PostgresStorageAdapterOptions)).toThrow(/^\[storage-postgres\]/);
  });

  it('accepts each source', () => {
    expect(() => validateOptions({ uri: 'postgresql://localhost/app', poolSize: 5 })).not.toThrow();
    expect(() => validateOptions({ pglite: {} })).not.toThrow();
  });
});
