// What Teams users read after acting on a card: why nothing changed (the updated card says the rest).
import type { ActionOutcome, RejectReason } from '../../src/actions/model.ts';
import { activityText } from '../../src/card/activity-text.ts';
import { relativeTime } from '../../src/card/relative-time.ts';
import type { RecentActivity } from '../../src/domain.ts';

const REJECTED: Record<RejectReason, string> = {
  already_resolved: 'the incident is already resolved.',
  already_acknowledged: 'the incident is already acknowledged.',
  not_resolved: 'the incident is open, there is nothing to reopen.',
  not_manually_resolved: 'only an incident a person resolved can be reopened; this one resolved by itself.',
  not_breaching: 'the alert rule no longer breaches, so the incident stays resolved.',
  newer_incident_open: 'the alert rule already opened a newer incident; act on that one.',
  already_assigned: 'it is already assigned to them.',
  not_assigned: 'nobody is assigned.',
  unknown_member: 'that person is not a member of this organization.',
};

export function outcomeNotice(outcome: ActionOutcome, now: number): string | undefined {
  switch (outcome.status) {
    case 'applied':
    case 'duplicate':
      return undefined;
    case 'stale':
      return `Not applied: the card was out of date.${changed(outcome.latest, now)}`;
    case 'rejected':
      return `Not applied: ${REJECTED[outcome.reason]}${changed(outcome.latest, now)}`;
  }
}

function changed(latest: RecentActivity | null, now: number): string {
  return latest ? ` ${activityText(latest)} ${relativeTime(latest.date, now)}.` : '';
}
