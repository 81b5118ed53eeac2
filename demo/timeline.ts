// Walks the demo period in timestamp order: each hour's normal rows get random times and are sorted, then
// merged with the (already sorted) anomaly rows. A cursor rather than objects per row keeps 1M rows cheap.
import type { Injection } from './anomalies.ts';
import type { Random } from './random.ts';

const HOUR = 3_600_000;
/** Sort keys pack `offset in hour * ORG_SLOTS + org`, so one numeric sort orders a whole hour. */
const ORG_SLOTS = 8;

export type InjectedRow = { time: number; injection: Injection; ordinal: number };

/** The anomaly rows of `kind`s inside `[start, end)`, in time order. */
export function injectedRows(
  injections: readonly Injection[],
  kinds: readonly Injection['kind'][],
  start: number,
  end: number,
): InjectedRow[] {
  const rows: InjectedRow[] = [];
  for (const injection of injections) {
    if (!kinds.includes(injection.kind)) continue;
    const step = (injection.to - injection.from) / injection.count;
    for (let ordinal = 0; ordinal < injection.count; ordinal++) {
      const time = injection.from + Math.floor((ordinal + 0.5) * step);
      if (time >= start && time < end) rows.push({ time, injection, ordinal });
    }
  }
  return rows.sort((a, b) => a.time - b.time);
}

export class Timeline {
  /** Timestamp of the current row (epoch ms). */
  time = 0;
  /** The organization index of a normal row, or -1. */
  org = -1;
  /** The anomaly row, or null. */
  injected: InjectedRow | null = null;

  private hour = -1;
  private readonly keys: Float64Array;
  private length = 0;
  private index = 0;
  private nextInjected = 0;

  /** `counts[org * hours + hour]`: normal rows per organization and hour. */
  constructor(
    private readonly start: number,
    private readonly hours: number,
    private readonly counts: Int32Array,
    private readonly anomalyRows: readonly InjectedRow[],
    private readonly random: Random,
  ) {
    const orgs = counts.length / hours;
    if (orgs > ORG_SLOTS) throw new Error(`the demo timeline holds at most ${ORG_SLOTS} organizations`);
    let busiest = 0;
    for (let h = 0; h < hours; h++) {
      let sum = 0;
      for (let o = 0; o < orgs; o++) sum += counts[o * hours + h]!;
      busiest = Math.max(busiest, sum);
    }
    this.keys = new Float64Array(busiest);
  }

  /** Moves to the next row; false at the end. */
  advance(): boolean {
    for (;;) {
      if (this.index >= this.length && this.hour < this.hours - 1) {
        this.loadHour(this.hour + 1);
        continue;
      }
      const key = this.index < this.length ? this.keys[this.index]! : -1;
      const offset = Math.floor(key / ORG_SLOTS);
      const normalTime = key < 0 ? Number.POSITIVE_INFINITY : this.start + this.hour * HOUR + offset;
      const injected = this.anomalyRows[this.nextInjected];
      if (injected && injected.time <= normalTime) {
        this.nextInjected++;
        this.time = injected.time;
        this.org = -1;
        this.injected = injected;
        return true;
      }
      if (key < 0) return false;
      this.index++;
      this.time = normalTime;
      this.org = key - offset * ORG_SLOTS;
      this.injected = null;
      return true;
    }
  }

  private loadHour(hour: number): void {
    this.hour = hour;
    const orgs = this.counts.length / this.hours;
    let length = 0;
    for (let o = 0; o < orgs; o++) {
      const count = this.counts[o * this.hours + hour]!;
      for (let i = 0; i < count; i++)
        this.keys[length++] = Math.floor(this.random.next() * HOUR) * ORG_SLOTS + o;
    }
    this.keys.subarray(0, length).sort();
    this.length = length;
    this.index = 0;
  }
}
