import { describe, expect, it } from 'vitest';
import { newObjectId } from './object-id.js';

describe('newObjectId', () => {
  it('makes alphanumeric ids of the asked length, without repeats across many pool refills', () => {
    const ids = new Set<string>();
    for (let i = 0; i < 20_000; i++) {
      const id = newObjectId();
      expect(id).toMatch(/^[A-Za-z0-9]{10}$/);
      ids.add(id);
    }
    expect(ids.size).toBe(20_000);
    expect(newObjectId(25)).toMatch(/^[A-Za-z0-9]{25}$/);
  });

  it('uses every character about equally often', () => {
    const counts = new Map<string, number>();
    const ids = 20_000;
    for (let i = 0; i < ids; i++)
      for (const char of newObjectId()) counts.set(char, (counts.get(char) ?? 0) + 1);
    expect(counts.size).toBe(62);
    const expected = (ids * 10) / 62;
    for (const count of counts.values()) expect(Math.abs(count - expected) / expected).toBeLessThan(0.1);
  });
});
