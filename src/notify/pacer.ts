// Spaces requests evenly at a given rate. A burst limiter ("50 now, then wait a second") meets a fixed window but
// not a sliding one; evenly spaced requests stay under the limit however the platform counts the second.

export type Pacer = () => Promise<void>;

export function createPacer(perSecond: number, now: () => number = Date.now): Pacer {
  const interval = 1000 / perSecond;
  let next = 0;
  return async () => {
    const at = now();
    const slot = Math.max(at, next);
    next = slot + interval;
    if (slot > at) await new Promise((resolve) => setTimeout(resolve, slot - at));
  };
}
