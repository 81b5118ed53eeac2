// A real App on a temporary DuckDB file, the notification store on the same file, and the outbox worker with
// the real Discord sender (@discordjs/rest) against the loopback Discord fake.
import { discordSettings } from '../../adapters/discord/config.ts';
import { createDiscordSender, type DiscordSenderOptions } from '../../adapters/discord/deliver.ts';
import type { IncidentChange } from '../../src/lifecycle/change.ts';
import { createLogger } from '../../src/log.ts';
import { createDuckDbNotificationStore } from '../../src/notify/duckdb-store.ts';
import { enqueueNotifications } from '../../src/notify/enqueue.ts';
import { createNotifyMetrics } from '../../src/notify/metrics.ts';
import type { NotificationSender } from '../../src/notify/sender.ts';
import type { NotificationStore } from '../../src/notify/store.ts';
import {
  createNotificationWorker,
  type NotificationWorker,
  type WorkerDeps,
} from '../../src/notify/worker.ts';
import { findIncidentIn } from '../../src/notify/find-incident.ts';
import { CHANNEL, CHECKOUT_RULE_ID, NOW, notifyDataset } from '../fixtures/notify/dataset.ts';
import { type FakeDiscordChannels, startFakeDiscordChannels } from '../support/fake-discord-channels.ts';
import { createTestApp, type TestApp } from '../support/test-app.ts';

export const BOT_TOKEN = 'test-bot-token';

export type DiscordNotifyHarness = {
  testApp: TestApp;
  fake: FakeDiscordChannels;
  store: NotificationStore;
  metrics: ReturnType<typeof createNotifyMetrics>;
  sender: NotificationSender;
  /** Writes the jobs of `changes` in a transaction of its own, as the incident store's hook does. */
  commit(changes: IncidentChange[]): Promise<number>;
  worker(overrides?: Partial<WorkerDeps>): NotificationWorker;
  close(): Promise<void>;
};

export async function startDiscordNotifyHarness(
  options: {
    incidents?: number;
    rulePerIncident?: boolean;
    channels?: string[];
    globalPerSecond?: number;
    sender?: DiscordSenderOptions;
  } = {},
): Promise<DiscordNotifyHarness> {
  const fake = await startFakeDiscordChannels({
    channels: options.channels ?? [CHANNEL],
    globalPerSecond: options.globalPerSecond,
  });
  const testApp = await createTestApp({
    dataset: notifyDataset(options.incidents, { rulePerIncident: options.rulePerIncident }),
    now: () => NOW,
    env: { DISCORD_BOT_TOKEN: BOT_TOKEN, DISCORD_API_BASE_URL: fake.baseUrl },
  });
  const { database } = testApp.store;
  const store = await createDuckDbNotificationStore(database);
  const metrics = createNotifyMetrics(testApp.app.metrics.registry, store);
  const sender = createDiscordSender(discordSettings(testApp.app.config.env), {
    onRateLimited: () => metrics.retried.inc({ platform: 'discord' }),
    ...options.sender,
  });
  const workers: NotificationWorker[] = [];
  return {
    testApp,
    fake,
    store,
    metrics,
    sender,
    async commit(changes) {
      const connection = await database.dedicatedConnection();
      try {
        await connection.run('BEGIN TRANSACTION');
        const written = await enqueueNotifications(connection, changes);
        await connection.run('COMMIT');
        return written;
      } finally {
        connection.closeSync();
      }
    },
    worker(overrides = {}) {
      const worker = createNotificationWorker({
        store,
        senders: { discord: sender },
        cards: testApp.app.cards,
        findIncident: findIncidentIn(testApp.app.repository),
        logger: createLogger('silent'),
        metrics,
        pollMs: 10,
        backoff: { baseMs: 20, maxMs: 200, maxAttempts: 30 },
        ...overrides,
      });
      workers.push(worker);
      return worker;
    },
    async close() {
      await Promise.all(workers.map((worker) => worker.stop()));
      await testApp.close();
      await fake.close();
    },
  };
}

let version = 0;

/** A change as the evaluator would report it (versions only grow, as the incident store's do). */
export function change(
  identifier: number,
  kind: IncidentChange['kind'],
  to: IncidentChange['to'],
  value: number | null = null,
): IncidentChange {
  version += 1;
  const from: Record<IncidentChange['kind'], IncidentChange['from']> = {
    created: null,
    escalated: 'warning',
    deescalated: 'critical',
    resolved: 'critical',
    reopened: 'resolved',
    updated: to,
  };
  return {
    organizationId: 'acme',
    incidentId: 5000 + identifier,
    identifier,
    alertRuleId: CHECKOUT_RULE_ID,
    kind,
    from: from[kind],
    to,
    version,
    at: new Date(NOW + version * 60_000).toISOString(),
    value,
    snoozedUntil: null,
    by: null,
  };
}
