// The action parts of a card: who acknowledged, who is assigned, the snooze, the latest activity and which
// actions make sense in the incident's current state.
import type { ActionType } from '../actions/model.ts';
import type { IncidentRecord } from '../repository.ts';
import { activityText } from './activity-text.ts';
import type { IncidentCard } from './model.ts';

/** Teams' choice sets and Discord's lists stay short and the card within its size limit. */
export const MAX_ASSIGNABLE = 25;

type ActionParts = Pick<
  IncidentCard,
  'version' | 'acknowledged' | 'assignee' | 'snoozedUntil' | 'recent' | 'actions' | 'members'
>;

export function actionParts(record: IncidentRecord, now: number): ActionParts {
  const { incident } = record;
  const recent = incident.recentActivity ?? [];
  const snoozed =
    incident.snoozedUntil && Date.parse(incident.snoozedUntil) > now ? incident.snoozedUntil : null;
  return {
    version: incident.version ?? 1,
    acknowledged: incident.acknowledged
      ? { name: incident.acknowledged.by.name, at: incident.acknowledged.at }
      : null,
    assignee: incident.assignee?.name ?? null,
    snoozedUntil: snoozed,
    recent: recent.map((entry) => ({ text: activityText(entry), at: entry.date })),
    actions: availableActions(record),
    members: record.members.slice(0, MAX_ASSIGNABLE).map((member) => ({ id: member.id, name: member.name })),
  };
}

function availableActions(record: IncidentRecord): ActionType[] {
  const { incident } = record;
  const assign: ActionType[] = incident.assignee ? ['assign', 'unassign'] : ['assign'];
  if (incident.status === 'resolved') {
    // Reopen is offered after a person's resolve only; the evaluator's own resolve means the metric recovered.
    const manual = (incident.recentActivity ?? []).some(
      (entry) => entry.to === 'resolved' && entry.by !== null,
    );
    return [...(manual ? (['reopen'] as const) : []), ...assign];
  }
  return [...(incident.acknowledged ? [] : (['acknowledge'] as const)), 'resolve', ...assign, 'snooze'];
}
