// One function per Teams interaction: activity in → parse → dispatch (with the Teams deadline) → render →
// the protocol answer out. Only Bot Framework protocol JSON crosses this file's edges, never an SDK object,
// so an SDK swap (botbuilder → Microsoft 365 Agents SDK) leaves it untouched.
import type {
  Activity,
  AdaptiveCardInvokeResponse,
  MessagingExtensionActionResponse,
  MessagingExtensionAttachment,
  MessagingExtensionResponse,
} from 'botbuilder';
import type { IncidentCard } from '../../src/card/model.ts';
import type { Dispatch } from '../../src/command/dispatch.ts';
import type { LinkSettings } from '../../src/command/incident-links.ts';
import type { Command, ErrorReply, IncidentRef, Reply } from '../../src/command/model.ts';
import type { IncidentRepository } from '../../src/repository.ts';
import { ADAPTIVE_CARD_CONTENT_TYPE, type AdaptiveCard, cardAttachment } from './adaptive-card.ts';
import { addWatcher } from './card-actions.ts';
import { SEARCH_COMMAND_ID } from './commands.ts';
import { AUTOMATIC_REFRESH_DEADLINE_MS, INVOKE_DEADLINE_MS, UNFURL_CACHE_SECONDS } from './limits.ts';
import {
  actorFromActivity,
  parseCardAction,
  parseMessageText,
  parseQueryLink,
  parseSearchQuery,
  parseSelectItem,
  parseSubmitAction,
  parseSubmittedRefresh,
  refsInMessage,
} from './parse.ts';
import { incidentPreview, liveCard, previewAttachment, unfurlCard } from './render.ts';
import { errorCard, errorText, helpCard, listCard, searchResultAttachment } from './render-replies.ts';
import { pickRefsCard, refLabel, TASK_TITLE } from './render-task.ts';

export type TeamsDeps = { dispatch: Dispatch; links: LinkSettings };

function ask(deps: TeamsDeps, command: Command, deadlineMs = INVOKE_DEADLINE_MS): Promise<Reply> {
  return deps.dispatch(command, { signal: AbortSignal.timeout(deadlineMs) });
}

/** The person asking: only they are listed for automatic refresh when a card is first posted. */
function asker(activity: Activity): string[] {
  return activity.from?.id ? [activity.from.id] : [];
}

const NO_UNFURL: MessagingExtensionResponse = {
  composeExtension: { type: 'result', attachmentLayout: 'list', attachments: [] },
};

function results(attachments: MessagingExtensionAttachment[]): MessagingExtensionResponse {
  return { composeExtension: { type: 'result', attachmentLayout: 'list', attachments } };
}

/** composeExtension/queryLink: a pasted incident link becomes a card with the live value. */
export async function answerQueryLink(
  activity: Activity,
  deps: TeamsDeps,
): Promise<MessagingExtensionResponse> {
  const parsed = parseQueryLink(activity.value ?? {}, actorFromActivity(activity), deps.links);
  if (!parsed.ok) return NO_UNFURL;
  const reply = await ask(deps, parsed.command);
  const cacheInfo = { cacheType: 'cache', cacheDuration: UNFURL_CACHE_SECONDS };
  if (reply.kind === 'cards' && reply.cards[0]) {
    const card = reply.cards[0];
    return {
      ...results([{ ...cardAttachment(unfurlCard(card)), preview: incidentPreview(card) }]),
      cacheInfo,
    };
  }
  // A missing incident (or another organization's) stays a plain link: unfurling "not found" into a
  // message would tell every reader something about the link.
  if (reply.kind !== 'error' || reply.code === 'not_found') return NO_UNFURL;
  const preview = previewAttachment('Incident cards', errorText(reply));
  return results([{ ...cardAttachment(errorCard(reply, '1.3')), preview }]);
}

/** composeExtension/query: the organization's incidents by identifier or title words, paged. */
export async function answerSearch(activity: Activity, deps: TeamsDeps): Promise<MessagingExtensionResponse> {
  if ((activity.value as { commandId?: unknown } | undefined)?.commandId !== SEARCH_COMMAND_ID)
    return results([]);
  const reply = await ask(deps, parseSearchQuery(activity.value ?? {}, actorFromActivity(activity)));
  if (reply.kind === 'list') return results(reply.items.map(searchResultAttachment));
  if (reply.kind === 'error') return { composeExtension: { type: 'message', text: errorText(reply) } };
  return results([]);
}

/** composeExtension/selectItem: the picked search result is inserted as the live card. */
export async function answerSelectItem(
  activity: Activity,
  deps: TeamsDeps,
): Promise<MessagingExtensionResponse> {
  const parsed = parseSelectItem(activity.value, actorFromActivity(activity));
  if (!parsed.ok) return results([]);
  const reply = await ask(deps, parsed.command);
  if (reply.kind === 'cards' && reply.cards.length > 0)
    return results([liveAttachment(reply.cards, activity)]);
  if (reply.kind === 'error') return { composeExtension: { type: 'message', text: errorText(reply) } };
  return results([]);
}

/** The repository question the message-action dialog asks: whose `#42` is it? */
export type FetchTaskDeps = TeamsDeps & { repository: Pick<IncidentRepository, 'organizationForTenant'> };

/**
 * composeExtension/fetchTask (message action): show what the message references, nothing computed yet.
 * A bare `#42` means the tenant's own organization, so every row reads the same way ("acme #42").
 */
export function answerFetchTask(activity: Activity, deps: FetchTaskDeps): MessagingExtensionActionResponse {
  const { tenantId } = actorFromActivity(activity);
  const home = tenantId ? (deps.repository.organizationForTenant('teams', tenantId)?.id ?? null) : null;
  const refs: IncidentRef[] = distinctRefs(
    refsInMessage(activity.value ?? {}, deps.links).map((ref) => ({
      ...ref,
      organizationId: ref.organizationId ?? home,
    })),
  );
  if (refs.length === 0) {
    return { task: { type: 'message', value: 'This message has no incident links or #ids.' } };
  }
  return {
    task: {
      type: 'continue',
      value: {
        title: TASK_TITLE,
        card: cardAttachment(pickRefsCard(refs)),
        width: 'medium',
        height: 'medium',
      },
    },
  };
}

/** composeExtension/submitAction: one bulk command for every ticked incident, one card inserted. */
export async function answerSubmitAction(
  activity: Activity,
  deps: TeamsDeps,
): Promise<MessagingExtensionActionResponse> {
  const parsed = parseSubmitAction(activity.value ?? {}, actorFromActivity(activity));
  if (!parsed.ok) return { task: { type: 'message', value: `Nothing to insert: ${parsed.reason}.` } };
  const reply = await ask(deps, parsed.command);
  if (reply.kind === 'cards' && reply.cards.length > 0)
    return results([liveAttachment(reply.cards, activity)]);
  if (reply.kind === 'error') return { task: { type: 'message', value: errorText(reply) } };
  return { task: { type: 'message', value: 'Nothing to insert.' } };
}

function liveAttachment(found: IncidentCard[], activity: Activity): MessagingExtensionAttachment {
  const cards = distinct(found);
  const [first] = cards;
  const preview = first && cards.length === 1 ? incidentPreview(first) : digestPreview(cards);
  return { ...cardAttachment(liveCard(cards, { watchers: asker(activity) })), preview };
}

function distinctRefs(refs: IncidentRef[]): IncidentRef[] {
  const seen = new Set<string>();
  return refs.filter((ref) => {
    const key = `${ref.organizationId ?? ''}/${ref.identifier}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** A message may name one incident twice (its link and `#id`); the card shows it once. */
function distinct(cards: IncidentCard[]): IncidentCard[] {
  const seen = new Set<string>();
  return cards.filter((card) => {
    const key = `${card.organizationId}/${card.identifier}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function digestPreview(cards: IncidentCard[]) {
  const names = cards.map((card) => refLabel(card)).join(', ');
  return previewAttachment(`${cards.length} incidents`, names);
}

/**
 * adaptiveCard/action, verb refresh. A person pressing Refresh waits for the full deadline and joins the
 * card's automatic-refresh list; an automatic refresh (someone merely looking) gets a shorter deadline.
 */
export async function answerCardAction(
  activity: Activity,
  deps: TeamsDeps,
): Promise<AdaptiveCardInvokeResponse> {
  const parsed = parseCardAction(activity.value, actorFromActivity(activity));
  if (!parsed.ok) return invokeError(400, 'BadRequest', parsed.reason);
  const manual = parsed.trigger === 'manual';
  const { command, data } = parsed.refresh;
  const reply = await ask(deps, command, manual ? INVOKE_DEADLINE_MS : AUTOMATIC_REFRESH_DEADLINE_MS);
  if (reply.kind === 'cards' && reply.cards.length > 0) {
    const watchers =
      manual && activity.from?.id ? addWatcher(data.watchers, activity.from.id) : data.watchers;
    const card = liveCard(distinct(reply.cards), { watchers, note: manual ? 'Refreshed' : 'Updated' });
    return { statusCode: 200, type: ADAPTIVE_CARD_CONTENT_TYPE, value: card };
  }
  if (reply.kind === 'error')
    return invokeError(reply.code === 'unavailable' ? 503 : 400, reply.code, reply.message);
  return invokeError(500, 'unexpected', `unexpected ${reply.kind} reply`);
}

/**
 * composeExtension/anonymousQueryLink: Teams sends it only to apps whose manifest sets
 * `supportsAnonymizedPayloads` (ours does not: an unfurl needs the tenant's installation). A client that sends
 * it anyway gets a Bot Framework error body that says why, not an empty 501.
 */
export function answerAnonymousQueryLink(): {
  status: number;
  body: { error: { code: string; message: string } };
} {
  return {
    status: 400,
    body: {
      error: {
        code: 'NotSupported',
        message:
          'Incident cards does not unfurl links anonymously (its manifest does not set supportsAnonymizedPayloads); add the app to unfurl incident links.',
      },
    },
  };
}

function invokeError(statusCode: number, code: string, message: string): AdaptiveCardInvokeResponse {
  return { statusCode, type: 'application/vnd.microsoft.error', value: { code, message } };
}

/** A message to the bot (`@bot incident 42`, `list`, `help`, anything else → help): the reply activity. */
export async function answerMessage(
  activity: Activity,
  text: string,
  deps: TeamsDeps,
): Promise<Partial<Activity>> {
  const reply = await ask(deps, parseMessageText(text, actorFromActivity(activity), deps.links));
  return replyActivity(reply, asker(activity));
}

/** The Action.Submit fallback of Refresh (clients without Universal Actions): the updated card. */
export async function answerSubmittedRefresh(
  activity: Activity,
  deps: TeamsDeps,
): Promise<Partial<Activity> | null> {
  const parsed = parseSubmittedRefresh(activity.value, actorFromActivity(activity));
  if (!parsed) return null;
  const reply = await ask(deps, parsed.command);
  return replyActivity(reply, parsed.data.watchers, 'Refreshed');
}

export function replyActivity(reply: Reply, watchers: readonly string[], note?: string): Partial<Activity> {
  const message = (card: AdaptiveCard, text?: string): Partial<Activity> => ({
    type: 'message',
    ...(text ? { text } : {}),
    attachments: [cardAttachment(card)],
  });
  switch (reply.kind) {
    case 'cards': {
      const missing = reply.notFound.map(refLabel).join(', ');
      if (reply.cards.length === 0) return message(errorCard(notFound(missing)));
      return message(
        liveCard(distinct(reply.cards), { watchers, note }),
        missing ? `Not found: ${missing}` : undefined,
      );
    }
    case 'list':
      return message(listCard(reply));
    case 'help':
      return message(helpCard(reply));
    case 'error':
      return message(errorCard(reply));
    case 'choices':
      return { type: 'message', text: reply.choices.map((choice) => choice.name).join('\n') };
    default:
      return assertNever(reply);
  }
}

function notFound(names: string): ErrorReply {
  return { kind: 'error', code: 'not_found', message: `No incident ${names}.` };
}

function assertNever(value: never): never {
  throw new Error(`unhandled reply ${JSON.stringify(value)}`);
}
