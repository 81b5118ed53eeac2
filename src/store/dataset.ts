// The import format (CONTRACT §4) as zod schemas: the single definition of what a dataset may hold.
import { z } from 'zod';

const isoTime = z.iso.datetime({
  offset: true,
  message: 'must be an ISO-8601 time, e.g. 2026-11-20T10:00:00Z',
});
const id = z.number().int().positive();
const slug = z.string().min(1).max(100);

export const Platform = z.enum(['discord', 'teams']);
export type Platform = z.infer<typeof Platform>;

export const IncidentStatus = z.enum(['open', 'warning', 'critical', 'resolved']);
export type IncidentStatus = z.infer<typeof IncidentStatus>;

export const RuleDataset = z.enum(['events', 'transactions', 'sessions']);
export type RuleDataset = z.infer<typeof RuleDataset>;

export const Organization = z.object({
  id: slug.regex(/^[a-z0-9][a-z0-9-]*$/, 'organization id must be lowercase letters, digits and dashes'),
  name: z.string().min(1).max(200),
  retentionDays: z.number().int().min(1).max(3650).default(90),
});
export type Organization = z.infer<typeof Organization>;

export const Installation = z.object({
  platform: Platform,
  tenantId: z.string().min(1).max(100),
  organizationId: slug,
});
export type Installation = z.infer<typeof Installation>;

export const Project = z.object({ id, organizationId: slug, slug });
export type Project = z.infer<typeof Project>;

export const Trigger = z.object({
  id,
  label: z.string().min(1).max(100),
  alertThreshold: z.number(),
});

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
});
export type Incident = z.infer<typeof Incident>;

/**
 * Tag names (≤ 200 characters) to string values (≤ 1,000). A plain check rather than z.record: it is the
 * hottest part of validating a million-line import, and z.record costs half of each line's validation time.
 */
const Tags = z.custom<Record<string, string>>(
  (value) => {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
    for (const [name, tag] of Object.entries(value)) {
      if (name.length > 200 || typeof tag !== 'string' || tag.length > 1_000) return false;
    }
    return true;
  },
  { message: 'tags must map names (at most 200 characters) to string values (at most 1,000 characters)' },
);

export const Event = z.object({
  /** Optional stable id; without one the event's content is its identity, so re-imports upsert. */
  id: z.string().min(1).max(100).optional(),
  timestamp: isoTime,
  projectId: id,
  environment: z.string().max(200).nullable().optional(),
  level: z.string().max(50).nullable().optional(),
  message: z.string().max(100_000).nullable().optional(),
  user: z.string().max(200).nullable().optional(),
  release: z.string().max(200).nullable().optional(),
  transaction: z.string().max(1_000).nullable().optional(),
  duration: z.number().finite().min(0).nullable().optional(),
  status: z.string().max(100).nullable().optional(),
  tags: Tags.optional(),
});
export type Event = z.infer<typeof Event>;

export const SessionStatus = z.enum(['ok', 'exited', 'errored', 'crashed', 'abnormal']);

export const Session = z.object({
  id: z.string().min(1).max(100).optional(),
  timestamp: isoTime,
  projectId: id,
  environment: z.string().max(200).nullable().optional(),
  release: z.string().max(200).nullable().optional(),
  user: z.string().max(200).nullable().optional(),
  status: SessionStatus,
  quantity: z.number().int().min(1).default(1),
});
export type Session = z.infer<typeof Session>;

/** A channel following a rule (null: every rule): a Discord channel id, or a stored Teams conversation reference. */
export const DatasetSubscription = z
  .object({
    platform: Platform,
    organizationId: slug,
    channelId: z.string().min(1).max(500).optional(),
    conversation: z.looseObject({ conversation: z.looseObject({ id: z.string().min(1) }) }).optional(),
    ruleId: id.nullable(),
  })
  .refine((subscription) => subscription.channelId !== undefined || subscription.conversation !== undefined, {
    message: 'a subscription needs a channelId (Discord) or a conversation reference (Teams)',
  });
export type DatasetSubscription = z.infer<typeof DatasetSubscription>;

export const Dataset = z.object({
  version: z.literal(1),
  organizations: z.array(Organization).default([]),
  installations: z.array(Installation).default([]),
  projects: z.array(Project).default([]),
  alertRules: z.array(AlertRule).default([]),
  incidents: z.array(Incident).default([]),
  events: z.array(Event).default([]),
  sessions: z.array(Session).default([]),
  subscriptions: z.array(DatasetSubscription).default([]),
});
export type Dataset = z.infer<typeof Dataset>;
export type DatasetInput = z.input<typeof Dataset>;
