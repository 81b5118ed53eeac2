// The activity log of an incident (Sentry's IncidentActivity), one row per event in its life.
import { z } from 'zod';
import { IncidentStatus, Person } from '../domain.ts';

/** How an incident was closed, when it was (Sentry's IncidentStatusMethod). */
export const CloseMethod = z.enum(['rule_trigger', 'manual', 'rule_updated', 'rule_deleted']);
export type CloseMethod = z.infer<typeof CloseMethod>;

export const Activity = z.object({
  /** detected, created and status_changed come from the evaluator; the actions issue adds acknowledged, assigned, unassigned, snoozed, resolved, reopened (src/actions/) */
  type: z.string().min(1).max(50),
  date: z.iso.datetime({ offset: true }),
  from: IncidentStatus.optional(),
  to: IncidentStatus.optional(),
  /** The metric value that caused the change (Sentry stores only the status; we keep the value too). */
  value: z.number().nullable().optional(),
  /** Who did it, for changes made by a person: their name (the CLI's JSON prints this). */
  actor: z.string().max(200).optional(),
  /** Who did it in full: platform, user id, name (and member id when the person is a known member). */
  by: Person.optional(),
  /** Which card the action came from, e.g. "discord:message:1300…" or "teams:activity:…". */
  card: z.string().max(300).optional(),
  method: CloseMethod.optional(),
  note: z.string().max(1_000).optional(),
});
export type Activity = z.infer<typeof Activity>;
