// The serve loop: aligned ticks, no overlap (skips counted), one evaluator per store.
import { Registry } from 'prom-client';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { RunReport } from '../../src/alerting/alert-evaluator.ts';
import { createLease } from '../../src/alerting/lease.ts';
import { createAlertingMetrics } from '../../src/alerting/metrics.ts';
import { startAlertScheduler } from '../../src/alerting/scheduler.ts';
import { createLogger } from '../../src/log.ts';
import { createTestApp } from '../support/test-app.ts';

const MINUTE = 60_000;
const T0 = Date.parse('2026-12-01T12:00:00Z');
const EMPTY: RunReport = { ticks: 1, incidents: [], changes: [], reports: [] };
const lease = { renew: async () => ({ ok: true }) as const, release: async () => undefined };

afterEach(() => {
  vi.useRealTimers();
});

async function skipped(registry: Registry) {
  const metric = await registry.getSingleMetric('incident_cards_alert_ticks_total')!.get();
  return Object.fromEntries(metric.values.map((v) => [v.labels.outcome, v.value]));
}

describe('the alert scheduler', () => {
  it('evaluates at whole multiples of the interval, never overlapping; a tick during a slow one is skipped', async () => {
    vi.useFakeTimers({ now: T0 + 17_000 });
    const ticks: number[] = [];
    let finish: (() => void) | undefined;
    const evaluator = {
      intervalMs: MINUTE,
      evaluate: (tick: number) => {
        ticks.push(tick);
        // The first tick takes two and a half intervals.
        if (ticks.length === 1) return new Promise<RunReport>((resolve) => (finish = () => resolve(EMPTY)));
        return Promise.resolve(EMPTY);
      },
    };
    const registry = new Registry();
    const started = await startAlertScheduler({
      evaluator,
      lease,
      metrics: createAlertingMetrics(registry),
      logger: createLogger('silent'),
    });
    if (!started.ok) throw new Error(started.reason);
    await vi.advanceTimersByTimeAsync(42_999);
    expect(ticks).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(ticks).toEqual([T0 + MINUTE]);
    await vi.advanceTimersByTimeAsync(2 * MINUTE);
    expect(ticks).toEqual([T0 + MINUTE]);
    expect(await skipped(registry)).toEqual({ skipped: 2 });
    finish!();
    await vi.advanceTimersByTimeAsync(MINUTE);
    expect(ticks).toEqual([T0 + MINUTE, T0 + 4 * MINUTE]);
    expect(await skipped(registry)).toEqual({ skipped: 2, ok: 2 });
    await started.scheduler.stop();
    await vi.advanceTimersByTimeAsync(5 * MINUTE);
    expect(ticks).toHaveLength(2);
  });
});

describe('one evaluator per store', () => {
  it('refuses a second evaluator in the same process and says why; the first releases it on stop', async () => {
    const test = await createTestApp();
    try {
      const first = createLease(test.store.database, 3 * MINUTE);
      const second = createLease(test.store.database, 3 * MINUTE);
      expect(await first.renew(T0)).toEqual({ ok: true });
      const refused = await second.renew(T0 + 1_000);
      expect(refused).toEqual({
        ok: false,
        reason: `another alert evaluator in this process holds the store until ${new Date(T0 + 3 * MINUTE).toISOString()}`,
      });
      await first.release();
      expect(await second.renew(T0 + 2_000)).toEqual({ ok: true });
      // A lease that lapsed (its holder stopped renewing) is taken over.
      expect(await first.renew(T0 + 2_000 + 3 * MINUTE + 1)).toEqual({ ok: true });
    } finally {
      await test.close();
    }
  });
});

describe('timer jitter', () => {
  it('a timer that fires a few milliseconds early still runs its tick once', async () => {
    vi.useFakeTimers({ now: T0 + 30_000 });
    const ticks: number[] = [];
    const evaluator = {
      intervalMs: MINUTE,
      evaluate: (tick: number) => {
        ticks.push(tick);
        return new Promise<RunReport>((resolve) => setTimeout(() => resolve(EMPTY), 10));
      },
    };
    const registry = new Registry();
    // The wall clock runs a little slower than the timers: each timer fires a few ms before its boundary.
    const started = await startAlertScheduler({
      evaluator,
      lease,
      metrics: createAlertingMetrics(registry),
      logger: createLogger('silent'),
      now: () => T0 + 30_000 + (Date.now() - T0 - 30_000) * 0.9999,
    });
    if (!started.ok) throw new Error(started.reason);
    await vi.advanceTimersByTimeAsync(3 * MINUTE);
    expect(ticks).toEqual([T0 + MINUTE, T0 + 2 * MINUTE, T0 + 3 * MINUTE]);
    expect(await skipped(registry)).toEqual({ ok: 3 });
    await started.scheduler.stop();
  });
});
