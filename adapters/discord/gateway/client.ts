// The discord.js gateway client: intents, automatic sharding (the shard count Discord recommends in
// `/gateway/bot`), resume after disconnects (discord.js), and message events mapped to the unfurler.
import {
  Client,
  Events,
  GatewayIntentBits,
  type Message,
  Options,
  Partials,
  type PartialMessage,
} from 'discord.js';
import { GatewayCloseCodes } from 'discord-api-types/v10';
import type { DiscordSettings } from '../config.ts';
import type { GatewayMessage } from './gateway-message.ts';

/** Message Content is privileged: without it Discord closes the connection with 4014. */
export const GATEWAY_INTENTS = [
  GatewayIntentBits.Guilds,
  GatewayIntentBits.GuildMessages,
  GatewayIntentBits.MessageContent,
] as const;

/** The bot only needs recent messages in memory; older edits arrive whole anyway (Partials.Message). */
const CACHED_MESSAGES_PER_CHANNEL = 50;

export function createGatewayClient(discord: DiscordSettings): Client {
  return new Client({
    intents: [...GATEWAY_INTENTS],
    // Edits and deletions of messages the cache no longer holds (or never held, after a restart) still arrive.
    partials: [Partials.Message],
    shards: 'auto',
    // @discordjs/rest appends `/v10` itself; gateway discovery (`/gateway/bot`) goes through this base too.
    rest: { api: discord.apiBaseUrl.replace(/\/+$/, ''), version: '10' },
    makeCache: Options.cacheWithLimits({
      ...Options.DefaultMakeCacheSettings,
      MessageManager: CACHED_MESSAGES_PER_CHANNEL,
    }),
  });
}

/** Close codes after which discord.js stops reconnecting, with what the operator should do about them. */
export const FATAL_CLOSE_REASONS: Partial<Record<number, string>> = {
  [GatewayCloseCodes.DisallowedIntents]:
    'Discord refused the privileged Message Content intent (close code 4014): enable "Message Content Intent" ' +
    'under Bot → Privileged Gateway Intents in the Discord developer portal and restart. Link unfurls are off ' +
    'until then; slash commands and buttons (HTTP interactions) keep working.',
  [GatewayCloseCodes.AuthenticationFailed]:
    'Discord rejected DISCORD_BOT_TOKEN on the gateway (close code 4004); link unfurls are off.',
  [GatewayCloseCodes.InvalidIntents]: 'Discord rejected the gateway intents (close code 4013).',
  [GatewayCloseCodes.InvalidShard]: 'Discord rejected the shard (close code 4010).',
  [GatewayCloseCodes.ShardingRequired]: 'Discord requires more shards (close code 4011).',
  [GatewayCloseCodes.InvalidAPIVersion]: 'Discord rejected the gateway API version (close code 4012).',
};

/** Null for a partial message whose content never arrived (nothing to read links from). */
export function gatewayMessage(message: Message | PartialMessage): GatewayMessage | null {
  if (message.partial && (message.content === null || !message.author)) return null;
  return {
    id: message.id,
    channelId: message.channelId,
    guildId: message.guildId ?? null,
    authorId: message.author?.id ?? '',
    authorIsBot: message.author?.bot ?? false,
    webhookId: message.webhookId ?? null,
    system: message.system ?? false,
    content: message.content ?? '',
    embedUrls: message.embeds.flatMap((embed) => (embed.url ? [embed.url] : [])),
  };
}

export { Events };
