// One parsed Teams activity → dispatch (with the Teams deadline) → render → the protocol answer. Only Bot
// Framework protocol JSON crosses this file's edges, never an SDK object, so an SDK swap (botbuilder →
// Microsoft 365 Agents SDK) leaves it untouched: bot.ts applies the answer.
import type {
  Activity,
  AdaptiveCardInvokeResponse,
  MessagingExtensionActionResponse,
  MessagingExtensionAttachment,
  MessagingExtensionResponse,
} from 'botbuilder';
import type { AdapterContext } from '../../src/adapter.ts';
import type { IncidentCard } from '../../src/card/model.ts';
import { sameIncidentKey } from '../../src/command/incident-links.ts';
import type { Dispatch } from '../../src/command/dispatch.ts';
import type { Command, ErrorReply, IncidentRef, Reply } from '../../src/command/model.ts';
import { ADAPTIVE_CARD_CONTENT_TYPE, cardAttachment } from './adaptive-card.ts';
import { outcomeNotice } from './action-words.ts';
import { addWatcher } from './card-actions.ts';
import { AUTOMATIC_REFRESH_DEADLINE_MS, INVOKE_DEADLINE_MS, UNFURL_CACHE_SECONDS } from './limits.ts';
import { actorFromActivity, type InvalidSurface, type ParsedActivity } from './parse.ts';
import { incidentPreview, liveCard, previewAttachment, unfurlCard } from './render-card.ts';
import { errorCard, replyActivity, searchResultAttachment } from './render-reply.ts';
import { pickRefsCard } from './render-task.ts';
import {
  ANONYMOUS_UNFURL_REFUSED,
  errorMessage,
  errorText,
  NO_REFERENCES,
  nothingToInsert,
  refLabel,
  TASK_TITLE,
} from './words.ts';

/** What the turn does with the activity; bot.ts carries it out with the SDK. */
export type TeamsAnswer =
  /** The HTTP answer to an invoke (botbuilder sends the statusCode of a card action as the status too). */
  | { kind: 'invoke'; status: number; body?: unknown }
  /** A new message in the conversation (a reply to the activity). */
  | { kind: 'send'; activity: Partial<Activity> }
  /** Replaces the bot's message the activity came from. */
  | { kind: 'update'; activity: Partial<Activity> & { id: string } }
  /** Keeps where the bot was added, for notifications later. */
  | { kind: 'remember'; tenantId: string; conversationId: string }
  | { kind: 'none' };

/** What answering needs: the way into src/, and whose a bare `#42` is (the tenant's organization). */
export type RespondDeps = Pick<AdapterContext, 'dispatch' | 'tenants'>;

export async function respond(parsed: ParsedActivity, deps: RespondDeps): Promise<TeamsAnswer> {
  const { activity } = parsed;
  const { dispatch } = deps;
  switch (parsed.kind) {
    case 'message':
    case 'subscribe':
    case 'unsubscribe':
    case 'subscriptions':
      return { kind: 'send', activity: replyActivity(await ask(dispatch, parsed.command), asker(activity)) };
    case 'submitted-refresh': {
      const reply = await ask(dispatch, parsed.refresh.command);
      const updated = replyActivity(reply, parsed.refresh.data.watchers, 'Refreshed');
      return activity.replyToId
        ? { kind: 'update', activity: { ...updated, id: activity.replyToId } }
        : { kind: 'send', activity: updated };
    }
    case 'card-action': {
      const answer = await cardAction(parsed, dispatch);
      return { kind: 'invoke', status: answer.statusCode, body: answer };
    }
    case 'card-refresh': {
      const answer = await cardRefresh(parsed, dispatch);
      return { kind: 'invoke', status: answer.statusCode, body: answer };
    }
    case 'link-unfurl':
      return invokeOk(await linkUnfurl(await ask(dispatch, parsed.command)));
    case 'search': {
      const reply = await ask(dispatch, parsed.command);
      if (reply.kind === 'list') return invokeOk(results(reply.items.map(searchResultAttachment)));
      if (reply.kind === 'error') return invokeOk(composeMessage(reply));
      return invokeOk(results([]));
    }
    case 'select-item':
    case 'insert': {
      const reply = await ask(dispatch, parsed.command);
      if (reply.kind === 'cards' && reply.cards.length > 0)
        return invokeOk(results([liveAttachment(reply.cards, activity)]));
      if (parsed.kind === 'select-item')
        return invokeOk(reply.kind === 'error' ? composeMessage(reply) : results([]));
      return invokeOk(taskMessage(reply.kind === 'error' ? errorText(reply) : nothingToInsert()));
    }
    case 'message-action':
      return invokeOk(messageAction(withHomeOrganization(parsed.refs, activity, deps)));
    case 'card-button':
      return { kind: 'invoke', status: 200 };
    case 'installed':
      return { kind: 'remember', tenantId: parsed.tenantId, conversationId: parsed.conversationId };
    case 'invalid':
      return invalidAnswer(parsed.surface, parsed.reason);
    case 'unsupported':
      // botbuilder's TeamsActivityHandler answers invokes it does not implement with 501.
      return activity.type === 'invoke' ? { kind: 'invoke', status: 501 } : { kind: 'none' };
  }
}

function ask(dispatch: Dispatch, command: Command, deadlineMs = INVOKE_DEADLINE_MS): Promise<Reply> {
  return dispatch(command, { signal: AbortSignal.timeout(deadlineMs) });
}

/** The person asking: only they are listed for automatic refresh when a card is first posted. */
function asker(activity: Activity): string[] {
  return activity.from?.id ? [activity.from.id] : [];
}

function invokeOk(body: unknown): TeamsAnswer {
  return { kind: 'invoke', status: 200, body };
}

const NO_UNFURL: MessagingExtensionResponse = results([]);

function results(attachments: MessagingExtensionAttachment[]): MessagingExtensionResponse {
  return { composeExtension: { type: 'result', attachmentLayout: 'list', attachments } };
}

function composeMessage(reply: ErrorReply): MessagingExtensionResponse {
  return { composeExtension: { type: 'message', text: errorText(reply) } };
}

function taskMessage(text: string): MessagingExtensionActionResponse {
  return { task: { type: 'message', value: text } };
}

function invalidAnswer(surface: InvalidSurface, reason: string): TeamsAnswer {
  switch (surface) {
    case 'link-unfurl':
      return invokeOk(NO_UNFURL);
    case 'select-item':
    case 'search':
      return invokeOk(results([]));
    case 'anonymous-link-unfurl':
      // A Bot Framework error body that says why, not an empty 501.
      return {
        kind: 'invoke',
        status: 400,
        body: { error: { code: 'NotSupported', message: ANONYMOUS_UNFURL_REFUSED } },
      };
    case 'insert':
      return invokeOk(taskMessage(nothingToInsert(reason)));
    case 'card-refresh':
    case 'malformed': {
      const answer = invokeError(400, 'BadRequest', reason);
      return { kind: 'invoke', status: answer.statusCode, body: answer };
    }
  }
}

/** A pasted incident link becomes a card with the live value. */
function linkUnfurl(reply: Reply): MessagingExtensionResponse {
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
  if (reply.kind !== 'error' || reply.code === 'not_found' || reply.code === 'other_organization')
    return NO_UNFURL;
  const preview = previewAttachment('Incident cards', errorText(reply));
  return results([{ ...cardAttachment(errorCard(reply, '1.3')), preview }]);
}

/**
 * A bare `#42` means the tenant's own organization, so every row of the dialog reads the same way ("acme #42")
 * and a link and a mention of one incident are listed once.
 */
function withHomeOrganization(
  refs: readonly IncidentRef[],
  activity: Activity,
  deps: RespondDeps,
): IncidentRef[] {
  const { tenantId } = actorFromActivity(activity);
  const home = tenantId ? (deps.tenants.organizationForTenant('teams', tenantId)?.id ?? null) : null;
  const seen = new Set<string>();
  return refs
    .map((ref) => ({ ...ref, organizationId: ref.organizationId ?? home }))
    .filter((ref) => {
      const key = sameIncidentKey(ref.organizationId, ref.identifier);
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
}

/** The message action's first step: show what the message references, nothing computed yet. */
function messageAction(refs: readonly IncidentRef[]): MessagingExtensionActionResponse {
  if (refs.length === 0) return taskMessage(NO_REFERENCES);
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

function liveAttachment(cards: IncidentCard[], activity: Activity): MessagingExtensionAttachment {
  const [first] = cards;
  const preview = first && cards.length === 1 ? incidentPreview(first) : digestPreview(cards);
  return { ...cardAttachment(liveCard(cards, { watchers: asker(activity) })), preview };
}

function digestPreview(cards: IncidentCard[]) {
  const names = cards.map((card) => refLabel(card)).join(', ');
  return previewAttachment(`${cards.length} incidents`, names);
}

/**
 * adaptiveCard/action, verb refresh. A person pressing Refresh waits for the full deadline and joins the
 * card's automatic-refresh list; an automatic refresh (someone merely looking) gets a shorter deadline.
 */
async function cardRefresh(
  parsed: Extract<ParsedActivity, { kind: 'card-refresh' }>,
  dispatch: Dispatch,
): Promise<AdaptiveCardInvokeResponse> {
  const { activity, trigger } = parsed;
  const manual = trigger === 'manual';
  const { command, data } = parsed.refresh;
  const reply = await ask(dispatch, command, manual ? INVOKE_DEADLINE_MS : AUTOMATIC_REFRESH_DEADLINE_MS);
  if (reply.kind === 'cards' && reply.cards.length > 0) {
    const watchers =
      manual && activity.from?.id ? addWatcher(data.watchers, activity.from.id) : data.watchers;
    const card = liveCard(reply.cards, { watchers, note: manual ? 'Refreshed' : 'Updated' });
    return { statusCode: 200, type: ADAPTIVE_CARD_CONTENT_TYPE, value: card };
  }
  if (reply.kind === 'error')
    return invokeError(reply.code === 'unavailable' ? 503 : 400, reply.code, errorMessage(reply));
  return invokeError(500, 'unexpected', `unexpected ${reply.kind} reply`);
}

/**
 * adaptiveCard/action with an action verb: the updated card for the person who acted (Teams replaces the card
 * they see; the others' clients refresh it). A refusal is a message only they see; nothing changes.
 */
async function cardAction(
  parsed: Extract<ParsedActivity, { kind: 'card-action' }>,
  dispatch: Dispatch,
): Promise<AdaptiveCardInvokeResponse> {
  const { activity, command, data } = parsed;
  const reply = await ask(dispatch, command);
  if (reply.kind === 'action') {
    const watchers = activity.from?.id ? addWatcher(data.watchers, activity.from.id) : data.watchers;
    const notice = outcomeNotice(reply.outcome, Date.parse(reply.card.updatedAt));
    const card = liveCard([reply.card], { watchers, note: 'Updated', notice });
    return { statusCode: 200, type: ADAPTIVE_CARD_CONTENT_TYPE, value: card };
  }
  if (reply.kind === 'error' && reply.code !== 'unavailable')
    // botbuilder types `value` as an object; for this content type the protocol's value is the message text.
    return { statusCode: 200, type: ACTIVITY_MESSAGE_CONTENT_TYPE, value: errorMessage(reply) as never };
  if (reply.kind === 'error') return invokeError(503, reply.code, errorMessage(reply));
  return invokeError(500, 'unexpected', `unexpected ${reply.kind} reply`);
}

/** Universal Actions: an invoke answered with a message shows it to the person who acted, instead of a card. */
const ACTIVITY_MESSAGE_CONTENT_TYPE = 'application/vnd.microsoft.activity.message';

function invokeError(statusCode: number, code: string, message: string): AdaptiveCardInvokeResponse {
  return { statusCode, type: 'application/vnd.microsoft.error', value: { code, message } };
}
