// Runs the evaluator in `serve`: a tick at every whole multiple of the interval, never two at once. A tick that
// comes while the previous one still runs is skipped and counted (incident_cards_alert_ticks_total{outcome=
// "skipped"}); the next one catches up, since each (rule, project) remembers its last processed tick.
import type { Logger } from '../log.ts';
import type { AlertEvaluator } from './alert-evaluator.ts';
import type { Lease } from './lease.ts';
import type { AlertingMetrics } from './metrics.ts';
import { delayToNextTick } from './ticks.ts';

export type SchedulerOptions = {
  evaluator: Pick<AlertEvaluator, 'evaluate' | 'intervalMs'>;
  lease: Pick<Lease, 'renew' | 'release'>;
  metrics: AlertingMetrics;
  logger: Logger;
  now?: () => number;
};

export type Scheduler = { stop(): Promise<void> };
export type SchedulerResult = { ok: true; scheduler: Scheduler } | { ok: false; reason: string };

export async function startAlertScheduler(options: SchedulerOptions): Promise<SchedulerResult> {
  const { evaluator, lease, metrics, logger } = options;
  const now = options.now ?? Date.now;
  const interval = evaluator.intervalMs;
  const first = await lease.renew(now());
  if (!first.ok) return first;

  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | null = null;
  let stopped = false;

  const schedule = (delay: number) => {
    if (!stopped) timer = setTimeout(fire, delay);
  };

  function fire() {
    // A timer may fire a millisecond before its boundary as well as after: the tick is the nearest boundary,
    // and the next timer aims at the boundary after it (never at the same one again).
    const tick = Math.round(now() / interval) * interval;
    schedule(Math.max(0, tick + interval - now()));
    if (running) {
      metrics.ticks.inc({ outcome: 'skipped' });
      logger.warn(
        { tick: new Date(tick).toISOString() },
        'alert tick skipped: the previous one is still running',
      );
      return;
    }
    running = runTick(tick).finally(() => {
      running = null;
    });
  }

  async function runTick(tick: number) {
    const started = performance.now();
    try {
      const held = await lease.renew(now());
      if (!held.ok) {
        metrics.ticks.inc({ outcome: 'failed' });
        logger.error({ reason: held.reason }, 'alert tick not run: lease lost');
        return;
      }
      const report = await evaluator.evaluate(tick);
      for (const r of report.reports) {
        metrics.evaluations.inc({ outcome: 'evaluated' }, r.evaluated);
        metrics.evaluations.inc({ outcome: 'skipped' }, r.skipped);
        metrics.evaluations.inc({ outcome: 'failed' }, r.failed);
      }
      for (const change of report.changes) metrics.incidentChanges.inc({ kind: change.kind });
      metrics.ticks.inc({ outcome: 'ok' });
      const seconds = (performance.now() - started) / 1000;
      metrics.tickSeconds.observe(seconds);
      if (report.changes.length > 0 || seconds > interval / 2000) {
        logger.info(
          { tick: new Date(tick).toISOString(), seconds, changes: report.changes.length },
          'alert tick evaluated',
        );
      }
    } catch (error) {
      metrics.ticks.inc({ outcome: 'failed' });
      logger.error({ err: error, tick: new Date(tick).toISOString() }, 'alert tick failed');
    }
  }

  schedule(delayToNextTick(now(), interval));
  return {
    ok: true,
    scheduler: {
      async stop() {
        stopped = true;
        clearTimeout(timer);
        await running;
        await lease.release().catch(() => undefined);
      },
    },
  };
}
