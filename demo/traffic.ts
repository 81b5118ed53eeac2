// Diurnal traffic: how many rows each organization produces in each hour. Busy afternoons and quiet nights
// in the organization's own time zone, calmer weekends, a little hour-to-hour noise.
import type { Random } from './random.ts';
import type { World } from './world.ts';

const HOUR = 3_600_000;

/** A smooth bump centred on `center` o'clock; distances wrap around midnight. */
function bump(hour: number, center: number, width: number): number {
  const d = Math.min(Math.abs(hour - center), 24 - Math.abs(hour - center));
  return Math.exp(-0.5 * (d / width) ** 2);
}

/** Relative traffic at a local hour (fractional) of a weekday or weekend day. */
export function diurnal(localHour: number, weekend: boolean): number {
  if (weekend) return 0.1 + 0.45 * bump(localHour, 13, 4) + 0.3 * bump(localHour, 20.5, 2.5);
  return (
    0.1 + 0.35 * bump(localHour, 9.5, 2) + 1 * bump(localHour, 14.5, 3.2) + 0.45 * bump(localHour, 20.5, 2)
  );
}

/**
 * Share of all rows per (organization, hour), flattened as `org * hours + hour`; the shares sum to 1.
 * Events and sessions follow the same curve.
 */
export function trafficShares(world: World, start: number, hours: number, random: Random): Float64Array {
  const shares = new Float64Array(world.orgs.length * hours);
  let total = 0;
  for (const org of world.orgs) {
    const offset = org.spec.utcOffsetHours * HOUR;
    for (let h = 0; h < hours; h++) {
      const local = new Date(start + h * HOUR + HOUR / 2 + offset);
      const day = local.getUTCDay();
      const localHour = local.getUTCHours() + local.getUTCMinutes() / 60;
      const noise = 0.92 + 0.16 * random.next();
      const share = org.spec.weight * diurnal(localHour, day === 0 || day === 6) * noise;
      shares[org.index * hours + h] = share;
      total += share;
    }
  }
  for (let i = 0; i < shares.length; i++) shares[i] = shares[i]! / total;
  return shares;
}

/** The largest hourly share of one organization: its busiest hour. */
export function peakShare(shares: Float64Array, orgIndex: number, hours: number): number {
  let peak = 0;
  for (let h = 0; h < hours; h++) peak = Math.max(peak, shares[orgIndex * hours + h]!);
  return peak;
}

/** Splits `total` rows by the shares into whole counts that add up to exactly `total`. */
export function allocate(shares: Float64Array, total: number): Int32Array {
  const counts = new Int32Array(shares.length);
  let cumulative = 0;
  let assigned = 0;
  for (let i = 0; i < shares.length; i++) {
    cumulative += shares[i]! * total;
    const upTo = i === shares.length - 1 ? total : Math.round(cumulative);
    counts[i] = upTo - assigned;
    assigned = upTo;
  }
  return counts;
}
