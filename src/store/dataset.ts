// The import file format (docs/dataset-format.md) as zod schemas: what a dataset file may hold, built on the domain
// schemas plus the event and session rows that only an import carries.
import { z } from 'zod';
import {
  AlertRule,
  Incident,
  Installation,
  Member,
  id,
  isoTime,
  Organization,
  Platform,
  Project,
  slug,
} from '../domain.ts';
import { tagsProblem } from '../event-limits.ts';
import { ProjectKey } from '../keys/project-key.ts';

/**
 * Tag names (≤ 200 characters) to string values (≤ 1,000), within the count and bytes of event-limits.ts. A plain check rather than z.record: it is the
 * hottest part of validating a million-line import, and z.record costs half of each line's validation time.
 */
const Tags = z
  .custom<Record<string, string>>(
    (value) => {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
      for (const [name, tag] of Object.entries(value)) {
        if (name.length > 200 || typeof tag !== 'string' || tag.length > 1_000) return false;
      }
      return true;
    },
    { message: 'tags must map names (at most 200 characters) to string values (at most 1,000 characters)' },
  )
  .superRefine((tags, context) => {
    const problem = tagsProblem(tags);
    if (problem) context.addIssue({ code: 'custom', message: problem });
  });

export const Event = z.object({
  /** Optional stable id (Sentry's event_id); without one, its file and position are its identity (normalize.ts). */
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
  projectKeys: z.array(ProjectKey).default([]),
  subscriptions: z.array(DatasetSubscription).default([]),
  members: z.array(Member).default([]),
});
export type Dataset = z.infer<typeof Dataset>;
