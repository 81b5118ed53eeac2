// Spaces requests evenly at a given rate. A burst limiter ("50 now, then wait a second") meets a fixed window but
// not a sliding one; evenly spaced requests stay under the limit however the platform counts the second.
// Spacing is measured between the moments callers are actually let through (not planned in advance), so a
// busy event loop that wakes one caller late cannot release it together with the next one.

export type Pacer = () => Promise<void>;

export function createPacer(perSecond: number, now: () => number = Date.now): Pacer {
  const interval = 1000 / perSecond;
  let last = Number.NEGATIVE_INFINITY;
  let queue: Promise<void> = Promise.resolve();
  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
  return () => {
    const turn = queue.then(async () => {
      for (let wait = last + interval - now(); wait > 0; wait = last + interval - now()) await sleep(wait);
      last = now();
    });
    queue = turn;
    return turn;
  };
}
