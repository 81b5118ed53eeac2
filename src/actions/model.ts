// What a person can do from a card, as the adapters hand it to the dispatcher (inside `incident.act`), and what
// the answer says happened. Codes and data only: each adapter words them.
import { z } from 'zod';
import type { RecentActivity } from '../domain.ts';

export const SNOOZE_HOURS = [1, 4, 24] as const;

/** Whom an Assign names: the person acting, a member of the organization, or a platform user picked in a list. */
export const AssignTarget = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('me') }),
  z.object({ kind: z.literal('member'), memberId: z.string().min(1).max(100) }),
  z.object({
    kind: z.literal('user'),
    userId: z.string().min(1).max(100),
    name: z.string().max(200).nullable(),
  }),
]);
export type AssignTarget = z.infer<typeof AssignTarget>;

export const IncidentAction = z.discriminatedUnion('type', [
  z.object({ type: z.literal('acknowledge') }),
  z.object({ type: z.literal('resolve') }),
  z.object({ type: z.literal('reopen') }),
  z.object({ type: z.literal('assign'), to: AssignTarget }),
  z.object({ type: z.literal('unassign') }),
  z.object({
    type: z.literal('snooze'),
    hours: z.union([z.literal(SNOOZE_HOURS[0]), z.literal(SNOOZE_HOURS[1]), z.literal(SNOOZE_HOURS[2])]),
  }),
]);
export type IncidentAction = z.infer<typeof IncidentAction>;
export type ActionType = IncidentAction['type'];

/** Why an action was not applied although the person may act: the incident is not in a state for it. */
export type RejectReason =
  | 'already_resolved'
  | 'already_acknowledged'
  | 'not_resolved'
  | 'not_manually_resolved'
  | 'not_breaching'
  | 'newer_incident_open'
  | 'already_assigned'
  | 'not_assigned'
  | 'unknown_member';

export type ActionOutcome =
  | { status: 'applied'; action: ActionType }
  /** The same click delivered again (retry, double click): recorded once, answered with the current card. */
  | { status: 'duplicate' }
  /** The card was older than the incident: nothing applied; `latest` is what changed it (newest entry). */
  | { status: 'stale'; latest: RecentActivity | null }
  | { status: 'rejected'; reason: RejectReason; latest: RecentActivity | null };

/** What a refused person needs: one of these roles, or to be listed as a responder of the installation. */
export type ResponderNeed = {
  roleIds: string[];
  /** true: the installation lists its responders, and only they (and the roles) may act. */
  respondersOnly: boolean;
};
