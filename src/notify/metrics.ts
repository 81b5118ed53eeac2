// The outbox on /metrics: jobs sent, failed, retried, pending, and the time from commit to delivery.
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { NotificationStore } from './store.ts';

export type NotifyMetrics = ReturnType<typeof createNotifyMetrics>;

export function createNotifyMetrics(registry: Registry, store: NotificationStore) {
  return {
    sent: new Counter({
      name: 'incident_cards_notifications_sent_total',
      help: 'Notification jobs delivered (card posted or edited, reply sent)',
      labelNames: ['platform'] as const,
      registers: [registry],
    }),
    failed: new Counter({
      name: 'incident_cards_notifications_failed_total',
      help: 'Notification jobs given up: permanent failures (channel gone) and jobs out of attempts',
      labelNames: ['platform', 'reason'] as const,
      registers: [registry],
    }),
    retried: new Counter({
      name: 'incident_cards_notifications_retried_total',
      help: 'Delivery attempts that will be tried again (429, 5xx, network), including rate-limit waits',
      labelNames: ['platform'] as const,
      registers: [registry],
    }),
    pending: new Gauge({
      name: 'incident_cards_notifications_pending',
      help: 'Notification jobs waiting in the outbox',
      registers: [registry],
      async collect() {
        this.set((await store.counts()).pending);
      },
    }),
    latency: new Histogram({
      name: 'incident_cards_notification_latency_seconds',
      help: 'From the change committed (job written) to the platform accepting the card',
      labelNames: ['platform'] as const,
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300],
      registers: [registry],
    }),
  };
}
