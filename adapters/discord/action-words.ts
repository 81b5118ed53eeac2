// What Discord users read after acting on a card: applied (the card says it), or why nothing changed.
import type { ActionOutcome, RejectReason } from '../../src/actions/model.ts';
import type { RecentActivity } from '../../src/domain.ts';
import { activityText } from '../../src/card/activity-text.ts';

const REJECTED: Record<RejectReason, string> = {
  already_resolved: 'This incident is already resolved.',
  already_acknowledged: 'This incident is already acknowledged.',
  not_resolved: 'This incident is open: there is nothing to reopen.',
  not_manually_resolved: 'Only an incident a person resolved can be reopened; this one resolved by itself.',
  not_breaching: 'The alert rule no longer breaches, so the incident stays resolved.',
  newer_incident_open: 'The alert rule already opened a newer incident; act on that one.',
  already_assigned: 'It is already assigned to them.',
  not_assigned: 'Nobody is assigned.',
  unknown_member: 'That person is not a member of this organization.',
};

/** An ephemeral note for outcomes the card alone does not explain; null when the updated card says it all. */
export function outcomeNote(outcome: ActionOutcome): string | null {
  switch (outcome.status) {
    case 'applied':
    case 'duplicate':
      return null;
    case 'stale':
      return `Not applied: the card was out of date.${changed(outcome.latest)} The card now shows the current state.`;
    case 'rejected':
      return `Not applied: ${REJECTED[outcome.reason]}${changed(outcome.latest)}`;
  }
}

function changed(latest: RecentActivity | null): string {
  if (!latest) return '';
  return ` ${activityText(latest)} <t:${Math.floor(Date.parse(latest.date) / 1000)}:R>.`;
}
