// Runs the gateway: logs in, feeds message events to the unfurler, reports the first outcome (ready, or why
// not), and shuts down cleanly (work in flight finishes, then client.destroy() closes the sessions).
import type { AdapterContext } from '../../../src/adapter.ts';
import type { DiscordSettings } from '../config.ts';
import { createChannelRateLimit } from './channel-rate-limit.ts';
import { createGatewayClient, Events, FATAL_CLOSE_REASONS, gatewayMessage } from './client.ts';
import { restReplyTransport } from './reply-transport.ts';
import { createUnfurlReplies } from './unfurl-replies.ts';
import { createUnfurler } from './unfurler.ts';

export type GatewayStart = { ok: true; shards: number } | { ok: false; reason: string };

export type RunningGateway = {
  /** Settles once: every shard ready, or the reason the gateway cannot run. */
  started: Promise<GatewayStart>;
  close(): Promise<void>;
};

export type GatewayOptions = { now?: () => number };

export function startGateway(
  context: AdapterContext,
  discord: DiscordSettings,
  options: GatewayOptions = {},
): RunningGateway {
  const log = context.logger.child({ component: 'discord-gateway' });
  if (!discord.botToken) {
    const reason = 'the Discord gateway needs DISCORD_BOT_TOKEN';
    log.error(reason);
    return { started: Promise.resolve({ ok: false, reason }), close: async () => {} };
  }
  const client = createGatewayClient(discord);
  const unfurler = createUnfurler({
    context,
    transport: restReplyTransport(client.rest),
    rateLimit: createChannelRateLimit(discord.unfurlsPerMinute, options.now),
    replies: createUnfurlReplies(),
  });

  let settle: (start: GatewayStart) => void = () => {};
  const started = new Promise<GatewayStart>((resolve) => {
    settle = resolve;
  });

  client.on(Events.MessageCreate, (message) => {
    const mapped = gatewayMessage(message);
    if (mapped) void unfurler.created(mapped);
  });
  client.on(Events.MessageUpdate, (_old, message) => {
    const mapped = gatewayMessage(message);
    if (mapped) void unfurler.updated(mapped);
  });
  client.on(Events.MessageDelete, (message) => void unfurler.deleted(message.channelId, message.id));
  client.on(Events.MessageBulkDelete, (messages) => {
    for (const message of messages.values()) void unfurler.deleted(message.channelId, message.id);
  });
  client.once(Events.ClientReady, (ready) => {
    const shards = ready.ws.shards.size;
    log.info({ user: ready.user.id, shards, guilds: ready.guilds.cache.size }, 'discord gateway ready');
    settle({ ok: true, shards });
  });
  client.on(Events.ShardResume, (shard, replayed) =>
    log.info({ shard, replayed }, 'gateway session resumed'),
  );
  client.on(Events.ShardReconnecting, (shard) => log.info({ shard }, 'gateway reconnecting'));
  client.on(Events.ShardError, (error, shard) => log.warn({ err: error, shard }, 'gateway connection error'));
  client.on(Events.ShardDisconnect, ({ code }, shard) => {
    const reason = FATAL_CLOSE_REASONS[code] ?? `the gateway closed with code ${code} and will not reconnect`;
    log.error({ shard, code }, reason);
    settle({ ok: false, reason });
    // Nothing more will arrive on this client; HTTP interactions do not depend on it.
    void client.destroy();
  });

  client.login(discord.botToken).catch((error: unknown) => {
    const reason = `cannot connect to the Discord gateway: ${(error as Error).message}`;
    log.error({ err: error }, reason);
    settle({ ok: false, reason });
  });

  return {
    started,
    async close() {
      settle({ ok: false, reason: 'closed before the gateway was ready' });
      await unfurler.drain();
      await client.destroy();
    },
  };
}
