// The newest activity entries kept on the incident itself, so a card's footer needs no read of the whole log.
import type { Incident, RecentActivity } from '../domain.ts';
import type { Activity } from './activity.ts';

const KEPT = 2;

/** What a card's footer can say: evaluator detections are left out (the status line already tells them). */
const SHOWN = (entry: Activity) => entry.type !== 'detected' && entry.type !== 'created';

export function withRecentActivity(incident: Incident, entries: readonly Activity[]): Incident {
  const added = entries.filter(SHOWN).map(
    (entry): RecentActivity => ({
      type: entry.type,
      date: entry.date,
      by: entry.by ?? null,
      ...(entry.to ? { to: entry.to } : {}),
      ...(entry.note ? { note: entry.note.slice(0, 200) } : {}),
    }),
  );
  if (added.length === 0) return incident;
  return { ...incident, recentActivity: [...(incident.recentActivity ?? []), ...added].slice(-KEPT) };
}
