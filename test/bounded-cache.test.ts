// The bounded cache: expired entries leave on the next write, and neither bound can be exceeded.
import { describe, expect, it } from 'vitest';
import { compactKey, createBoundedCache } from '../src/bounded-cache.ts';

function clock(start = 0) {
  let now = start;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

describe('bounded cache', () => {
  it('answers until the time to live passes, then forgets', () => {
    const time = clock();
    const cache = createBoundedCache<number>({ maxEntries: 10, maxBytes: 10_000, ttlMs: 100, now: time.now });
    cache.set('a', 1);
    time.advance(99);
    expect(cache.get('a')).toBe(1);
    time.advance(1);
    expect(cache.get('a')).toBeUndefined();
  });

  it('sweeps expired entries on write, so unique keys do not accumulate', () => {
    const time = clock();
    const cache = createBoundedCache<number>({
      maxEntries: 1_000_000,
      maxBytes: 1e9,
      ttlMs: 50,
      now: time.now,
    });
    for (let i = 0; i < 10_000; i++) {
      cache.set(`key-${i}`, i);
      time.advance(1);
    }
    expect(cache.size).toBeLessThanOrEqual(51);
  });

  it('keeps at most maxEntries, dropping the oldest', () => {
    const cache = createBoundedCache<number>({
      maxEntries: 3,
      maxBytes: 1e9,
      ttlMs: Number.POSITIVE_INFINITY,
    });
    for (const key of ['a', 'b', 'c', 'd']) cache.set(key, 1);
    expect(cache.size).toBe(3);
    expect(cache.get('a')).toBeUndefined();
    expect(cache.get('d')).toBe(1);
  });

  it('keeps within maxBytes, counting keys and values', () => {
    const cache = createBoundedCache<string>({
      maxEntries: 1_000,
      maxBytes: 10_000,
      ttlMs: Number.POSITIVE_INFINITY,
      sizeOf: (value) => value.length * 2,
    });
    for (let i = 0; i < 100; i++) cache.set(`k${i}`, 'x'.repeat(500));
    expect(cache.bytes).toBeLessThanOrEqual(10_000);
    expect(cache.size).toBeGreaterThan(0);
    cache.set('huge', 'x'.repeat(100_000));
    expect(cache.get('huge')).toBeUndefined();
    expect(cache.bytes).toBeLessThanOrEqual(10_000);
  });

  it('replacing a key does not count it twice', () => {
    const cache = createBoundedCache<number>({ maxEntries: 10, maxBytes: 10_000, ttlMs: 1_000 });
    cache.set('a', 1);
    const bytes = cache.bytes;
    cache.set('a', 2);
    expect(cache.bytes).toBe(bytes);
    expect(cache.get('a')).toBe(2);
  });
});

describe('compactKey', () => {
  it('keeps short keys and hashes long ones to a fixed size', () => {
    expect(compactKey('short')).toBe('short');
    const long = compactKey('q'.repeat(10_000));
    expect(long.length).toBeLessThan(64);
    expect(compactKey('q'.repeat(10_000))).toBe(long);
    expect(compactKey(`${'q'.repeat(9_999)}r`)).not.toBe(long);
  });
});
