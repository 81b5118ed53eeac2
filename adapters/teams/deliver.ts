// Notifications into Teams conversations: proactive messages on the stored conversation reference
// (continueConversationAsync), the card edited in place (updateActivity), and replies in the card's thread.
import { type Activity, CloudAdapter, type ConversationReference, type TurnContext } from 'botbuilder';
import type { BotFrameworkAuthentication } from 'botframework-connector';
import type { IncidentCard } from '../../src/card/model.ts';
import type { DeliveryOutcome, DeliveryTarget, NotificationSender } from '../../src/notify/sender.ts';
import { cardAttachment } from './adaptive-card.ts';
import { liveCard } from './render-card.ts';

/** Connector answers meaning the conversation is gone or the bot was removed from it. */
const CONVERSATION_GONE = new Set([403, 404]);

export function createTeamsSender(
  authentication: BotFrameworkAuthentication,
  appId: string,
): NotificationSender {
  const adapter = new CloudAdapter(authentication);

  async function inConversation(
    target: DeliveryTarget,
    work: (context: TurnContext) => Promise<string | undefined>,
  ): Promise<DeliveryOutcome> {
    const reference = target.conversation as Partial<ConversationReference> | null;
    if (!reference?.serviceUrl || !reference.conversation) {
      return { ok: false, permanent: true, reason: 'no stored conversation reference for this conversation' };
    }
    let messageId: string | undefined;
    try {
      await adapter.continueConversationAsync(appId, reference, async (context) => {
        // The continuation activity carries a made-up id, which botbuilder would turn into a reply to a message
        // that does not exist; without it a card is a new post (a new thread in a channel).
        context.activity.id = undefined;
        messageId = await work(context);
      });
      return { ok: true, messageId: messageId ?? '' };
    } catch (error) {
      return outcomeOf(error);
    }
  }

  return {
    post: (target, card) =>
      inConversation(target, async (context) => (await context.sendActivity(cardMessage(card)))?.id),
    edit: (target, messageId, card) =>
      inConversation(target, async (context) => {
        await context.updateActivity({ ...cardMessage(card), id: messageId });
        return messageId;
      }),
    // replyToId makes botbuilder answer the card's activity: in a channel that is the card's thread.
    reply: (target, messageId, text) =>
      inConversation(
        target,
        async (context) => (await context.sendActivity({ type: 'message', text, replyToId: messageId }))?.id,
      ),
  };
}

/** The card the commands show, refreshable by whoever looks at it. */
function cardMessage(card: IncidentCard): Partial<Activity> {
  return { type: 'message', attachments: [cardAttachment(liveCard([card], { watchers: [] }))] };
}

function outcomeOf(error: unknown): DeliveryOutcome {
  const status = (error as { statusCode?: number }).statusCode;
  const reason = `${status ?? 'network'} ${error instanceof Error ? error.message : String(error)}`;
  if (status !== undefined && CONVERSATION_GONE.has(status)) return { ok: false, permanent: true, reason };
  const headers = (error as { response?: { headers?: { get(name: string): string | undefined } } }).response
    ?.headers;
  const retryAfter = Number(headers?.get('retry-after'));
  return Number.isFinite(retryAfter) && retryAfter > 0
    ? { ok: false, permanent: false, reason, retryAfterMs: retryAfter * 1000 }
    : { ok: false, permanent: false, reason };
}
