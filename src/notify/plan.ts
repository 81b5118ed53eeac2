// The pure planner: which channels an incident change goes to (one job per channel, however many of its
// subscriptions match), and what one job does to a channel's card.
import type { IncidentChange, IncidentChangeKind } from '../lifecycle/change.ts';
import { channelKeyText, type SubscriptionRecord } from './subscription.ts';

export type PlannedJob = {
  /** Unique per change and channel: enqueuing the same change twice writes one job. */
  dedupeKey: string;
  platform: SubscriptionRecord['platform'];
  channelId: string;
  change: IncidentChange;
};

/** Active subscriptions of the change's organization that follow its rule (or every rule) → one job per channel. */
export function planJobs(
  changes: readonly IncidentChange[],
  subscriptions: readonly SubscriptionRecord[],
): PlannedJob[] {
  const jobs = new Map<string, PlannedJob>();
  for (const change of changes) {
    for (const subscription of subscriptions) {
      if (subscription.status !== 'active') continue;
      if (subscription.organizationId !== change.organizationId) continue;
      if (subscription.ruleId !== null && subscription.ruleId !== change.alertRuleId) continue;
      const dedupeKey = [
        channelKeyText(subscription),
        change.organizationId,
        change.incidentId,
        change.version,
      ].join(':');
      if (!jobs.has(dedupeKey)) {
        jobs.set(dedupeKey, {
          dedupeKey,
          platform: subscription.platform,
          channelId: subscription.channelId,
          change,
        });
      }
    }
  }
  return [...jobs.values()];
}

/** People are told in the thread when things get worse or better; smaller changes only edit the card. */
const REPLY_KINDS: ReadonlySet<IncidentChangeKind> = new Set(['escalated', 'resolved', 'reopened']);

export type CardState = { messageId: string; deliveredVersion: number };

export type CardStep =
  | { kind: 'post' }
  | { kind: 'edit'; messageId: string }
  /** The card already shows this version or a newer one (a retry after a crash). */
  | { kind: 'none'; messageId: string }
  /** Snoozed and no card in the channel yet: nothing is posted until the snooze ends. */
  | { kind: 'skip' };

export type JobPlan = { card: CardStep; reply: boolean };

/**
 * A first card is posted (the post itself notifies); an existing card is edited in place, and an escalation,
 * resolution or reopening also gets a short reply under it. While the incident is snoozed nobody is notified:
 * no new post and no reply, but a card already in the channel still follows the incident.
 */
export function planJob(
  kind: IncidentChangeKind,
  version: number,
  card: CardState | null,
  snoozed = false,
): JobPlan {
  if (!card) return { card: snoozed ? { kind: 'skip' } : { kind: 'post' }, reply: false };
  const step: CardStep =
    card.deliveredVersion >= version
      ? { kind: 'none', messageId: card.messageId }
      : { kind: 'edit', messageId: card.messageId };
  return { card: step, reply: !snoozed && REPLY_KINDS.has(kind) };
}

/** Whether the change happened while its incident's notifications were snoozed. */
export function snoozedAt(change: { at: string; snoozedUntil: string | null }): boolean {
  return change.snoozedUntil !== null && Date.parse(change.snoozedUntil) > Date.parse(change.at);
}
