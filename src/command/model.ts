// The shared command model: every platform request becomes one of these, every answer one Reply.
import { z } from 'zod';
import type { IncidentCard, IncidentSummary } from '../card/model.ts';
import { IncidentAction, type ActionOutcome, type ResponderNeed } from '../actions/model.ts';
import { IncidentStatus } from '../domain.ts';

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
  /** The name the platform shows for the user (cards use a member's name first). */
  name: z.string().max(200).nullable().default(null),
  /** Role ids the platform signed for the user in this workspace (installation responderRoleIds match these). */
  roles: z.array(z.string().max(100)).max(250).default([]),
  /**
   * Whether the platform's own default lets this user act on cards (the adapter decides from what the platform
   * signed); an installation's responders list overrides it (src/actions/permission.ts).
   */
  defaultResponder: z.boolean().default(false),
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
  // Subscriptions of the actor's channel (notifications). `allowed` is the adapter's answer to "may this person
  // change what this channel follows" by the platform's own permissions (true where it has none to read); the
  // installation's `subscribers` list, when set, is checked on top.
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
  z.object({
    kind: z.literal('rule.autocomplete'),
    actor: Actor,
    text: z.string().max(200),
    count: z.number().int().min(1).max(25).default(25),
  }),
  z.object({
    kind: z.literal('incident.act'),
    actor: Actor,
    ref: IncidentRef,
    action: IncidentAction,
    /** The incident version the card showed: the action applies only to that version (compare-and-set). */
    cardVersion: z.number().int().min(1).nullable(),
    /** The platform's id of this delivery (interaction id, activity id): a repeat is recorded once. */
    requestId: z.string().min(1).max(200),
    /** Which card it came from, for the activity log. */
    card: z.string().max(300),
  }),
]);
export type Command = z.infer<typeof Command>;
/** What adapters hand the dispatcher: fields with a default may be left out; dispatch parses it once. */
export type CommandInput = z.input<typeof Command>;

export type Choice = { name: string; value: string };

/** Every command kind, in the order help lists them; each adapter words those it offers. */
export type CommandKind = Command['kind'];

type ErrorCode =
  | 'not_installed'
  | 'not_found'
  | 'other_organization'
  | 'rule_not_found'
  | 'bad_request'
  | 'unavailable'
  | 'forbidden'
  | 'not_in_channel';

/** Why a subscription change was refused: what the asker lacks. */
export type ForbiddenBecause = 'channel_permission' | 'not_a_subscriber';

/** An error names what went wrong and the facts the words need; each adapter chooses the words. */
export type ErrorReply =
  | {
      kind: 'error';
      code: 'not_found';
      refs: IncidentRef[];
      /** The name of the organization that was searched; null when the adapter itself found nothing. */
      organization: string | null;
    }
  /**
   * Nothing shown: `refs` link to another organization's incidents (which one is not said, nor whether they
   * exist), `missing` are not in the asker's own organization `organization`.
   */
  | {
      kind: 'error';
      code: 'other_organization';
      refs: IncidentRef[];
      missing: IncidentRef[];
      organization: string;
    }
  /** The rule a subscription named (an id or a name, as typed) is not one of the organization's. */
  | { kind: 'error'; code: 'rule_not_found'; rule: string; organization: string }
  | {
      kind: 'error';
      code: 'forbidden';
      because?: ForbiddenBecause;
      /** An action: what the person would need. */
      need?: ResponderNeed;
    }
  | {
      kind: 'error';
      code: Exclude<ErrorCode, 'not_found' | 'other_organization' | 'rule_not_found' | 'forbidden'>;
    };

/** A rule a channel follows; null in its place means every rule of the organization. */
export type RuleName = { id: number; name: string };

/** What a subscribe/unsubscribe just did. */
export type SubscriptionChange = { kind: 'added' | 'already' | 'removed' | 'absent'; rule: RuleName | null };

export type SubscriptionItem = {
  rule: RuleName | null;
  status: 'active' | 'broken';
  /** The platform's answer that stopped delivery (e.g. "403 Missing Access"), when broken. */
  brokenReason: string | null;
};

/**
 * What a handler answers (plain types: handlers build replies, nothing parses them): codes and data, no platform
 * words. Renderers decide presentation and wording; `error` replies are for the asking user only (ephemeral where
 * the platform allows).
 */
export type Reply =
  | { kind: 'cards'; cards: IncidentCard[]; notFound: IncidentRef[] }
  | { kind: 'list'; title: string; items: IncidentSummary[]; total: number; skip: number }
  | { kind: 'choices'; choices: Choice[] }
  /** The commands a user can give, in the order help lists them. */
  | { kind: 'help'; commands: CommandKind[] }
  /** What the channel follows (of the organization), after the change just made, if any. */
  | {
      kind: 'subscriptions';
      change: SubscriptionChange | null;
      organization: string;
      items: SubscriptionItem[];
    }
  /** An action from a card: what happened, and the card as the incident is now. */
  | { kind: 'action'; outcome: ActionOutcome; card: IncidentCard }
  | ErrorReply;
