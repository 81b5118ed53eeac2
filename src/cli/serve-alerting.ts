// What `serve` runs beside the HTTP server: the alert evaluator (ALERT_EVAL_INTERVAL_S) and, on the demo store,
// the live demo traffic it watches (DEMO_TRAFFIC).
import { createAlertEvaluator } from '../alerting/alert-evaluator.ts';
import { createLease } from '../alerting/lease.ts';
import { createAlertingMetrics } from '../alerting/metrics.ts';
import { type Scheduler, startAlertScheduler } from '../alerting/scheduler.ts';
import type { App } from '../app.ts';
import type { Store } from '../store/store.ts';
import type { CliIo, DemoTraffic } from './context.ts';

export type LiveAlerting = { stop(): Promise<void> };

export async function startLiveAlerting(
  app: App,
  store: Store,
  io: CliIo,
  demoTraffic: DemoTraffic,
): Promise<LiveAlerting> {
  const log = app.logger.child({ component: 'alerting' });
  const seconds = app.config.alertEvalIntervalS;
  let scheduler: Scheduler | null = null;
  if (seconds > 0) {
    const intervalMs = seconds * 1000;
    const started = await startAlertScheduler({
      evaluator: createAlertEvaluator(app, store.database, intervalMs),
      // Three missed renewals before another evaluator may take over.
      lease: createLease(store.database, 3 * intervalMs + 60_000),
      metrics: createAlertingMetrics(app.metrics.registry),
      logger: log,
    });
    if (started.ok) {
      scheduler = started.scheduler;
      log.info({ intervalSeconds: seconds }, 'alert evaluator running');
    } else {
      // Human banners go to stdout: stderr carries only the JSON log records.
      io.stdout(`alert evaluator not started: ${started.reason}`);
      log.warn({ reason: started.reason }, 'alert evaluator not started');
    }
  }
  let traffic: { stop(): void } | null = null;
  const wanted = app.config.demoTraffic;
  if (wanted === 'on' || (wanted === 'auto' && demoTraffic.isDemoStore(store))) {
    traffic = await demoTraffic.start(store, {
      onError: (error) => log.warn({ err: error }, 'live demo traffic not written'),
    });
    io.stdout(
      seconds > 0
        ? 'live demo traffic on: "Live demo: card payments failing" opens an incident about 2 minutes from now and every 15 minutes'
        : 'live demo traffic on (the alert evaluator is off: ALERT_EVAL_INTERVAL_S=0)',
    );
  }
  return {
    async stop() {
      traffic?.stop();
      await scheduler?.stop();
    },
  };
}
