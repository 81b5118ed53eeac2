// The pure planner: which channels a change reaches, and what a job does to the channel's card.
import { describe, expect, it } from 'vitest';
import { planJob, planJobs, snoozedAt } from '../../src/notify/plan.ts';
import type { SubscriptionRecord } from '../../src/notify/subscription.ts';
import { change } from './discord-harness.ts';

const subscription = (channelId: string, ruleId: number | null, extra: Partial<SubscriptionRecord> = {}) =>
  ({
    platform: 'discord',
    organizationId: 'acme',
    channelId,
    conversation: null,
    ruleId,
    status: 'active',
    brokenReason: null,
    createdAt: '',
    ...extra,
  }) satisfies SubscriptionRecord;

describe('planJobs', () => {
  it('one job per channel, for the rule or every rule, never for broken ones or other organizations', () => {
    const opened = change(1, 'created', 'warning');
    const jobs = planJobs(
      [opened],
      [
        subscription('a', null),
        subscription('a', opened.alertRuleId),
        subscription('b', opened.alertRuleId),
        subscription('c', 999),
        subscription('d', null, { status: 'broken' }),
        subscription('e', null, { organizationId: 'globex' }),
      ],
    );
    expect(jobs.map((job) => job.channelId)).toEqual(['a', 'b']);
  });
});

describe('planJob', () => {
  it.each([
    ['created', null, { card: { kind: 'post' }, reply: false }],
    [
      'escalated',
      { messageId: 'm', deliveredVersion: 1 },
      { card: { kind: 'edit', messageId: 'm' }, reply: true },
    ],
    [
      'deescalated',
      { messageId: 'm', deliveredVersion: 1 },
      { card: { kind: 'edit', messageId: 'm' }, reply: false },
    ],
    [
      'resolved',
      { messageId: 'm', deliveredVersion: 1 },
      { card: { kind: 'edit', messageId: 'm' }, reply: true },
    ],
    [
      'reopened',
      { messageId: 'm', deliveredVersion: 1 },
      { card: { kind: 'edit', messageId: 'm' }, reply: true },
    ],
    [
      'updated',
      { messageId: 'm', deliveredVersion: 1 },
      { card: { kind: 'edit', messageId: 'm' }, reply: false },
    ],
    [
      'resolved',
      { messageId: 'm', deliveredVersion: 2 },
      { card: { kind: 'none', messageId: 'm' }, reply: true },
    ],
    ['escalated', null, { card: { kind: 'post' }, reply: false }],
  ] as const)('%s with card %j (job version 2)', (kind, card, expected) => {
    expect(planJob(kind, 2, card)).toEqual(expected);
  });

  describe('while the incident is snoozed', () => {
    const card = { messageId: 'm-1', deliveredVersion: 1 };
    it.each([
      ['created', null, { card: { kind: 'skip' }, reply: false }],
      ['escalated', card, { card: { kind: 'edit', messageId: 'm-1' }, reply: false }],
      ['resolved', card, { card: { kind: 'edit', messageId: 'm-1' }, reply: false }],
    ] as const)('%s: no new post and no reply, the card still follows', (kind, state, expected) => {
      expect(planJob(kind, 2, state, true)).toEqual(expected);
    });

    it('is snoozed only while the snooze lies after the change', () => {
      const at = '2026-11-20T10:00:00Z';
      expect(snoozedAt({ at, snoozedUntil: '2026-11-20T11:00:00Z' })).toBe(true);
      expect(snoozedAt({ at, snoozedUntil: '2026-11-20T10:00:00Z' })).toBe(false);
      expect(snoozedAt({ at, snoozedUntil: null })).toBe(false);
    });
  });
});
