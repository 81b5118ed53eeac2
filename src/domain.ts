// The domain vocabulary as zod schemas: organizations, their installations, projects, alert rules and incidents.
// Every layer speaks these; the import file format (store/dataset.ts) and the store build on them.
import { z } from 'zod';

export const isoTime = z.iso.datetime({
  offset: true,
  message: 'must be an ISO-8601 time, e.g. 2026-11-20T10:00:00Z',
});
export const id = z.number().int().positive();
export const slug = z.string().min(1).max(100);

/** Days an organization's events are kept when its record says nothing else. */
export const DEFAULT_RETENTION_DAYS = 90;

export const Platform = z.enum(['discord', 'teams']);
export type Platform = z.infer<typeof Platform>;

export const IncidentStatus = z.enum(['open', 'warning', 'critical', 'resolved']);
export type IncidentStatus = z.infer<typeof IncidentStatus>;

export const RuleDataset = z.enum(['events', 'transactions', 'sessions']);
export type RuleDataset = z.infer<typeof RuleDataset>;

export const Organization = z.object({
  id: slug.regex(/^[a-z0-9][a-z0-9-]*$/, 'organization id must be lowercase letters, digits and dashes'),
  name: z.string().min(1).max(200),
  retentionDays: z.number().int().min(1).max(3650).default(DEFAULT_RETENTION_DAYS),
});
export type Organization = z.infer<typeof Organization>;

export const Installation = z.object({
  platform: Platform,
  tenantId: z.string().min(1).max(100),
  organizationId: slug,
  /**
   * Who may change what a channel is notified about: platform user ids (Teams: AAD object ids). Absent: anyone
   * in the connected workspace (on Discord, still only members with Manage Channels).
   */
  subscribers: z.array(z.string().min(1).max(100)).max(1000).optional(),
});
export type Installation = z.infer<typeof Installation>;

export const Project = z.object({ id, organizationId: slug, slug });
export type Project = z.infer<typeof Project>;

export const Trigger = z.object({
  id,
  label: z.string().min(1).max(100),
  alertThreshold: z.number(),
});
export type Trigger = z.infer<typeof Trigger>;

export const AlertRule = z.object({
  id,
  organizationId: slug,
  name: z.string().min(1).max(256),
  dataset: RuleDataset,
  aggregate: z.string().min(1).max(200),
  query: z.string().max(10_000).default(''),
  environment: z.string().min(1).max(200).nullable().default(null),
  timeWindow: z.number().int().min(60).max(86_400),
  projects: z.array(id).default([]),
  thresholdType: z.enum(['above', 'below']).default('above'),
  resolveThreshold: z.number().nullable().default(null),
  triggers: z.array(Trigger).default([]),
  // Live alerting: disabled rules are not evaluated; thresholdPeriod consecutive breaching evaluations fire
  // (and resolve) a trigger; comparisonDelta (seconds) makes it a percent-change rule (docs/alerting.md).
  enabled: z.boolean().default(true),
  thresholdPeriod: z.number().int().min(1).max(20).default(1),
  comparisonDelta: z.number().int().min(60).max(7_776_000).nullable().default(null),
});
export type AlertRule = z.infer<typeof AlertRule>;

export const IncidentTrigger = z.object({
  alertRuleTriggerId: id,
  status: z.enum(['active', 'resolved']),
  dateModified: isoTime,
});
export type IncidentTrigger = z.infer<typeof IncidentTrigger>;

export const Incident = z.object({
  id,
  identifier: id,
  organizationId: slug,
  alertRuleId: id,
  title: z.string().min(1).max(256),
  status: IncidentStatus,
  dateStarted: isoTime,
  dateClosed: isoTime.nullable().default(null),
  projects: z.array(id).default([]),
  triggers: z.array(IncidentTrigger).default([]),
  /** Optimistic-concurrency version: an import replaces a stored incident only if not older (docs/dataset-format.md). */
  version: z.number().int().min(1).optional(),
});
export type Incident = z.infer<typeof Incident>;
