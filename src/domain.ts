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
  /** Discord role ids whose members may act on cards (beside Manage Messages in the channel). */
  responderRoleIds: z.array(z.string().min(1).max(100)).max(100).optional(),
  /** Platform user ids (Teams: AAD object ids) who may act; when set, only they (and the roles) may. */
  responders: z.array(z.string().min(1).max(100)).max(1_000).optional(),
});
export type Installation = z.infer<typeof Installation>;

/** A person's name for cards, matched by their platform user id (no login system). */
export const Member = z.object({
  id: z.string().min(1).max(100),
  organizationId: slug,
  name: z.string().min(1).max(200),
  email: z.string().max(320).optional(),
  discordUserId: z.string().min(1).max(30).optional(),
  teamsAadObjectId: z.string().min(1).max(100).optional(),
});
export type Member = z.infer<typeof Member>;

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

/** Someone on a platform, named as the card shows them (a member's name, else the platform display name). */
export const Person = z.object({
  platform: z.enum(['discord', 'teams', 'cli']),
  userId: z.string().min(1).max(100),
  name: z.string().min(1).max(200),
  memberId: z.string().max(100).optional(),
});
export type Person = z.infer<typeof Person>;

export const Stamp = z.object({ by: Person, at: isoTime });
export type Stamp = z.infer<typeof Stamp>;

/** One activity entry as a card shows it: what, when, who (null for the evaluator). */
export const RecentActivity = z.object({
  type: z.string().min(1).max(50),
  date: isoTime,
  by: Person.nullable().default(null),
  to: IncidentStatus.optional(),
  note: z.string().max(200).optional(),
});
export type RecentActivity = z.infer<typeof RecentActivity>;

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
  /** Set by people acting from a card (src/actions/); the evaluator carries them along unchanged. */
  acknowledged: Stamp.nullable().optional(),
  assignee: Person.nullable().optional(),
  /** No notification posts or replies for this incident until then (ISO); the incident itself still updates. */
  snoozedUntil: isoTime.nullable().optional(),
  /** The newest activity entries (at most two), for the card's footer; the whole log is incident_activity. */
  recentActivity: z.array(RecentActivity).max(2).optional(),
  /** Optimistic-concurrency version: an import replaces a stored incident only if not older (docs/dataset-format.md). */
  version: z.number().int().min(1).optional(),
});
export type Incident = z.infer<typeof Incident>;
