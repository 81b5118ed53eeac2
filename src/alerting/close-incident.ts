// Closing an open incident for a reason other than its metric: the rule was edited or deleted (Sentry closes
// the rule's active incidents with status method RULE_UPDATED; a deleted rule has nothing left to evaluate).
import type { CloseMethod } from '../lifecycle/activity.ts';
import type { IncidentTransaction } from '../lifecycle/lifecycle.ts';
import type { VersionedIncident } from '../lifecycle/incident-rows.ts';

const NOTES: Partial<Record<CloseMethod, string>> = {
  rule_updated: 'Resolved because the alert rule was changed',
  rule_deleted: 'Resolved because the alert rule was deleted',
};

export async function closeIncident(
  tx: IncidentTransaction,
  { incident, version }: VersionedIncident,
  method: 'rule_updated' | 'rule_deleted',
  at: string,
): Promise<void> {
  const closed = {
    ...incident,
    status: 'resolved' as const,
    dateClosed: at,
    triggers: incident.triggers.map((row) =>
      row.status === 'active' ? { ...row, status: 'resolved' as const, dateModified: at } : row,
    ),
  };
  await tx.update(closed, version, {
    kind: 'resolved',
    from: incident.status,
    at,
    value: null,
    activity: [
      {
        type: 'status_changed',
        date: at,
        from: incident.status,
        to: 'resolved',
        method,
        note: NOTES[method],
      },
    ],
  });
}
