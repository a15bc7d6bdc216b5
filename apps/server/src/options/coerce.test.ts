import { describe, expect, it } from 'vitest';
import { coerce } from './coerce.js';
import type { OptionDefinition } from './types.js';

const option = (
  definition: Partial<OptionDefinition> & Pick<OptionDefinition, 'type'>,
): OptionDefinition => ({
  name: 'x',
  env: 'X',
  help: '',
  status: 'supported',
  ...definition,
});

describe('coerce', () => {
  it('reads lists from arrays, comma-separated text and JSON text', () => {
    const list = option({ type: 'list' });
    expect(coerce(list, ['a', 'b'], 's')).toEqual(['a', 'b']);
    expect(coerce(list, 'a, b', 's')).toEqual(['a', 'b']);
    expect(coerce(list, '["a","b"]', 's')).toEqual(['a', 'b']);
    expect(() => coerce(list, 'a,,b', 's')).toThrow("option 'x' (s) must be a comma-separated list");
    expect(() => coerce(list, [1], 's')).toThrow("option 'x' (s) must be a list of strings");
  });

  it('reads integers from numbers and digit strings only', () => {
    const integer = option({ type: 'integer', min: 0 });
    expect(coerce(integer, '42', 's')).toBe(42);
    expect(coerce(integer, 42, 's')).toBe(42);
    expect(() => coerce(integer, '4.2', 's')).toThrow("option 'x'");
    expect(() => coerce(integer, 4.2, 's')).toThrow("option 'x'");
    expect(() => coerce(integer, '', 's')).toThrow("option 'x'");
  });

  it('reads sizes as bytes or size strings', () => {
    const size = option({ type: 'size' });
    expect(coerce(size, 1024, 's')).toBe(1024);
    expect(coerce(size, '1.5gb', 's')).toBe('1.5gb');
    expect(() => coerce(size, -1, 's')).toThrow("option 'x'");
  });

  it('reads cluster as a boolean or a count', () => {
    const cluster = option({ type: 'integer-or-boolean', min: 1 });
    expect(coerce(cluster, 'true', 's')).toBe(true);
    expect(coerce(cluster, false, 's')).toBe(false);
    expect(coerce(cluster, '1', 's')).toBe(1);
    expect(coerce(cluster, 8, 's')).toBe(8);
    expect(() => coerce(cluster, '0', 's')).toThrow("option 'x'");
  });

  it('reads module options as a path or a JSON object', () => {
    const module = option({ type: 'module' });
    expect(coerce(module, './adapter.js', 's')).toBe('./adapter.js');
    expect(coerce(module, '{"a":1}', 's')).toEqual({ a: 1 });
  });

  it('checks URL schemes', () => {
    const url = option({ type: 'url', protocols: ['https:'] });
    expect(coerce(url, 'https://a.example/parse', 's')).toBe('https://a.example/parse');
    expect(() => coerce(url, 'http://a.example', 's')).toThrow("option 'x' (s) must be a https:// URL");
  });
});
