// What changed on an incident, as the outbox and the cards need it.
import type { IncidentStatus, Person } from '../domain.ts';

export type IncidentChangeKind =
  | 'created'
  | 'escalated'
  | 'deescalated'
  | 'resolved'
  | 'reopened'
  | 'updated';

export type IncidentChange = {
  organizationId: string;
  incidentId: number;
  identifier: number;
  alertRuleId: number;
  kind: IncidentChangeKind;
  from: IncidentStatus | null;
  to: IncidentStatus;
  /** The incident's version after this change. */
  version: number;
  /** ISO time of the change. */
  at: string;
  /** The metric value that caused it, when the evaluator made it. */
  value: number | null;
  /**
   * Notifications for this incident are snoozed until then (ISO; null: not snoozed). Set by the Snooze action
   * (src/actions/); the outbox skips new posts and replies while it lies in the future, but still edits cards.
   */
  snoozedUntil: string | null;
  /** The person whose action made this change; null for the evaluator and imports. */
  by: Person | null;
};
