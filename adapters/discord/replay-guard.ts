// Discord signs `timestamp + body`, so a captured request verifies again for as long as its timestamp is accepted
// (verify.ts: 5 minutes back, a little ahead). Each interaction id is therefore answered once: ids are remembered
// for that window, in a cache bounded by entries and bytes (at Discord's own rates it never fills; if a flood
// ever did, the oldest ids go first and the signature check still stands).
import { createBoundedCache } from '../../src/bounded-cache.ts';
import { MAX_AGE_MS, MAX_FUTURE_MS } from './verify.ts';

export type ReplayGuard = {
  /** True the first time an id is seen within the window; false for a replay. */
  firstTime(interactionId: string): boolean;
};

const MAX_IDS = 100_000;
const MAX_BYTES = 16 * 1024 * 1024;

export function createReplayGuard(options: { now?: () => number; maxIds?: number } = {}): ReplayGuard {
  const seen = createBoundedCache<true>({
    maxEntries: options.maxIds ?? MAX_IDS,
    maxBytes: MAX_BYTES,
    ttlMs: MAX_AGE_MS + MAX_FUTURE_MS,
    now: options.now,
  });
  return {
    firstTime(interactionId) {
      if (seen.get(interactionId)) return false;
      seen.set(interactionId, true);
      return true;
    },
  };
}
