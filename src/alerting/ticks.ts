// Tick times: whole multiples of the interval since the Unix epoch (docs/alerting.md).

export function floorToTick(time: number, intervalMs: number): number {
  return Math.floor(time / intervalMs) * intervalMs;
}

/** Every tick t with from ≤ t ≤ to, in order. */
export function ticksBetween(from: number, to: number, intervalMs: number): number[] {
  const ticks: number[] = [];
  for (let t = Math.ceil(from / intervalMs) * intervalMs; t <= to; t += intervalMs) ticks.push(t);
  return ticks;
}

/** Milliseconds from `now` to the next tick strictly after it. */
export function delayToNextTick(now: number, intervalMs: number): number {
  return floorToTick(now, intervalMs) + intervalMs - now;
}
