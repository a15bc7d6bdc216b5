import { describe, expect, it } from 'vitest';
import { resolveRange } from './range.js';

describe('resolveRange', () => {
  it('serves the whole file without a header or with one it does not understand', () => {
    expect(resolveRange(undefined, 10)).toEqual({ kind: 'full' });
    expect(resolveRange('items=0-1', 10)).toEqual({ kind: 'full' });
    expect(resolveRange('bytes=0-1,4-5', 10)).toEqual({ kind: 'full' });
    expect(resolveRange('bytes=-', 10)).toEqual({ kind: 'full' });
    expect(resolveRange('bytes=5-2', 10)).toEqual({ kind: 'full' });
  });

  it('resolves closed, open-ended and suffix ranges, clamped to the size', () => {
    expect(resolveRange('bytes=2-5', 10)).toEqual({ kind: 'partial', range: { start: 2, end: 5 } });
    expect(resolveRange('bytes=2-', 10)).toEqual({ kind: 'partial', range: { start: 2, end: 9 } });
    expect(resolveRange('bytes=-3', 10)).toEqual({ kind: 'partial', range: { start: 7, end: 9 } });
    expect(resolveRange('bytes=-30', 10)).toEqual({ kind: 'partial', range: { start: 0, end: 9 } });
    expect(resolveRange('bytes=8-100', 10)).toEqual({ kind: 'partial', range: { start: 8, end: 9 } });
  });

  it('refuses ranges that start past the end', () => {
    expect(resolveRange('bytes=10-', 10)).toEqual({ kind: 'unsatisfiable' });
    expect(resolveRange('bytes=-0', 10)).toEqual({ kind: 'unsatisfiable' });
    expect(resolveRange('bytes=0-', 0)).toEqual({ kind: 'unsatisfiable' });
  });
});
