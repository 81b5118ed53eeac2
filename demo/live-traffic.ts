// Live demo traffic for `serve` on the demo store: a steady trickle of checkout errors with a spike every 15
// minutes, and an alert rule that watches them, so a newcomer sees an incident open, escalate, de-escalate and
// resolve within a few minutes of `npm start`.
import type { EventRow } from '../src/query/backend.ts';
import { importDataset } from '../src/store/import/import.ts';
import type { Store } from '../src/store/store.ts';
import { ORGS } from './catalog.ts';

const MINUTE = 60_000;
/** Longer than Sentry's 10-minute rate limit plus the spike, so every spike opens a new incident. */
const CYCLE_MS = 15 * MINUTE;
const SLICE_MS = 5_000;

/** Errors per minute by minute of the cycle: warning above 20, critical above 40, resolved below 5. */
const RATE_PER_MINUTE = [2, 30, 60, 60, 30, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2];

export const LIVE_DEMO_RULE = {
  id: 990,
  organizationId: 'acme',
  name: 'Live demo: card payments failing',
  dataset: 'events',
  aggregate: 'count()',
  query: 'level:error demo.live:yes',
  environment: 'production',
  timeWindow: 60,
  projects: [11],
  thresholdType: 'above',
  resolveThreshold: 5,
  thresholdPeriod: 1,
  triggers: [
    { id: 9901, label: 'critical', alertThreshold: 40 },
    { id: 9902, label: 'warning', alertThreshold: 20 },
  ],
} as const;

/** The demo store is the one holding the demo's organizations (loaded now or on an earlier start). */
export function isDemoStore(store: Store): boolean {
  return ORGS.every((org) => store.repository.findOrganization(org.id)?.name === org.name);
}

export type LiveTraffic = { stop(): void };

/** Adds the watching rule, then writes each 5-second slice of traffic as it passes. */
export async function startLiveTraffic(
  store: Store,
  options: { now?: () => number; onError?: (error: unknown) => void } = {},
): Promise<LiveTraffic> {
  const now = options.now ?? Date.now;
  const imported = await importDataset(store, { version: 1, alertRules: [LIVE_DEMO_RULE] }, 'live demo rule');
  if (!imported.ok) throw new Error(imported.errors.map((e) => e.reason).join('; '));
  // The cycle starts on the minute, one quiet minute before the first spike.
  const cycleStart = Math.floor(now() / MINUTE) * MINUTE;
  let written = now();
  let sequence = 0;
  const timer = setInterval(() => {
    const until = now();
    const rows = liveEvents(written, until, cycleStart, () => sequence++);
    written = until;
    if (rows.length > 0) store.backend.writeEvents(rows).catch((error) => options.onError?.(error));
  }, SLICE_MS);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}

/** The events of [from, to): evenly spaced at the rate of the minute each falls in. */
export function liveEvents(from: number, to: number, cycleStart: number, next: () => number): EventRow[] {
  const rows: EventRow[] = [];
  for (let minute = Math.floor(from / MINUTE) * MINUTE; minute < to; minute += MINUTE) {
    const rate =
      RATE_PER_MINUTE[Math.floor(((((minute - cycleStart) % CYCLE_MS) + CYCLE_MS) % CYCLE_MS) / MINUTE)]!;
    for (let i = 0; i < rate; i++) {
      const timestamp = minute + Math.floor((i * MINUTE) / rate);
      if (timestamp < from || timestamp >= to) continue;
      const n = next();
      rows.push({
        id: `live-${timestamp}-${n}`,
        timestamp,
        projectId: 11,
        eventType: 'error',
        environment: 'production',
        level: 'error',
        message: 'PaymentDeclinedError: card processor timed out',
        user: `u-${(n * 7919) % 20_000}`,
        release: null,
        transaction: '/checkout/pay',
        duration: null,
        status: null,
        tags: { 'demo.live': 'yes' },
      });
    }
  }
  return rows;
}
