// The platform-neutral incident card: everything a renderer needs, nothing platform-specific.
import { z } from 'zod';
import { IncidentStatus } from '../store/dataset.ts';

export const CardField = z.object({
  label: z.string(),
  value: z.string(),
  inline: z.boolean().default(true),
});
export type CardField = z.infer<typeof CardField>;

export const IncidentCard = z.object({
  organizationId: z.string(),
  identifier: z.number().int(),
  /** "<Status>: <rule name>" */
  title: z.string(),
  status: IncidentStatus,
  /** "Open" | "Warning" | "Critical" | "Resolved" */
  statusLabel: z.string(),
  /** 0xRRGGBB */
  color: z.number().int().min(0).max(0xffffff),
  /** "1,204 events in the last 10 minutes", or a clear "unavailable"/"no data" text. */
  statusText: z.string(),
  metric: z.object({
    value: z.number().nullable(),
    /** The window the value was computed over (ISO times). */
    windowStart: z.string(),
    windowEnd: z.string(),
  }),
  /** Set when the value could not be computed: the card is degraded, not missing. */
  metricError: z.enum(['timeout', 'backend', 'overloaded']).nullable(),
  rule: z.object({
    id: z.number().int(),
    name: z.string(),
    aggregate: z.string(),
    query: z.string(),
    dataset: z.string(),
    timeWindowMinutes: z.number(),
  }),
  /** "above 100 (critical)" — the threshold of the trigger that fired, if any. */
  threshold: z.string().nullable(),
  projects: z.array(z.string()),
  environment: z.string().nullable(),
  dateStarted: z.string(),
  dateClosed: z.string().nullable(),
  /** "2h 14m" from start to close (or now). */
  duration: z.string(),
  link: z.url(),
  /**
   * The signed chart image of the rule's metric over the incident; absent when the chart could not be computed
   * (the card still answers without it).
   */
  chartUrl: z.url().optional(),
  /** When this card was computed (ISO). */
  updatedAt: z.string(),
  fields: z.array(CardField),
});
export type IncidentCard = z.infer<typeof IncidentCard>;

/** One row of a compact list (`/incident list`, search results, autocomplete). */
export const IncidentSummary = z.object({
  organizationId: z.string(),
  identifier: z.number().int(),
  title: z.string(),
  status: IncidentStatus,
  statusLabel: z.string(),
  color: z.number().int(),
  dateStarted: z.string(),
  link: z.url(),
});
export type IncidentSummary = z.infer<typeof IncidentSummary>;
