// Every Teams activity → one ParsedActivity: the shared Command (or the data the answer needs) with the raw
// activity beside it, or an explicit `invalid` (ours, but unusable) / `unsupported` (not ours) case. One
// function reads the activity's type and invoke name; nothing is guessed from a payload's shape.
import type {
  Activity,
  AppBasedLinkQuery,
  ConversationReference,
  MessagingExtensionAction,
  MessagingExtensionQuery,
} from 'botbuilder';
import { findIncidentRefs, type LinkSettings } from '../../src/command/incident-links.ts';
import { type Actor, type Command, IncidentRef, MAX_CARDS_PER_MESSAGE } from '../../src/command/model.ts';
import { IncidentStatus } from '../../src/domain.ts';
import { ANONYMOUS_QUERY_LINK, SEARCH_COMMAND_ID } from './commands.ts';
import {
  type ParsedRefresh,
  parseCardAction,
  parseQueryLink,
  parseSearchQuery,
  parseSubmittedRefresh,
  type RefreshTrigger,
  refsInMessage,
  tickedRefs,
} from './invoke-values.ts';
import { parseActionExecute } from './action-values.ts';
import type { RefreshData } from './card-actions.ts';

type CommandOf<K extends Command['kind']> = Extract<Command, { kind: K }>;

/** The invokes whose own answer explains a failure (each surface has its own way to say "no"). */
export type InvalidSurface =
  | 'link-unfurl'
  | 'anonymous-link-unfurl'
  | 'search'
  | 'select-item'
  | 'insert'
  | 'card-refresh'
  | 'malformed';

export type ParsedActivity =
  /**
   * A message to the bot: `@bot incident 42`, `list`, `help`, or pasted incident links / `#42` (anything else
   * is answered with help).
   */
  | { kind: 'message'; command: Command; activity: Activity }
  /**
   * `@bot subscribe [rule]`: this channel or group chat gets a card per incident. The command carries the
   * conversation reference proactive messages need (none in a personal chat: there is no channel to post to).
   */
  | { kind: 'subscribe'; command: CommandOf<'subscription.add'>; activity: Activity }
  /** `@bot unsubscribe [rule]`. */
  | { kind: 'unsubscribe'; command: CommandOf<'subscription.remove'>; activity: Activity }
  /** `@bot subscriptions`: what this conversation follows. */
  | { kind: 'subscriptions'; command: CommandOf<'subscription.list'>; activity: Activity }
  /** Refresh pressed on a client without Universal Actions: an Action.Submit posted back as a message. */
  | { kind: 'submitted-refresh'; refresh: ParsedRefresh; activity: Activity }
  /** `adaptiveCard/action`, verb refresh: pressed by a person (manual) or run by Teams on view (automatic). */
  | { kind: 'card-refresh'; refresh: ParsedRefresh; trigger: RefreshTrigger; activity: Activity }
  /** `adaptiveCard/action` with an action verb (acknowledge, resolve…): a person acting on the card. */
  | { kind: 'card-action'; command: CommandOf<'incident.act'>; data: RefreshData; activity: Activity }
  /** `composeExtension/queryLink`: a pasted incident link. */
  | { kind: 'link-unfurl'; command: CommandOf<'incident.unfurl'>; activity: Activity }
  /** `composeExtension/query`: search by identifier or title words, paged. */
  | { kind: 'search'; command: CommandOf<'incident.search'>; activity: Activity }
  /** `composeExtension/selectItem`: a picked search result. */
  | { kind: 'select-item'; command: CommandOf<'incident.show'>; activity: Activity }
  /** `composeExtension/fetchTask` (message action): the references found in the message, none computed yet. */
  | { kind: 'message-action'; refs: IncidentRef[]; activity: Activity }
  /** `composeExtension/submitAction`: the references still ticked in the task module, one bulk command. */
  | { kind: 'insert'; command: CommandOf<'incident.unfurl'>; activity: Activity }
  /** `composeExtension/onCardButtonClicked`: a button on an inserted card; there is nothing to update. */
  | { kind: 'card-button'; activity: Activity }
  /** The bot was added to a conversation (or the app installed): where it can post later. */
  | { kind: 'installed'; tenantId: string; conversationId: string; activity: Activity }
  /** Meant for us but unusable (a stale card, a link that is no incident): answered on its surface. */
  | { kind: 'invalid'; surface: InvalidSurface; reason: string; activity: Activity }
  /** Anything else Teams sends (typing, reactions, other invokes): no answer, or 501 for an invoke. */
  | { kind: 'unsupported'; reason: string; activity: Activity };

export function parseActivity(activity: Activity, links: LinkSettings): ParsedActivity {
  const actor = actorFromActivity(activity);
  switch (activity.type) {
    case 'message':
      return parseMessage(activity, actor, links);
    case 'invoke':
      try {
        return parseInvoke(activity, actor, links);
      } catch (error) {
        // A value of the wrong shape (a number where Teams sends text…) is the caller's mistake: 400, not 500.
        return invalid(activity, 'malformed', `malformed ${activity.name}: ${(error as Error).message}`);
      }
    case 'conversationUpdate':
      return installed(activity, actor);
    case 'installationUpdate':
      // botbuilder's onInstallationUpdateAdd: a new install, or an upgrade that re-adds the app.
      return activity.action === 'add' || activity.action === 'add-upgrade'
        ? installed(activity, actor)
        : unsupported(activity, `installationUpdate ${activity.action ?? ''}`);
    default:
      return unsupported(activity, `activity type ${activity.type}`);
  }
}

function parseMessage(activity: Activity, actor: Actor, links: LinkSettings): ParsedActivity {
  // An Action.Submit (the Refresh fallback on clients without Universal Actions) arrives as a message
  // with a value and no text; it updates the card it came from.
  if (activity.value && !activity.text) {
    const refresh = parseSubmittedRefresh(activity.value, actor);
    return refresh
      ? { kind: 'submitted-refresh', refresh, activity }
      : unsupported(activity, 'a submitted value that is not a refresh');
  }
  // A message that carries only cards (e.g. "Send to conversation" after a link unfurl) asks nothing.
  if (!activity.text?.trim()) return unsupported(activity, 'a message without text');
  const text = withoutBotMention(activity);
  return (
    parseSubscription(text, actor, activity) ?? {
      kind: 'message',
      command: parseMessageText(text, actor, links),
      activity,
    }
  );
}

/**
 * Teams has no per-channel permission the bot can read: anyone in the conversation passes `allowed`, and the
 * installation's `subscribers` list (when set) decides.
 */
function parseSubscription(text: string, actor: Actor, activity: Activity): ParsedActivity | null {
  const [verb = '', ...words] = text.trim().split(/\s+/);
  const rule = words.join(' ') || null;
  const personal = activity.conversation?.conversationType === 'personal';
  const inChannel = personal ? { ...actor, channelId: null } : actor;
  switch (verb.toLowerCase()) {
    case 'subscribe':
      return {
        kind: 'subscribe',
        command: {
          kind: 'subscription.add',
          actor: inChannel,
          rule,
          allowed: true,
          conversation: personal ? null : proactiveReference(activity, actor.channelId),
        },
        activity,
      };
    case 'unsubscribe':
      return {
        kind: 'unsubscribe',
        command: { kind: 'subscription.remove', actor: inChannel, rule, allowed: true },
        activity,
      };
    case 'subscriptions':
      return { kind: 'subscriptions', command: { kind: 'subscription.list', actor: inChannel }, activity };
    default:
      return null;
  }
}

/**
 * The Bot Framework conversation reference (as botbuilder's getConversationReference builds it) for the channel
 * itself, not the thread the command was typed in, and without the command's activity id: cards start new
 * threads instead of answering the command.
 */
function proactiveReference(activity: Activity, channelId: string | null): ConversationReference {
  return {
    user: activity.from,
    bot: activity.recipient,
    conversation: { ...activity.conversation, id: channelId ?? activity.conversation.id },
    channelId: activity.channelId,
    locale: activity.locale,
    serviceUrl: activity.serviceUrl,
  };
}

function parseInvoke(activity: Activity, actor: Actor, links: LinkSettings): ParsedActivity {
  const value = activity.value ?? {};
  switch (activity.name) {
    case 'composeExtension/queryLink': {
      const ref = parseQueryLink(value as AppBasedLinkQuery, links);
      if (!ref) return invalid(activity, 'link-unfurl', 'not an incident link');
      return { kind: 'link-unfurl', command: { kind: 'incident.unfurl', actor, refs: [ref] }, activity };
    }
    case ANONYMOUS_QUERY_LINK:
      return invalid(
        activity,
        'anonymous-link-unfurl',
        'the manifest does not set supportsAnonymizedPayloads',
      );
    case 'composeExtension/query': {
      const query = value as MessagingExtensionQuery;
      if (query.commandId !== SEARCH_COMMAND_ID)
        return invalid(activity, 'search', `unknown search command ${String(query.commandId)}`);
      return { kind: 'search', command: parseSearchQuery(query, actor), activity };
    }
    case 'composeExtension/selectItem': {
      const ref = IncidentRef.safeParse(activity.value);
      if (!ref.success) return invalid(activity, 'select-item', 'not a search result');
      return { kind: 'select-item', command: { kind: 'incident.show', actor, ref: ref.data }, activity };
    }
    case 'composeExtension/fetchTask':
      return {
        kind: 'message-action',
        refs: refsInMessage(value as MessagingExtensionAction, links),
        activity,
      };
    case 'composeExtension/submitAction': {
      const kept = tickedRefs(value as MessagingExtensionAction);
      if (!kept.ok) return invalid(activity, 'insert', kept.reason);
      return { kind: 'insert', command: { kind: 'incident.unfurl', actor, refs: kept.refs }, activity };
    }
    case 'composeExtension/onCardButtonClicked':
      return { kind: 'card-button', activity };
    case 'adaptiveCard/action': {
      const act = parseActionExecute(activity.value, actor, activity);
      if (act)
        return act.ok
          ? { kind: 'card-action', command: act.command, data: act.data, activity }
          : invalid(activity, 'card-refresh', act.reason);
      const parsed = parseCardAction(activity.value, actor);
      if (!parsed.ok) return invalid(activity, 'card-refresh', parsed.reason);
      return { kind: 'card-refresh', refresh: parsed.refresh, trigger: parsed.trigger, activity };
    }
    default:
      return unsupported(activity, `invoke ${activity.name ?? '(unnamed)'}`);
  }
}

/** Keyed like subscriptions: a channel's own id (a channel message's conversation id names its thread). */
function installed(activity: Activity, actor: Actor): ParsedActivity {
  const conversationId = actor.channelId;
  if (!actor.tenantId || !conversationId) return unsupported(activity, 'no tenant or conversation');
  return { kind: 'installed', tenantId: actor.tenantId, conversationId, activity };
}

function invalid(activity: Activity, surface: InvalidSurface, reason: string): ParsedActivity {
  return { kind: 'invalid', surface, reason, activity };
}

function unsupported(activity: Activity, reason: string): ParsedActivity {
  return { kind: 'unsupported', reason, activity };
}

/** The text without the bot's own @mention (as botbuilder's TurnContext.removeRecipientMention does). */
function withoutBotMention(activity: Activity): string {
  const text = activity.text ?? '';
  const botId = activity.recipient?.id;
  const mention = (activity.entities ?? []).find(
    (entity) =>
      entity.type?.toLowerCase() === 'mention' &&
      (entity as { mentioned?: { id?: string } }).mentioned?.id === botId,
  ) as { text?: string } | undefined;
  return mention?.text ? text.replace(mention.text, '').trim() : text;
}

export function actorFromActivity(activity: Activity): Actor {
  const channelData = (activity.channelData ?? {}) as { tenant?: { id?: string }; channel?: { id?: string } };
  const conversation = activity.conversation as
    | (Activity['conversation'] & { tenantId?: string })
    | undefined;
  return {
    platform: 'teams',
    userId: activity.from?.aadObjectId ?? activity.from?.id ?? 'unknown',
    tenantId: channelData.tenant?.id ?? conversation?.tenantId ?? null,
    channelId: channelData.channel?.id ?? (conversation?.id ? channelConversationId(conversation.id) : null),
    locale: activity.locale ?? 'en-US',
    permissions: null,
    name: activity.from?.name ?? null,
    roles: [],
    // Teams' default: anyone in the connected tenant may act (an installation's responders list narrows it).
    defaultResponder: true,
  };
}

/** A channel message's conversation id names its thread (`…;messageid=…`); the channel is the part before. */
export function channelConversationId(conversationId: string): string {
  return conversationId.split(';messageid=')[0] ?? conversationId;
}

/**
 * `@bot incident 42`, `incident #42`, `incident <link>`, `list [status]`, `help` (mention already removed).
 * A message that pastes incident links or `#42` gets their cards. Anything else is answered with help, so
 * a user who guesses always learns the words.
 */
export function parseMessageText(text: string, actor: Actor, links: LinkSettings): Command {
  const words = text.trim().replace(/\s+/g, ' ').split(' ');
  const verb = (words[0] ?? '').toLowerCase();
  const rest = words.slice(1).join(' ');
  if (verb === 'list') {
    const status = IncidentStatus.safeParse(rest.toLowerCase());
    return { kind: 'incident.list', actor, status: status.success ? status.data : null, skip: 0, count: 10 };
  }
  if (verb === 'help') return { kind: 'help', actor };
  const shown = verb === 'incident' || verb === 'show' ? rest.replace(/^(\d+)\b/, '#$1') : text;
  return cardsFor(findIncidentRefs(shown, links), actor) ?? { kind: 'help', actor };
}

function cardsFor(found: IncidentRef[], actor: Actor): Command | null {
  const refs = found.slice(0, MAX_CARDS_PER_MESSAGE);
  const [first] = refs;
  if (refs.length === 1 && first) return { kind: 'incident.show', actor, ref: first };
  if (refs.length > 1) return { kind: 'incident.unfurl', actor, refs };
  return null;
}
