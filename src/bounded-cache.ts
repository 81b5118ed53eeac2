// A map with a time limit per entry and two bounds, entries and bytes: what every in-memory cache in the server
// uses, so no sequence of unique requests can grow memory without limit. Entries are kept in insertion order;
// with one time-to-live per cache that is also expiry order, so expired entries are swept from the front in
// amortized O(1) on every write, and when a bound is reached the oldest entries go first.
import { createHash } from 'node:crypto';

export type BoundedCacheOptions<V> = {
  maxEntries: number;
  /** Budget for keys and values together, as estimated by `sizeOf` (plus the key's length). */
  maxBytes: number;
  /** Time to live of an entry in ms; Infinity keeps entries until a bound pushes them out. */
  ttlMs: number;
  sizeOf?: (value: V) => number;
  now?: () => number;
};

export type BoundedCache<V> = {
  get(key: string): V | undefined;
  set(key: string, value: V, ttlMs?: number): void;
  delete(key: string): void;
  readonly size: number;
  readonly bytes: number;
};

type Entry<V> = { value: V; expires: number; bytes: number };

/** Rough cost of a value held in memory, for values without a better estimate. */
const ENTRY_OVERHEAD = 64;

export function createBoundedCache<V>(options: BoundedCacheOptions<V>): BoundedCache<V> {
  const now = options.now ?? Date.now;
  const sizeOf = options.sizeOf ?? (() => ENTRY_OVERHEAD);
  const entries = new Map<string, Entry<V>>();
  let bytes = 0;

  function remove(key: string, entry: Entry<V>) {
    entries.delete(key);
    bytes -= entry.bytes;
  }

  function sweep(at: number) {
    for (const [key, entry] of entries) {
      if (entry.expires > at) break;
      remove(key, entry);
    }
  }

  return {
    get(key) {
      const entry = entries.get(key);
      if (!entry) return undefined;
      if (entry.expires > now()) return entry.value;
      remove(key, entry);
      return undefined;
    },
    set(key, value, ttlMs = options.ttlMs) {
      const at = now();
      const old = entries.get(key);
      if (old) remove(key, old);
      const size = key.length * 2 + sizeOf(value) + ENTRY_OVERHEAD;
      if (size > options.maxBytes) return;
      sweep(at);
      for (const [oldest, entry] of entries) {
        if (entries.size < options.maxEntries && bytes + size <= options.maxBytes) break;
        remove(oldest, entry);
      }
      entries.set(key, { value, expires: at + ttlMs, bytes: size });
      bytes += size;
    },
    delete(key) {
      const entry = entries.get(key);
      if (entry) remove(key, entry);
    },
    get size() {
      return entries.size;
    },
    get bytes() {
      return bytes;
    },
  };
}

/** Keys stay small: a long text (a rule's query, a token) is replaced by its SHA-256. */
export function compactKey(text: string, limit = 128): string {
  return text.length <= limit ? text : `#${createHash('sha256').update(text).digest('base64url')}`;
}
