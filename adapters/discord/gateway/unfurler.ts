// Answers messages with incident links: one reply with up to ten live cards (one bulk query), edited when the
// message is edited, deleted when it is deleted. Events of one message run one after another, so an edit that
// arrives while the first reply is still being computed edits that reply instead of racing it.
import type { AdapterContext } from '../../../src/adapter.ts';
import { findIncidentRefs } from '../../../src/command/incident-links.ts';
import { type IncidentRef, MAX_CARDS_PER_MESSAGE } from '../../../src/command/model.ts';
import type { Organization } from '../../../src/domain.ts';
import type { ChannelRateLimit } from './channel-rate-limit.ts';
import { type GatewayMessage, isUnfurlable } from './gateway-message.ts';
import { renderUnfurlEdit, renderUnfurlReply, type UnfurlContent } from './render-unfurl.ts';
import type { ReplyTransport } from './reply-transport.ts';
import { sameRefs, type UnfurlReplies } from './unfurl-replies.ts';

export type UnfurlerDeps = {
  context: AdapterContext;
  transport: ReplyTransport;
  rateLimit: ChannelRateLimit;
  replies: UnfurlReplies;
};

export type Unfurler = {
  created(message: GatewayMessage): Promise<void>;
  updated(message: GatewayMessage): Promise<void>;
  deleted(channelId: string, messageId: string): Promise<void>;
  /** Waits for the work in flight (the gateway is closing). */
  drain(): Promise<void>;
};

type Found = { refs: IncidentRef[]; more: number };

export function createUnfurler(deps: UnfurlerDeps): Unfurler {
  const log = deps.context.logger.child({ component: 'discord-gateway' });
  const queues = new Map<string, Promise<void>>();

  /** One message's events in order; a failure is logged once here and never stops the next event. */
  function serially(messageId: string, work: () => Promise<void>): Promise<void> {
    const next = (queues.get(messageId) ?? Promise.resolve()).then(work).catch((error: unknown) => {
      log.error({ err: error, message: messageId }, 'unfurl failed');
    });
    queues.set(messageId, next);
    void next.finally(() => {
      if (queues.get(messageId) === next) queues.delete(messageId);
    });
    return next;
  }

  async function reply(message: GatewayMessage, found: Found): Promise<void> {
    if (!deps.rateLimit.take(message.channelId)) {
      log.debug({ channel: message.channelId, message: message.id }, 'unfurl skipped: channel rate limit');
      return;
    }
    const content = await contentFor(message, found);
    if (!content) return;
    const sent = await deps.transport.create(message.channelId, renderUnfurlReply(content, message.id));
    if (!sent.ok) {
      if (!sent.gone) log.warn({ message: message.id, reason: sent.reason }, 'unfurl reply refused');
      return;
    }
    deps.replies.set(message.id, {
      kind: 'replied',
      channelId: message.channelId,
      replyId: sent.id,
      ...found,
    });
  }

  async function contentFor(message: GatewayMessage, found: Found): Promise<UnfurlContent | null> {
    const answer = await deps.context.dispatch({
      kind: 'incident.unfurl',
      actor: {
        platform: 'discord',
        userId: message.authorId,
        tenantId: message.guildId,
        channelId: message.channelId,
        locale: 'en-US',
        permissions: null,
      },
      refs: found.refs,
    });
    // Links to incidents that do not exist stay quiet: an automatic answer that only says "not found" is noise.
    if (answer.kind !== 'cards' || answer.cards.length === 0) return null;
    return { cards: answer.cards, more: found.more, authorId: message.authorId };
  }

  function find(message: GatewayMessage): Found | null {
    if (!isUnfurlable(message)) return null;
    const organization = deps.context.tenants.organizationForTenant('discord', message.guildId);
    if (!organization) return null;
    const setting = deps.context.unfurlSettings.effective('discord', message.guildId, message.channelId);
    if (!setting.enabled) return null;
    const refs = ownRefs(message, organization, setting.identifiers, deps.context);
    return {
      refs: refs.slice(0, MAX_CARDS_PER_MESSAGE),
      more: Math.max(0, refs.length - MAX_CARDS_PER_MESSAGE),
    };
  }

  return {
    created: (message) =>
      serially(message.id, async () => {
        const found = find(message);
        if (found && found.refs.length > 0) await reply(message, found);
      }),

    updated: (message) =>
      serially(message.id, async () => {
        const state = deps.replies.get(message.id);
        if (state?.kind === 'dismissed') return;
        const found = find(message);
        if (!found) return;
        if (!state) {
          if (found.refs.length > 0) await reply(message, found);
          return;
        }
        if (found.refs.length === 0) {
          deps.replies.delete(message.id);
          await deps.transport.delete(state.channelId, state.replyId);
          return;
        }
        if (sameRefs(state.refs, found.refs) && state.more === found.more) return;
        const content = await contentFor(message, found);
        if (!content) {
          deps.replies.delete(message.id);
          await deps.transport.delete(state.channelId, state.replyId);
          return;
        }
        const sent = await deps.transport.edit(state.channelId, state.replyId, renderUnfurlEdit(content));
        if (sent.ok) deps.replies.set(message.id, { ...state, ...found });
        else if (sent.gone) deps.replies.set(message.id, { kind: 'dismissed' });
        else log.warn({ message: message.id, reason: sent.reason }, 'unfurl edit refused');
      }),

    deleted: (_channelId, messageId) =>
      serially(messageId, async () => {
        const state = deps.replies.get(messageId);
        deps.replies.delete(messageId);
        if (state?.kind !== 'replied') return;
        const sent = await deps.transport.delete(state.channelId, state.replyId);
        if (!sent.ok && !sent.gone)
          log.warn({ message: messageId, reason: sent.reason }, 'unfurl delete refused');
      }),

    async drain() {
      await Promise.allSettled([...queues.values()]);
    },
  };
}

/**
 * The incidents the message names that belong to the guild's organization: links of other organizations are
 * ignored (tenancy), `#<identifier>` counts only where the channel opted in.
 */
function ownRefs(
  message: GatewayMessage,
  organization: Organization,
  identifiers: boolean,
  context: Pick<AdapterContext, 'links'>,
): IncidentRef[] {
  const text = [message.content, ...message.embedUrls].join('\n');
  const own = findIncidentRefs(text, context.links).filter((ref) =>
    ref.organizationId === null ? identifiers : ref.organizationId === organization.id,
  );
  // `#42` and a link to incident 42 are one card.
  const identifiersSeen = [...new Set(own.map((ref) => ref.identifier))];
  return identifiersSeen.map((identifier) => ({ organizationId: organization.id, identifier }));
}
