import { describe, expect, it } from 'vitest';
import { toPostgresRegex } from './regex.js';

describe('toPostgresRegex', () => {
  it('turns \\Q…\\E quoting into escaped literal text', () => {
    expect(toPostgresRegex('^\\Qa.b(c)\\E', '').pattern).toBe('(?p)^a\\.b\\(c\\)');
    expect(toPostgresRegex('\\Qx*', '').pattern).toBe('(?p)x\\*');
  });

  it('maps flags to embedded options and the operator', () => {
    expect(toPostgresRegex('a', 'i')).toEqual({ pattern: '(?p)a', operator: '~*' });
    expect(toPostgresRegex('a', 'm').pattern).toBe('(?n)a');
    expect(toPostgresRegex('a', 's').pattern).toBe('(?s)a');
    expect(toPostgresRegex('a', 'ms').pattern).toBe('(?w)a');
    expect(toPostgresRegex('a', 'x').pattern).toBe('(?px)a');
  });

  it('leaves an escaped \\\\Q alone', () => {
    expect(toPostgresRegex('\\\\Q', '').pattern).toBe('(?p)\\\\Q');
  });

  it('refuses backreferences, which PostgreSQL matches by backtracking', () => {
    expect(() => toPostgresRegex('^(a*)\\1$', '')).toThrow(/backreferences/);
    expect(() => toPostgresRegex('(.)(.)\\2', 'i')).toThrow(/backreferences/);
    // Escaped backslashes, bracket members and quoted text are not backreferences.
    expect(toPostgresRegex('a\\\\1', '').pattern).toBe('(?p)a\\\\1');
    expect(toPostgresRegex('[\\1-9]', '').pattern).toBe('(?p)[\\1-9]');
    expect(toPostgresRegex('\\Q\\1\\E', '').pattern).toBe('(?p)\\\\1');
  });
});
