// The notification store as the worker, the handlers and the CLI see it: a small interface, so a second
// implementation (PostgreSQL, for several replicas) can replace the DuckDB one without touching them.
import type { IncidentChange } from '../lifecycle/change.ts';
import type { Platform } from '../domain.ts';
import type { CardState } from './plan.ts';
import type { ChannelKey, Subscription, SubscriptionRecord } from './subscription.ts';

export type JobState = 'pending' | 'sent' | 'failed';
/** How far a job got: its card posted/edited, then (for escalations and resolutions) the reply. */
export type JobStep = 'card' | 'reply';

export type OutboxJob = {
  id: number;
  dedupeKey: string;
  platform: Platform;
  channelId: string;
  change: IncidentChange;
  state: JobState;
  step: JobStep;
  attempts: number;
  nextAttemptAt: number;
  lastError: string | null;
  /** Epoch ms when the job was written (with the change, in one transaction). */
  createdAt: number;
  sentAt: number | null;
  /** The channel's stored conversation reference (Teams), read with the job. */
  conversation: unknown;
  /** The card this job's channel already has for the incident, read with the job. */
  card: CardState | null;
};

export type JobCounts = Record<JobState, number>;

export interface NotificationStore {
  subscribe(subscription: Subscription, at: string): Promise<{ created: boolean }>;
  /** Removes the channel's subscription to that rule (null: the every-rule one); how many went. */
  unsubscribe(key: ChannelKey, organizationId: string, ruleId: number | null): Promise<number>;
  subscriptionsOf(key: ChannelKey): Promise<SubscriptionRecord[]>;
  /** A permanent delivery failure: the channel's subscriptions stop, and so do its pending jobs. */
  markBroken(key: ChannelKey, reason: string): Promise<void>;
  /** The oldest due job of each card not in `busy` (jobs of one card run in order, one at a time). */
  nextDue(now: number, limit: number, busy: ReadonlySet<string>): Promise<OutboxJob[]>;
  /** The card now shows this job's version; the job moves to its reply step, or is done. */
  cardDelivered(job: OutboxJob, messageId: string, next: JobStep | 'done', at: number): Promise<void>;
  sent(job: OutboxJob, at: number): Promise<void>;
  retryLater(job: OutboxJob, at: number, error: string): Promise<void>;
  fail(job: OutboxJob, error: string): Promise<void>;
  list(options: { state?: JobState; limit?: number }): Promise<OutboxJob[]>;
  counts(): Promise<JobCounts>;
}

/** The key the jobs of one card share (one card per incident per channel). */
export function cardKey(job: Pick<OutboxJob, 'platform' | 'channelId' | 'change'>): string {
  return `${job.platform}:${job.channelId}:${job.change.organizationId}:${job.change.incidentId}`;
}
