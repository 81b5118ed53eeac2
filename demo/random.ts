// Seeded randomness for the demo dataset: a small, fast PRNG (sfc32) and the samplers built on it.
// Math.random is never used: one seed must give the same dataset on every machine and every run.

/** Independent sequences drawn from one seed, so adding draws to one part never shifts another. */
export const STREAM = { traffic: 1, scenario: 2, events: 3, sessions: 4 } as const;

export class Random {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number, stream: number) {
    // splitmix32 spreads similar seeds (1, 2, 3...) into unrelated states.
    let state = (Math.trunc(seed) ^ Math.imul(stream, 0x85ebca6b) ^ Math.trunc(seed / 2 ** 32)) | 0;
    const mix = (): number => {
      state = (state + 0x9e3779b9) | 0;
      let z = state;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return (z ^ (z >>> 16)) | 0;
    };
    this.a = mix();
    this.b = mix();
    this.c = mix();
    this.d = 1;
    for (let i = 0; i < 12; i++) this.next();
  }

  /** Uniform in [0, 1). */
  next(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return (t >>> 0) / 4294967296;
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** Standard normal. */
  normal(): number {
    return inverseNormal(this.next());
  }
}

/** Steps of two independent evenly spread sequences (a Kronecker sequence: golden ratio and √2). */
export const SPREAD = { first: 0.6180339887498949, second: Math.SQRT2 - 1 } as const;

/**
 * The `index`-th point of an evenly spread sequence in [0, 1): any run of consecutive indices covers [0, 1)
 * evenly. Anomaly rows use it instead of random draws so a window of them has exactly the intended
 * crash share or latency distribution, and the incident's metric lands where its story says.
 */
export function evenlySpread(index: number, phase: number, step: number = SPREAD.first): number {
  const x = phase + index * step;
  return x - Math.floor(x);
}

// Acklam's rational approximation of the normal quantile function (relative error < 1.2e-9).
const A = [
  -39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716,
  2.506628277459239,
];
const B = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
const C = [
  -0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968,
  2.938163982698783,
];
const D = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];

/** The z with Φ(z) = p, for p in (0, 1); p is clamped away from 0 and 1. */
export function inverseNormal(p: number): number {
  const q0 = Math.min(Math.max(p, 1e-12), 1 - 1e-12);
  if (q0 < 0.02425 || q0 > 0.97575) {
    const tail = q0 < 0.5 ? q0 : 1 - q0;
    const q = Math.sqrt(-2 * Math.log(tail));
    const z =
      (((((C[0]! * q + C[1]!) * q + C[2]!) * q + C[3]!) * q + C[4]!) * q + C[5]!) /
      ((((D[0]! * q + D[1]!) * q + D[2]!) * q + D[3]!) * q + 1);
    return q0 < 0.5 ? z : -z;
  }
  const q = q0 - 0.5;
  const r = q * q;
  return (
    ((((((A[0]! * r + A[1]!) * r + A[2]!) * r + A[3]!) * r + A[4]!) * r + A[5]!) * q) /
    (((((B[0]! * r + B[1]!) * r + B[2]!) * r + B[3]!) * r + B[4]!) * r + 1)
  );
}

/** Picks items with fixed relative weights; the cumulative table is built once. */
export class Picker<T> {
  readonly items: readonly T[];
  private readonly weights: readonly number[];
  private readonly cumulative: Float64Array;
  private readonly total: number;

  constructor(items: readonly T[], weights: readonly number[]) {
    if (items.length === 0 || items.length !== weights.length)
      throw new Error('Picker needs one weight per item');
    this.items = items;
    this.weights = weights;
    this.cumulative = new Float64Array(items.length);
    let sum = 0;
    weights.forEach((weight, i) => {
      sum += weight;
      this.cumulative[i] = sum;
    });
    if (!(sum > 0)) throw new Error('Picker needs a positive total weight');
    this.total = sum;
  }

  static of<T extends { weight: number }>(items: readonly T[]): Picker<T> {
    return new Picker(
      items,
      items.map((item) => item.weight),
    );
  }

  pick(random: Random): T {
    const x = random.next() * this.total;
    const cumulative = this.cumulative;
    let low = 0;
    let high = cumulative.length - 1;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (cumulative[mid]! > x) high = mid;
      else low = mid + 1;
    }
    return this.items[low]!;
  }

  /** The probability of picking an item that passes `keep`. */
  share(keep: (item: T) => boolean): number {
    let sum = 0;
    this.items.forEach((item, i) => {
      if (keep(item)) sum += this.weights[i]!;
    });
    return sum / this.total;
  }

  /** The items that pass `keep`, with their original weights. */
  filter(keep: (item: T) => boolean): Picker<T> {
    const indices = this.items.flatMap((item, i) => (keep(item) ? [i] : []));
    return new Picker(
      indices.map((i) => this.items[i]!),
      indices.map((i) => this.weights[i]!),
    );
  }
}
