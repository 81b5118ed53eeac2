// The shared command model: every platform request becomes one of these, every answer one Reply.
import { z } from 'zod';
import { IncidentCard, IncidentSummary } from '../card/model.ts';
import { IncidentStatus } from '../store/dataset.ts';

export const ActorPlatform = z.enum(['discord', 'teams', 'cli']);
export type ActorPlatform = z.infer<typeof ActorPlatform>;

export const Actor = z.object({
  platform: ActorPlatform,
  userId: z.string(),
  /** Discord guild id or Teams tenant id; null in a DM outside any guild. */
  tenantId: z.string().nullable(),
  channelId: z.string().nullable().default(null),
  locale: z.string().default('en-US'),
  /** Platform permission bits or role names, as the adapter knows them. */
  permissions: z.string().nullable().default(null),
});
export type Actor = z.infer<typeof Actor>;

/** What a user names: `42` (organization from tenancy) or a link that carries the organization. */
export const IncidentRef = z.object({
  organizationId: z.string().nullable().default(null),
  identifier: z.number().int().positive(),
});
export type IncidentRef = z.infer<typeof IncidentRef>;

export const MAX_CARDS_PER_MESSAGE = 10;

export const Command = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('incident.show'), actor: Actor, ref: IncidentRef }),
  z.object({ kind: z.literal('incident.refresh'), actor: Actor, ref: IncidentRef }),
  z.object({
    kind: z.literal('incident.unfurl'),
    actor: Actor,
    refs: z.array(IncidentRef).min(1).max(MAX_CARDS_PER_MESSAGE),
  }),
  z.object({
    kind: z.literal('incident.list'),
    actor: Actor,
    status: IncidentStatus.nullable().default(null),
    skip: z.number().int().min(0).default(0),
    count: z.number().int().min(1).max(25).default(10),
  }),
  z.object({
    kind: z.literal('incident.search'),
    actor: Actor,
    text: z.string().max(200),
    skip: z.number().int().min(0).default(0),
    count: z.number().int().min(1).max(25).default(10),
  }),
  z.object({ kind: z.literal('incident.autocomplete'), actor: Actor, text: z.string().max(200) }),
  z.object({ kind: z.literal('help'), actor: Actor }),
  // Subscriptions of the actor's channel (notifications). `allowed` is the adapter's answer to "may this person
  // change what this channel follows" (Discord: Manage Channels; Teams: the installation's rule).
  z.object({
    kind: z.literal('subscription.add'),
    actor: Actor,
    /** A rule id or name; null follows every rule of the organization. */
    rule: z.string().max(200).nullable(),
    allowed: z.boolean(),
    /** The platform's conversation reference, where proactive messages need one (Teams). */
    conversation: z.unknown().nullable().default(null),
  }),
  z.object({
    kind: z.literal('subscription.remove'),
    actor: Actor,
    rule: z.string().max(200).nullable(),
    allowed: z.boolean(),
  }),
  z.object({ kind: z.literal('subscription.list'), actor: Actor }),
  z.object({ kind: z.literal('rule.autocomplete'), actor: Actor, text: z.string().max(200) }),
]);
export type Command = z.infer<typeof Command>;

export const Choice = z.object({ name: z.string().max(100), value: z.string().max(100) });
export type Choice = z.infer<typeof Choice>;

export const SubscriptionLine = z.object({
  rule: z.string(),
  status: z.enum(['active', 'broken']),
  brokenReason: z.string().nullable(),
});
export type SubscriptionLine = z.infer<typeof SubscriptionLine>;

export const HelpEntry = z.object({ usage: z.string(), description: z.string() });

/**
 * What a handler answers. Renderers decide presentation; `error` replies are for the asking user only
 * (ephemeral where the platform allows).
 */
export const Reply = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('cards'), cards: z.array(IncidentCard), notFound: z.array(IncidentRef) }),
  z.object({
    kind: z.literal('list'),
    title: z.string(),
    items: z.array(IncidentSummary),
    total: z.number().int(),
    skip: z.number().int(),
  }),
  z.object({ kind: z.literal('choices'), choices: z.array(Choice).max(25) }),
  z.object({ kind: z.literal('help'), title: z.string(), entries: z.array(HelpEntry), footer: z.string() }),
  z.object({
    kind: z.literal('subscriptions'),
    title: z.string(),
    /** What just changed ("This channel now follows …"), or how to subscribe when nothing is followed. */
    message: z.string(),
    items: z.array(SubscriptionLine),
  }),
  z.object({
    kind: z.literal('error'),
    code: z.enum(['not_installed', 'not_found', 'bad_request', 'unavailable', 'forbidden']),
    message: z.string(),
  }),
]);
export type Reply = z.infer<typeof Reply>;
export type ErrorReply = Extract<Reply, { kind: 'error' }>;
