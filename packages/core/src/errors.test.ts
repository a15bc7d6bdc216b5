import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { isParseError, ParseError, ParseErrorCode } from './errors.js';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
const rows = [...readme.matchAll(/^\|\s*(-?\d+)\s*\|\s*`([A-Z_]+)`\s*\|/gm)].map((match) => ({
  code: Number(match[1]),
  name: match[2] as string,
}));

describe('ParseErrorCode', () => {
  it('README error table rows name existing constants with the same code', () => {
    expect(rows.length).toBeGreaterThan(90);
    for (const row of rows) {
      expect(ParseErrorCode[row.name as keyof typeof ParseErrorCode], row.name).toBe(row.code);
    }
  });

  it('every constant appears in the README error table', () => {
    const documented = new Set(rows.map((row) => row.name));
    const missing = Object.keys(ParseErrorCode).filter((name) => !documented.has(name));
    expect(missing).toEqual([]);
  });
});

describe('ParseError', () => {
  it('serialises as { code, error } and keeps its cause', () => {
    const cause = new Error('driver said no');
    const error = new ParseError(ParseErrorCode.DUPLICATE_VALUE, 'taken', { cause });
    expect(JSON.parse(JSON.stringify(error))).toEqual({ code: 137, error: 'taken' });
    expect(error.cause).toBe(cause);
    expect(isParseError(error)).toBe(true);
    expect(isParseError(new Error('x'))).toBe(false);
  });
});
