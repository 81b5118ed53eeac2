// The outbox worker: takes due jobs (each card's oldest first, several cards at once), builds the card, and has
// the platform's sender post/edit/reply. Failures are rescheduled with backoff, permanent ones break the
// subscription. It only ever moves a job forward after the platform said yes, so a crash repeats a step at most
// (and senders make a repeated post harmless where the platform allows: Discord's nonce).
import type { CardBuilder } from '../card/build.ts';
import type { Logger } from '../log.ts';
import type { Platform } from '../domain.ts';
import { type BackoffPolicy, DEFAULT_BACKOFF, retryDelayMs } from './backoff.ts';
import type { NotifyMetrics } from './metrics.ts';
import { type FindIncident, notificationContent } from './notification-card.ts';
import { planJob, snoozedAt } from './plan.ts';
import type { DeliveryOutcome, DeliveryTarget, NotificationSender } from './sender.ts';
import { cardKey, type NotificationStore, type OutboxJob } from './store.ts';

export type WorkerDeps = {
  store: NotificationStore;
  senders: Partial<Record<Platform, NotificationSender>>;
  cards: CardBuilder;
  findIncident: FindIncident;
  logger: Logger;
  metrics?: NotifyMetrics;
  now?: () => number;
  /** How often the outbox is looked at when nobody calls wake(). */
  pollMs?: number;
  /** Cards delivered at once (each card's jobs stay in order). */
  concurrency?: number;
  backoff?: BackoffPolicy;
};

export type NotificationWorker = {
  start(): void;
  /** Look at the outbox now (after a commit that wrote jobs). */
  wake(): void;
  /** Stops taking jobs and waits for the ones in flight. */
  stop(): Promise<void>;
  /** Delivers until no job is due (tests, the CLI). */
  runUntilIdle(): Promise<void>;
};

type Attempt = { kind: 'done' } | { kind: 'failed'; outcome: Exclude<DeliveryOutcome, { ok: true }> };

export function createNotificationWorker(deps: WorkerDeps): NotificationWorker {
  const now = deps.now ?? Date.now;
  const pollMs = deps.pollMs ?? 250;
  const concurrency = deps.concurrency ?? 32;
  const backoff = deps.backoff ?? DEFAULT_BACKOFF;
  const log = deps.logger;
  const busy = new Map<string, Promise<void>>();
  let running = false;
  let loop: Promise<void> | null = null;
  let wakeUp: (() => void) | null = null;

  const wait = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        wakeUp = null;
        resolve();
      }
      wakeUp = done;
    });

  /** Starts every due job there is room for; returns how many started. */
  async function fill(): Promise<number> {
    // Refilled in batches: one outbox query per half of the window, not one per finished job.
    if (busy.size > concurrency / 2) return 0;
    const room = concurrency - busy.size;
    const due = await deps.store.nextDue(now(), room, new Set(busy.keys()));
    for (const job of due) {
      const key = cardKey(job);
      const work = deliver(job)
        .catch(async (error: unknown) => {
          log.error({ err: error, job: job.id }, 'notification job crashed');
          await retry(job, { reason: error instanceof Error ? error.message : String(error) });
        })
        .catch((error: unknown) => log.error({ err: error, job: job.id }, 'notification job not rescheduled'))
        .finally(() => {
          busy.delete(key);
          wakeUp?.();
        });
      busy.set(key, work);
    }
    return due.length;
  }

  async function deliver(job: OutboxJob): Promise<void> {
    const sender = deps.senders[job.platform];
    if (!sender) {
      await retry(job, { reason: `no ${job.platform} sender configured` });
      return;
    }
    const content = await notificationContent(job.change, deps.findIncident, deps.cards);
    if (!content) {
      await retry(job, { reason: 'incident not found in the store (yet)' });
      return;
    }
    const target: DeliveryTarget = { channelId: job.channelId, conversation: job.conversation };
    const attempt = await attemptJob(job, sender, target, content);
    if (attempt.kind === 'done') {
      deps.metrics?.sent.inc({ platform: job.platform });
      deps.metrics?.latency.observe({ platform: job.platform }, (now() - job.createdAt) / 1000);
      return;
    }
    if (attempt.outcome.permanent) {
      log.warn(
        { platform: job.platform, channelId: job.channelId, reason: attempt.outcome.reason },
        'notification channel unreachable: subscription marked broken',
      );
      await deps.store.fail(job, attempt.outcome.reason);
      await deps.store.markBroken(job, attempt.outcome.reason);
      deps.metrics?.failed.inc({ platform: job.platform, reason: 'permanent' });
      return;
    }
    await retry(job, attempt.outcome);
  }

  async function attemptJob(
    job: OutboxJob,
    sender: NotificationSender,
    target: DeliveryTarget,
    content: { card: Parameters<NotificationSender['post']>[1]; replyText: string },
  ): Promise<Attempt> {
    let messageId: string;
    if (job.step === 'card') {
      const plan = planJob(job.change.kind, job.change.version, job.card, snoozedAt(job.change));
      if (plan.card.kind === 'skip') {
        await deps.store.sent(job, now());
        return { kind: 'done' };
      }
      let result =
        plan.card.kind === 'post'
          ? await sender.post(target, content.card, nonce(job, 'c'))
          : plan.card.kind === 'edit'
            ? await sender.edit(target, plan.card.messageId, content.card)
            : ({ ok: true, messageId: plan.card.messageId } as const);
      if (!result.ok && 'messageGone' in result) {
        // Someone deleted the card: editing it can never work, so the channel gets a fresh one (with its own
        // nonce: the first post's nonce would return the deleted message).
        log.info({ job: job.id, channelId: job.channelId }, 'notification card deleted: posting a new one');
        result = await sender.post(target, content.card, nonce(job, 'n'));
      }
      if (!result.ok) return { kind: 'failed', outcome: result };
      messageId = result.messageId;
      await deps.store.cardDelivered(job, messageId, plan.reply ? 'reply' : 'done', now());
      if (!plan.reply) return { kind: 'done' };
    } else {
      const card = job.card;
      if (!card) return { kind: 'failed', outcome: { ok: false, permanent: false, reason: 'card lost' } };
      messageId = card.messageId;
    }
    const replied = await sender.reply(target, messageId, content.replyText, nonce(job, 'r'));
    if (!replied.ok) return { kind: 'failed', outcome: replied };
    await deps.store.sent(job, now());
    return { kind: 'done' };
  }

  async function retry(job: OutboxJob, outcome: { reason: string; retryAfterMs?: number }): Promise<void> {
    if (job.attempts + 1 >= backoff.maxAttempts) {
      log.error({ job: job.id, reason: outcome.reason, attempts: job.attempts + 1 }, 'notification given up');
      await deps.store.fail(job, outcome.reason);
      deps.metrics?.failed.inc({ platform: job.platform, reason: 'attempts' });
      return;
    }
    const delay = retryDelayMs(backoff, job.attempts, outcome.retryAfterMs);
    log.info({ job: job.id, reason: outcome.reason, delayMs: delay }, 'notification will be retried');
    await deps.store.retryLater(job, now() + delay, outcome.reason);
    deps.metrics?.retried.inc({ platform: job.platform });
  }

  async function run(): Promise<void> {
    while (running) {
      try {
        const started = await fill();
        if (started > 0 && busy.size < concurrency) continue;
      } catch (error) {
        log.error({ err: error }, 'outbox read failed');
      }
      if (running) await wait(pollMs);
    }
  }

  return {
    start() {
      if (running) return;
      running = true;
      loop = run();
    },
    wake: () => wakeUp?.(),
    async stop() {
      running = false;
      wakeUp?.();
      await loop;
      await Promise.allSettled([...busy.values()]);
    },
    async runUntilIdle() {
      for (;;) {
        await fill();
        if (busy.size === 0) return;
        await Promise.race(busy.values());
      }
    },
  };
}

/** Discord keeps nonces to 25 characters; the job id and step (card, new card, reply) make it unique per post. */
function nonce(job: OutboxJob, step: 'c' | 'n' | 'r'): string {
  return `ic${step}${job.id}`.slice(0, 25);
}
