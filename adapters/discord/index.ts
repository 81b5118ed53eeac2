// The Discord adapter: its HTTP route, its CLI sub-command and its card renderer, as adapters/main.ts wires them in.
import { once, setMaxListeners } from 'node:events';
import type { AdapterFactory, CliCommand } from '../../src/adapter.ts';
import type { IncidentCard } from '../../src/card/model.ts';
import { loadSection } from '../../src/config.ts';
import { DISCORD_SETTINGS } from './config.ts';
import { DISCORD_DEADLINE_MS } from './limits.ts';
import { PendingWork } from './pending-work.ts';
import type { NotifierFactory } from '../../src/notify/start.ts';
import { createDiscordSender } from './deliver.ts';
import { registerCommand } from './register.ts';
import { createReplayGuard } from './replay-guard.ts';
import { renderReply } from './render-reply.ts';
import { DiscordRestClient } from './rest.ts';
import { interactionsRoute } from './routes.ts';
import { createVerifier } from './verify.ts';

export type DiscordAdapterOptions = {
  /** How long a reply may take before the answer is deferred (tests shorten it). */
  deadlineMs?: number;
};

/** Throws (the server refuses to start) when the DISCORD_* settings are invalid. */
export function createDiscordAdapter(options: DiscordAdapterOptions = {}): AdapterFactory {
  return (context) => {
    const settings = loadSection(DISCORD_SETTINGS, context.env);
    if (!settings.ok) throw new Error(settings.reason);
    const closing = new AbortController();
    // Every dispatch in flight listens on this one signal (and removes its listener when done).
    setMaxListeners(0, closing.signal);
    const pending = new PendingWork();
    const { publicKey } = settings.value;
    const route = interactionsRoute({
      context,
      rest: new DiscordRestClient(settings.value),
      verify: publicKey ? createVerifier(publicKey) : null,
      deadlineMs: options.deadlineMs ?? DISCORD_DEADLINE_MS,
      gatewayOn: settings.value.gateway === 'on',
      signal: closing.signal,
      pending,
      replays: createReplayGuard(),
    });
    return {
      name: 'discord',
      routes: [route],
      async close(signal) {
        // Deferred replies are finished first (they are answers users wait for); at the deadline the dispatches
        // still running are aborted, which turns them into error replies that are still delivered.
        await untilAborted(pending.settle(), signal);
        closing.abort();
        await pending.settle();
      },
    };
  };
}

export const discordAdapter: AdapterFactory = createDiscordAdapter();

export const discordCliCommands: CliCommand[] = [registerCommand];

/** The message payload a card becomes in Discord (`incident-cards card --platform discord`). */
export function renderDiscordCard(card: IncidentCard): unknown {
  return renderReply({ kind: 'cards', cards: [card], notFound: [] });
}

/** Cards posted to subscribed channels with the bot token (none without DISCORD_BOT_TOKEN). */
export const discordNotifier: NotifierFactory = ({ env, logger, onRateLimited }) => {
  const settings = loadSection(DISCORD_SETTINGS, env);
  if (!settings.ok) {
    logger.warn({ reason: settings.reason }, 'discord notifications off: invalid DISCORD_* settings');
    return null;
  }
  if (!settings.value.botToken) return null;
  return { platform: 'discord', sender: createDiscordSender(settings.value, { onRateLimited }) };
};
function untilAborted(work: Promise<void>, signal: AbortSignal | undefined): Promise<unknown> {
  if (!signal) return work;
  if (signal.aborted) return Promise.resolve();
  return Promise.race([work, once(signal, 'abort')]);
}
