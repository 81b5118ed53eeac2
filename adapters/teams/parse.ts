// Every Teams activity → one ParsedActivity: the shared Command (or the data the answer needs) with the raw
// activity beside it, or an explicit `invalid` (ours, but unusable) / `unsupported` (not ours) case. One
// function reads the activity's type and invoke name; nothing is guessed from a payload's shape.
import type {
  Activity,
  AppBasedLinkQuery,
  MessagingExtensionAction,
  MessagingExtensionQuery,
} from 'botbuilder';
import { z } from 'zod';
import { findIncidentRefs, type LinkSettings, parseIncidentLink } from '../../src/command/incident-links.ts';
import { type Actor, type Command, IncidentRef, MAX_CARDS_PER_MESSAGE } from '../../src/command/model.ts';
import { IncidentStatus } from '../../src/store/dataset.ts';
import { INSERT_VERB, REFRESH_VERB, RefreshData, RefreshSubmitData } from './card-actions.ts';
import { MAX_SEARCH_PAGE } from './limits.ts';
import { refInputId } from './render-task.ts';

type CommandOf<K extends Command['kind']> = Extract<Command, { kind: K }>;

type RefreshTrigger = 'manual' | 'automatic';
/** A refresh of one incident (its own command) or of a digest card (one bulk unfurl), with the card's data. */
type ParsedRefresh = {
  command: CommandOf<'incident.refresh' | 'incident.unfurl'>;
  data: RefreshData;
};

/** The invokes whose own answer explains a failure (each surface has its own way to say "no"). */
export type InvalidSurface = 'link-unfurl' | 'select-item' | 'insert' | 'card-refresh';

export type ParsedActivity =
  /** A message to the bot: `@bot incident 42`, `list`, `help` (anything else is answered with help). */
  | { kind: 'message'; command: Command; activity: Activity }
  /** Refresh pressed on a client without Universal Actions: an Action.Submit posted back as a message. */
  | { kind: 'submitted-refresh'; refresh: ParsedRefresh; activity: Activity }
  /** `adaptiveCard/action`, verb refresh: pressed by a person (manual) or run by Teams on view (automatic). */
  | { kind: 'card-refresh'; refresh: ParsedRefresh; trigger: RefreshTrigger; activity: Activity }
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
      return parseInvoke(activity, actor, links);
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
  const command = parseMessageText(withoutBotMention(activity), actor, links);
  return { kind: 'message', command, activity };
}

function parseInvoke(activity: Activity, actor: Actor, links: LinkSettings): ParsedActivity {
  const value = activity.value ?? {};
  switch (activity.name) {
    case 'composeExtension/queryLink': {
      const ref = parseQueryLink(value as AppBasedLinkQuery, links);
      if (!ref) return invalid(activity, 'link-unfurl', 'not an incident link');
      return { kind: 'link-unfurl', command: { kind: 'incident.unfurl', actor, refs: [ref] }, activity };
    }
    case 'composeExtension/query':
      return { kind: 'search', command: parseSearchQuery(value as MessagingExtensionQuery, actor), activity };
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
      const parsed = parseCardAction(activity.value, actor);
      if (!parsed.ok) return invalid(activity, 'card-refresh', parsed.reason);
      return { kind: 'card-refresh', refresh: parsed.refresh, trigger: parsed.trigger, activity };
    }
    default:
      return unsupported(activity, `invoke ${activity.name ?? '(unnamed)'}`);
  }
}

function installed(activity: Activity, actor: Actor): ParsedActivity {
  const conversationId = activity.conversation?.id;
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
    channelId: channelData.channel?.id ?? conversation?.id ?? null,
    locale: activity.locale ?? 'en-US',
    permissions: null,
  };
}

/**
 * `@bot incident 42`, `incident #42`, `incident <link>`, `list [status]`, `help` (mention already removed).
 * Anything else is answered with help, so a user who guesses always learns the words.
 */
export function parseMessageText(text: string, actor: Actor, links: LinkSettings): Command {
  const words = text.trim().replace(/\s+/g, ' ').split(' ');
  const verb = (words[0] ?? '').toLowerCase();
  const rest = words.slice(1).join(' ');
  if (verb === 'list') {
    const status = IncidentStatus.safeParse(rest.toLowerCase());
    return { kind: 'incident.list', actor, status: status.success ? status.data : null, skip: 0, count: 10 };
  }
  if (verb === 'incident' || verb === 'show') {
    const refs = findIncidentRefs(rest.replace(/^(\d+)\b/, '#$1'), links).slice(0, MAX_CARDS_PER_MESSAGE);
    const [first] = refs;
    if (refs.length === 1 && first) return { kind: 'incident.show', actor, ref: first };
    if (refs.length > 1) return { kind: 'incident.unfurl', actor, refs };
  }
  return { kind: 'help', actor };
}

function parseQueryLink(query: AppBasedLinkQuery, links: LinkSettings): IncidentRef | null {
  return query.url ? parseIncidentLink(query.url, links) : null;
}

export function parseSearchQuery(query: MessagingExtensionQuery, actor: Actor): CommandOf<'incident.search'> {
  const parameters = query.parameters ?? [];
  const initialRun = parameters.some((p) => p.name === 'initialRun' && String(p.value) === 'true');
  const searchText = parameters.find((p) => p.name !== 'initialRun')?.value;
  const text = initialRun || typeof searchText !== 'string' ? '' : searchText.trim().replace(/^#/, '');
  const skip = Math.max(0, Math.floor(Number(query.queryOptions?.skip ?? 0)) || 0);
  const count = Math.min(
    MAX_SEARCH_PAGE,
    Math.max(1, Math.floor(Number(query.queryOptions?.count ?? 10)) || 10),
  );
  return { kind: 'incident.search', actor, text: text.slice(0, 200), skip, count };
}

/** The message a message action runs on: links in its HTML body and `#<id>` mentions in its text. */
export function refsInMessage(action: MessagingExtensionAction, links: LinkSettings): IncidentRef[] {
  const content = action.messagePayload?.body?.content ?? '';
  const hrefs = [...content.matchAll(/href="([^"]*)"/gi)].map((match) => decodeEntities(match[1] ?? ''));
  const text = decodeEntities(content.replace(/<[^>]*>/g, ' '));
  return findIncidentRefs(`${hrefs.join(' ')} ${text}`, links).slice(0, MAX_CARDS_PER_MESSAGE);
}

function decodeEntities(html: string): string {
  const named: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };
  return html.replace(/&(#\d+|#x[0-9a-f]+|[a-z]+);/gi, (whole, entity: string) => {
    if (entity[0] !== '#') return named[entity.toLowerCase()] ?? whole;
    const code =
      entity[1] === 'x' || entity[1] === 'X' ? Number.parseInt(entity.slice(2), 16) : Number(entity.slice(1));
    return Number.isInteger(code) && code > 0 && code < 0x110000 ? String.fromCodePoint(code) : whole;
  });
}

const InsertData = z
  .object({ verb: z.literal(INSERT_VERB), refs: z.array(IncidentRef).min(1) })
  .catchall(z.unknown());

/** The task module's submit: the references still ticked. */
function tickedRefs(
  action: MessagingExtensionAction,
): { ok: true; refs: IncidentRef[] } | { ok: false; reason: string } {
  const data = InsertData.safeParse(action.data);
  if (!data.success) return { ok: false, reason: 'not an insert from our task module' };
  const kept = data.data.refs.filter((_, index) => data.data[refInputId(index)] !== 'false');
  if (kept.length === 0) return { ok: false, reason: 'no incident selected' };
  return { ok: true, refs: kept.slice(0, MAX_CARDS_PER_MESSAGE) };
}

const CardInvoke = z.object({
  action: z.object({ type: z.literal('Action.Execute'), verb: z.string(), data: z.unknown() }),
  trigger: z.enum(['manual', 'automatic']).optional(),
});

/** `adaptiveCard/action`: only the refresh verb exists; the trigger says whether a person pressed it. */
function parseCardAction(
  value: unknown,
  actor: Actor,
): { ok: true; refresh: ParsedRefresh; trigger: RefreshTrigger } | { ok: false; reason: string } {
  const invoke = CardInvoke.safeParse(value);
  if (!invoke.success) return { ok: false, reason: 'not an Action.Execute invoke' };
  if (invoke.data.action.verb !== REFRESH_VERB)
    return { ok: false, reason: `unknown verb ${invoke.data.action.verb}` };
  const data = RefreshData.safeParse(invoke.data.action.data);
  if (!data.success) return { ok: false, reason: 'refresh without an incident' };
  return { ok: true, refresh: refreshCommand(data.data, actor), trigger: invoke.data.trigger ?? 'manual' };
}

/** The `Action.Submit` fallback arrives as a message whose `value` is the refresh data. */
function parseSubmittedRefresh(value: unknown, actor: Actor): ParsedRefresh | null {
  const data = RefreshSubmitData.safeParse(value);
  return data.success ? refreshCommand(data.data, actor) : null;
}

function refreshCommand(data: RefreshData, actor: Actor): ParsedRefresh {
  const clean = RefreshData.parse(data);
  const [only] = clean.refs;
  const command: ParsedRefresh['command'] =
    clean.refs.length === 1 && only
      ? { kind: 'incident.refresh', actor, ref: only }
      : { kind: 'incident.unfurl', actor, refs: clean.refs };
  return { command, data: clean };
}
