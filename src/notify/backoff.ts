// When a failed delivery is tried again: exponential from `baseMs`, capped, with jitter so that a platform
// coming back from an outage is not hit by every job at the same instant; never sooner than its Retry-After.

export type BackoffPolicy = { baseMs: number; maxMs: number; maxAttempts: number };

export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 1_000, maxMs: 300_000, maxAttempts: 30 };

export function retryDelayMs(
  policy: BackoffPolicy,
  attempts: number,
  retryAfterMs: number | undefined,
  random: () => number = Math.random,
): number {
  const exponential = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.min(attempts, 30));
  const jittered = exponential * (0.8 + 0.4 * random());
  return Math.max(Math.round(jittered), retryAfterMs ?? 0);
}
