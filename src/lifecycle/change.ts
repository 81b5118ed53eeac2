// What changed on an incident, as the outbox and the cards need it.
import type { IncidentStatus } from '../store/dataset.ts';

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
};
