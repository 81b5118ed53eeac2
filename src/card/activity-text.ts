// Activity entries as a sentence ("Resolved by Alice", "Escalated to critical"): the card's footer, the incident
// page's timeline and the "what changed" answer to a stale click share these words.
import type { RecentActivity } from '../domain.ts';
import { STATUS_LABEL } from '../incidents/status-text.ts';

export function activityText(entry: Pick<RecentActivity, 'type' | 'by' | 'to' | 'note'>): string {
  const by = entry.by ? ` by ${entry.by.name}` : '';
  switch (entry.type) {
    case 'acknowledged':
      return `Acknowledged${by}`;
    case 'assigned':
      return `Assigned ${entry.note ?? ''}${by}`.replace(/\s+/g, ' ');
    case 'unassigned':
      return `Unassigned${by}`;
    case 'snoozed':
      return `Notifications snoozed ${entry.note ?? ''}${by}`.replace(/\s+/g, ' ');
    case 'reopened':
      return `Reopened${by}${entry.to ? ` as ${STATUS_LABEL[entry.to].toLowerCase()}` : ''}`;
    case 'status_changed':
      if (entry.to === 'resolved') return entry.by ? `Resolved${by}` : (entry.note ?? 'Resolved');
      return entry.to ? `${STATUS_LABEL[entry.to]}${by}` : `Status changed${by}`;
    case 'created':
      return 'Incident opened';
    case 'detected':
      return 'Detected';
    default:
      return `${entry.type}${by}`;
  }
}
