// The outbox worker as `serve` runs it: whatever platform senders the adapters offer, the app's store and
// cards, and the outbox counters on /metrics. It runs whether or not incidents are being evaluated.
import type { App } from '../app.ts';
import type { Env } from '../config.ts';
import type { Platform } from '../domain.ts';
import type { Logger } from '../log.ts';
import { findIncidentIn } from './find-incident.ts';
import { createNotifyMetrics } from './metrics.ts';
import type { NotificationSender } from './sender.ts';
import { createNotificationWorker, type NotificationWorker } from './worker.ts';

/** What a platform's notifier may use: its settings section (from the environment) and a logger. */
export type NotifierInput = {
  env: Env;
  logger: Logger;
  /** Counts a platform 429 (the request is retried). */
  onRateLimited(): void;
};

/** What an adapter offers for notifications; null when its platform is not configured (no bot token…). */
export type NotifierFactory = (
  input: NotifierInput,
) => { platform: Platform; sender: NotificationSender } | null;

export function startNotifications(app: App, notifiers: readonly NotifierFactory[]): NotificationWorker {
  const metrics = createNotifyMetrics(app.metrics.registry, app.notifications);
  const logger = app.logger.child({ component: 'notify' });
  const senders: Partial<Record<Platform, NotificationSender>> = {};
  for (const factory of notifiers) {
    const notifier = factory({
      env: app.config.env,
      logger,
      onRateLimited: () => metrics.retried.inc({ platform: 'discord' }),
    });
    if (notifier) senders[notifier.platform] = notifier.sender;
  }
  logger.info({ platforms: Object.keys(senders) }, 'notification worker started');
  const worker = createNotificationWorker({
    store: app.notifications,
    senders,
    cards: app.cards,
    findIncident: findIncidentIn(app.repository),
    logger,
    metrics,
  });
  worker.start();
  return worker;
}
