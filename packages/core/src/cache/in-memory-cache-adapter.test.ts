import { afterEach, describe, expect, it, vi } from 'vitest';
import { InMemoryCacheAdapter } from './in-memory-cache-adapter.js';

afterEach(() => {
  vi.useRealTimers();
});

describe('InMemoryCacheAdapter', () => {
  it('answers what was set, until it is deleted or cleared', async () => {
    const cache = new InMemoryCacheAdapter();
    await cache.set('a', { n: 1 });
    await cache.set('b', 'two');
    expect(await cache.get('a')).toEqual({ n: 1 });
    expect(cache.getSync('b')).toBe('two');
    await cache.delete('a');
    expect(await cache.get('a')).toBeUndefined();
    await cache.clear();
    expect(await cache.get('b')).toBeUndefined();
  });

  it('forgets an entry after its time to live; 0 keeps it', async () => {
    vi.useFakeTimers({ now: 1_000_000 });
    const cache = new InMemoryCacheAdapter({ ttlMs: 5000 });
    await cache.set('default', 1);
    await cache.set('short', 2, 100);
    await cache.set('forever', 3, 0);
    vi.setSystemTime(1_000_099);
    expect(cache.getSync('short')).toBe(2);
    vi.setSystemTime(1_000_100);
    expect(cache.getSync('short')).toBeUndefined();
    expect(cache.getSync('default')).toBe(1);
    vi.setSystemTime(1_005_000);
    expect(cache.getSync('default')).toBeUndefined();
    vi.setSystemTime(9_000_000_000);
    expect(cache.getSync('forever')).toBe(3);
  });

  it('evicts the least recently used entry; an entry read often stays', async () => {
    const cache = new InMemoryCacheAdapter({ maxSize: 8 });
    await cache.set('hot', 'kept');
    for (let i = 0; i < 100; i++) {
      expect(cache.getSync('hot')).toBe('kept');
      await cache.set(`cold${i}`, i);
    }
    expect(cache.getSync('hot')).toBe('kept');
    // Only the newest entries are left besides it.
    expect(cache.getSync('cold0')).toBeUndefined();
    expect(cache.getSync('cold90')).toBeUndefined();
    expect(cache.getSync('cold99')).toBe(99);
    let held = 0;
    for (let i = 0; i < 100; i++) if (cache.getSync(`cold${i}`) !== undefined) held++;
    expect(held).toBe(7);
  });

  it('evicts in insertion order when nothing is read', async () => {
    const cache = new InMemoryCacheAdapter({ maxSize: 3 });
    for (const key of ['a', 'b', 'c', 'd']) await cache.set(key, key);
    expect(cache.getSync('a')).toBeUndefined();
    expect([cache.getSync('b'), cache.getSync('c'), cache.getSync('d')]).toEqual(['b', 'c', 'd']);
  });

  it('refuses a size or time to live that cannot work', () => {
    expect(() => new InMemoryCacheAdapter({ maxSize: 0 })).toThrow(RangeError);
    expect(() => new InMemoryCacheAdapter({ maxSize: 1.5 })).toThrow(RangeError);
    expect(() => new InMemoryCacheAdapter({ ttlMs: -1 })).toThrow(RangeError);
  });
});
