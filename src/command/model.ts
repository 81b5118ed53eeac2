// The shared command model: every platform request becomes one of these, every answer one Reply.
import { z } from 'zod';
import { IncidentCard, IncidentSummary } from '../card/model.ts';
import { IncidentStatus } from '../store/dataset.ts';

export const ActorPlatform = z.enum(['discord', 'teams', 'cli']);
export type ActorPlatform = z.infer<typeof ActorPlatform>;

export const Actor = z.object({
  platform: ActorPlatform,
  userId: z.string(),
  /** The workspace the platform says the user is in (its installation key); null when there is none. */
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
  z.object({
    kind: z.literal('incident.autocomplete'),
    actor: Actor,
    text: z.string().max(200),
    /** The platform's cap on suggestions. */
    count: z.number().int().min(1).max(25).default(25),
  }),
  z.object({ kind: z.literal('help'), actor: Actor }),
]);
export type Command = z.infer<typeof Command>;

export const Choice = z.object({ name: z.string(), value: z.string() });
export type Choice = z.infer<typeof Choice>;

export const CommandKind = z.enum([
  'incident.show',
  'incident.refresh',
  'incident.unfurl',
  'incident.list',
  'incident.search',
  'incident.autocomplete',
  'help',
]);
export type CommandKind = z.infer<typeof CommandKind>;

const ErrorCode = z.enum(['not_installed', 'not_found', 'bad_request', 'unavailable', 'forbidden']);

/** An error names what went wrong and the facts the words need; each adapter chooses the words. */
export const ErrorReply = z.discriminatedUnion('code', [
  z.object({
    kind: z.literal('error'),
    code: z.literal('not_found'),
    refs: z.array(IncidentRef).min(1),
    /** The name of the organization that was searched; null when the adapter itself found nothing. */
    organization: z.string().nullable(),
  }),
  z.object({ kind: z.literal('error'), code: ErrorCode.exclude(['not_found']) }),
]);
export type ErrorReply = z.infer<typeof ErrorReply>;

/**
 * What a handler answers: codes and data, no platform words. Renderers decide presentation and wording;
 * `error` replies are for the asking user only (ephemeral where the platform allows).
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
  z.object({ kind: z.literal('choices'), choices: z.array(Choice) }),
  /** The commands a user can give, in the order help lists them; each adapter words those it offers. */
  z.object({ kind: z.literal('help'), commands: z.array(CommandKind) }),
  ErrorReply,
]);
export type Reply = z.infer<typeof Reply>;
