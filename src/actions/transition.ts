// One action applied to an incident's state: the changed incident, its activity entry and the change kind, or
// why the incident is not in a state for it. Pure: act.ts reads the inputs and commits the result.
import { isCritical } from '../alerting/thresholds.ts';
import type { AlertRule, Incident, IncidentStatus, Person } from '../domain.ts';
import type { Activity } from '../lifecycle/activity.ts';
import type { IncidentChangeKind } from '../lifecycle/change.ts';
import type { IncidentAction, RejectReason } from './model.ts';

export type ActionContext = {
  by: Person;
  at: string;
  /** Which card the action came from (recorded in the activity log). */
  card: string;
  /** The assignee an Assign resolved to (act.ts looks the member up); null when the member is unknown. */
  assignee: Person | null;
  /** Reopen only: ids of the rule's triggers that breach now (null: not asked, the metric is unavailable). */
  breaching: number[] | null;
  /** Reopen only: the last close was a person's (method manual). */
  closedManually: boolean;
  /** Reopen only: another incident of the same rule and project is open now. */
  newerOpen: boolean;
};

export type Transition =
  | { ok: true; incident: Incident; kind: IncidentChangeKind; activity: Activity }
  | { ok: false; reason: RejectReason };

const HOUR_MS = 3_600_000;

export function applyAction(
  incident: Incident,
  rule: Pick<AlertRule, 'triggers'>,
  action: IncidentAction,
  ctx: ActionContext,
): Transition {
  const entry = (type: string, extra: Partial<Activity> = {}): Activity => ({
    type,
    date: ctx.at,
    actor: ctx.by.name,
    by: ctx.by,
    card: ctx.card.slice(0, 300),
    ...extra,
  });
  const resolved = incident.status === 'resolved';
  switch (action.type) {
    case 'acknowledge':
      if (resolved) return { ok: false, reason: 'already_resolved' };
      if (incident.acknowledged) return { ok: false, reason: 'already_acknowledged' };
      return changed(
        { ...incident, acknowledged: { by: ctx.by, at: ctx.at } },
        'updated',
        entry('acknowledged'),
      );
    case 'resolve': {
      if (resolved) return { ok: false, reason: 'already_resolved' };
      const closed: Incident = {
        ...incident,
        status: 'resolved',
        dateClosed: ctx.at,
        triggers: incident.triggers.map((row) =>
          row.status === 'active' ? { ...row, status: 'resolved', dateModified: ctx.at } : row,
        ),
      };
      const activity = entry('status_changed', { from: incident.status, to: 'resolved', method: 'manual' });
      return changed(closed, 'resolved', activity);
    }
    case 'reopen': {
      if (!resolved) return { ok: false, reason: 'not_resolved' };
      if (!ctx.closedManually) return { ok: false, reason: 'not_manually_resolved' };
      if (ctx.newerOpen) return { ok: false, reason: 'newer_incident_open' };
      const breaching = ctx.breaching ?? [];
      if (breaching.length === 0) return { ok: false, reason: 'not_breaching' };
      const triggers = [...incident.triggers];
      for (const id of breaching) {
        const at = triggers.findIndex((row) => row.alertRuleTriggerId === id);
        const row = { alertRuleTriggerId: id, status: 'active' as const, dateModified: ctx.at };
        if (at >= 0) triggers[at] = row;
        else triggers.push(row);
      }
      const critical = rule.triggers.some((t) => breaching.includes(t.id) && isCritical(t));
      const to: IncidentStatus = critical ? 'critical' : 'warning';
      const reopened: Incident = { ...incident, status: to, dateClosed: null, triggers };
      return changed(reopened, 'reopened', entry('reopened', { from: 'resolved', to }));
    }
    case 'assign': {
      if (!ctx.assignee) return { ok: false, reason: 'unknown_member' };
      if (incident.assignee && samePerson(incident.assignee, ctx.assignee))
        return { ok: false, reason: 'already_assigned' };
      const note = `to ${ctx.assignee.name}`;
      return changed({ ...incident, assignee: ctx.assignee }, 'updated', entry('assigned', { note }));
    }
    case 'unassign':
      if (!incident.assignee) return { ok: false, reason: 'not_assigned' };
      return changed({ ...incident, assignee: null }, 'updated', entry('unassigned'));
    case 'snooze': {
      const until = new Date(Date.parse(ctx.at) + action.hours * HOUR_MS).toISOString();
      return changed(
        { ...incident, snoozedUntil: until },
        'updated',
        entry('snoozed', { note: `until ${until}` }),
      );
    }
  }
}

function changed(incident: Incident, kind: IncidentChangeKind, activity: Activity): Transition {
  return { ok: true, incident, kind, activity };
}

function samePerson(a: Person, b: Person): boolean {
  return a.memberId && b.memberId
    ? a.memberId === b.memberId
    : a.platform === b.platform && a.userId === b.userId;
}
