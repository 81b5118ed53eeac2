// Notifications into Discord channels with the bot token: POST the card (nonce + enforce_nonce, so a post
// repeated after a crash returns the first message instead of a second one), PATCH it in place, and reply
// under it. @discordjs/rest keeps Discord's per-route buckets and honours Retry-After; long waits and every
// other failure go back to the outbox as values.
import { DiscordAPIError, HTTPError, RateLimitError, REST } from '@discordjs/rest';
import {
  type RESTPatchAPIChannelMessageJSONBody,
  type RESTPostAPIChannelMessageJSONBody,
  RESTJSONErrorCodes,
  Routes,
} from 'discord-api-types/v10';
import type { IncidentCard } from '../../src/card/model.ts';
import type { DeliveryOutcome, NotificationSender } from '../../src/notify/sender.ts';
import { createPacer } from '../../src/notify/pacer.ts';
import { truncate } from '../../src/truncate.ts';
import { DISCORD_LIMITS, DISCORD_RATE_LIMITS } from './limits.ts';
import type { DiscordSettings } from './config.ts';
import { renderReply } from './render-reply.ts';

export type DiscordSenderOptions = {
  /** Called for every 429 Discord answers (they are retried, and counted). */
  onRateLimited?: () => void;
  /** Discord's numbers, replaced only by tests that run the same scenario faster against a fake. */
  rates?: { globalRequestsPerSecond: number; notificationsPerSecond: number };
  timeoutMs?: number;
};

/** Codes that mean the channel is gone or closed to the bot: the subscription is broken, not the delivery. */
const CHANNEL_GONE: ReadonlySet<number | string> = new Set([
  RESTJSONErrorCodes.UnknownChannel,
  RESTJSONErrorCodes.MissingAccess,
  RESTJSONErrorCodes.MissingPermissions,
  RESTJSONErrorCodes.UnknownGuild,
]);

export function createDiscordSender(
  discord: Pick<DiscordSettings, 'apiBaseUrl' | 'botToken'>,
  options: DiscordSenderOptions = {},
): NotificationSender {
  const rates = options.rates ?? DISCORD_RATE_LIMITS;
  const rest = new REST({
    api: discord.apiBaseUrl.replace(/\/+$/, ''),
    version: '10',
    timeout: options.timeoutMs ?? 15_000,
    // 5xx and network errors are the outbox's to retry, with its persisted backoff.
    retries: 0,
    globalRequestsPerSecond: rates.globalRequestsPerSecond,
    rejectOnRateLimit: (limit) => limit.retryAfter > DISCORD_RATE_LIMITS.maxInlineWaitMs,
  });
  if (discord.botToken) rest.setToken(discord.botToken);
  rest.on('response', (_request, response) => {
    if (response.status === 429) options.onRateLimited?.();
  });
  const pace = createPacer(rates.notificationsPerSecond);

  async function send(work: () => Promise<unknown>): Promise<DeliveryOutcome> {
    if (!discord.botToken) return { ok: false, permanent: false, reason: 'DISCORD_BOT_TOKEN is not set' };
    await pace();
    try {
      const message = (await work()) as { id?: unknown };
      return { ok: true, messageId: String(message.id) };
    } catch (error) {
      return outcomeOf(error);
    }
  }

  return {
    post: (target, card, nonce) =>
      send(() =>
        rest.post(Routes.channelMessages(target.channelId), {
          body: {
            ...cardMessage(card),
            nonce,
            enforce_nonce: true,
          } satisfies RESTPostAPIChannelMessageJSONBody,
        }),
      ),
    edit: (target, messageId, card) =>
      send(() =>
        rest.patch(Routes.channelMessage(target.channelId, messageId), {
          body: cardMessage(card) satisfies RESTPatchAPIChannelMessageJSONBody,
        }),
      ),
    reply: (target, messageId, text, nonce) =>
      send(() =>
        rest.post(Routes.channelMessages(target.channelId), {
          body: {
            content: truncate(text, DISCORD_LIMITS.content),
            message_reference: { message_id: messageId, fail_if_not_exists: false },
            allowed_mentions: { parse: [] },
            nonce,
            enforce_nonce: true,
          } satisfies RESTPostAPIChannelMessageJSONBody,
        }),
      ),
  };
}

/** The card exactly as `/incident show` renders it, as a channel message. */
function cardMessage(card: IncidentCard) {
  const { embeds, components, allowed_mentions } = renderReply({
    kind: 'cards',
    cards: [card],
    notFound: [],
  });
  return { embeds, components, allowed_mentions };
}

function outcomeOf(error: unknown): DeliveryOutcome {
  if (error instanceof RateLimitError) {
    return {
      ok: false,
      permanent: false,
      reason: `rate limited on ${error.route}`,
      retryAfterMs: error.retryAfter,
    };
  }
  if (error instanceof DiscordAPIError) {
    const reason = `${error.status} ${error.message} (code ${String(error.code)})`;
    if (error.code === RESTJSONErrorCodes.UnknownMessage)
      return { ok: false, permanent: false, reason, messageGone: true };
    const gone = error.status === 403 || (error.status === 404 && CHANNEL_GONE.has(error.code));
    return gone ? { ok: false, permanent: true, reason } : { ok: false, permanent: false, reason };
  }
  if (error instanceof HTTPError)
    return { ok: false, permanent: false, reason: `${error.status} ${error.message}` };
  return { ok: false, permanent: false, reason: error instanceof Error ? error.message : String(error) };
}
