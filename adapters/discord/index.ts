// The Discord adapter: its HTTP route, its CLI sub-command and its card renderer, as adapters/main.ts wires them in.
import { setMaxListeners } from 'node:events';
import type { AdapterFactory, CliCommand } from '../../src/adapter.ts';
import type { IncidentCard } from '../../src/card/model.ts';
import type { NotifierFactory } from '../../src/notify/start.ts';
import { DISCORD_DEADLINE_MS } from './deadline.ts';
import { createDiscordSender } from './deliver.ts';
import { registerCommand } from './register.ts';
import { renderReply } from './render.ts';
import { createDiscordRest } from './rest.ts';
import { interactionsRoute } from './routes.ts';
import { createVerifier } from './verify.ts';

export type DiscordAdapterOptions = {
  /** How long a reply may take before the answer is deferred (tests shorten it). */
  deadlineMs?: number;
};

export function createDiscordAdapter(options: DiscordAdapterOptions = {}): AdapterFactory {
  return (app) => {
    const closing = new AbortController();
    // Every dispatch in flight listens on this one signal (and removes its listener when done).
    setMaxListeners(0, closing.signal);
    const pending = new Set<Promise<void>>();
    const { publicKey } = app.config.discord;
    const route = interactionsRoute({
      app,
      rest: createDiscordRest(app.config.discord),
      verify: publicKey ? createVerifier(publicKey) : null,
      deadlineMs: options.deadlineMs ?? DISCORD_DEADLINE_MS,
      signal: closing.signal,
      track(work) {
        pending.add(work);
        void work.finally(() => pending.delete(work));
      },
    });
    return {
      name: 'discord',
      routes: [route],
      async close() {
        closing.abort();
        await Promise.allSettled([...pending]);
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
export const discordNotifier: NotifierFactory = (app, hooks) =>
  app.config.discord.botToken
    ? {
        platform: 'discord',
        sender: createDiscordSender(app.config.discord, { onRateLimited: hooks.onRateLimited }),
      }
    : null;
