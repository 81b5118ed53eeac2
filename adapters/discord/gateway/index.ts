// The gateway as the rest of the bot sees it: an adapter that runs it inside `serve` when DISCORD_GATEWAY=on
// (no routes; closing the server closes the gateway), and the `discord gateway` sub-command that runs it alone.
import type { AdapterFactory, CliCommand } from '../../../src/adapter.ts';
import { adapterContext } from '../../../src/adapter.ts';
import { loadSection } from '../../../src/config.ts';
import { DISCORD_SETTINGS } from '../config.ts';
import type { GatewayOptions, GatewayStart } from './gateway.ts';

export type GatewayAdapterOptions = GatewayOptions & {
  /** The first outcome (ready, or why not); the server keeps serving either way. */
  onStarted?: (start: GatewayStart) => void;
};

export function createDiscordGatewayAdapter(options: GatewayAdapterOptions = {}): AdapterFactory {
  return (context) => {
    const settings = loadSection(DISCORD_SETTINGS, context.env);
    if (!settings.ok) throw new Error(settings.reason);
    if (settings.value.gateway !== 'on') return { name: 'discord-gateway', routes: [] };
    // discord.js is loaded only where the gateway runs.
    const gateway = import('./gateway.ts').then(({ startGateway }) =>
      startGateway(context, settings.value, options),
    );
    void gateway.then(async (running) => options.onStarted?.(await running.started));
    return { name: 'discord-gateway', routes: [], close: async () => (await gateway).close() };
  };
}

export const discordGatewayAdapter: AdapterFactory = createDiscordGatewayAdapter();

const HELP = `usage: incident-cards discord gateway

Runs the discord.js gateway client alone (the same client DISCORD_GATEWAY=on runs inside \`serve\`): it reads
messages in the connected servers and answers incident links with live cards. Needs DISCORD_BOT_TOKEN and the
Message Content intent switched on in the Discord developer portal (Bot → Privileged Gateway Intents).
Shards: as many as Discord recommends. DISCORD_API_BASE_URL overrides the API base (gateway discovery too),
DISCORD_UNFURLS_PER_MINUTE the per-channel limit (default 10). Stops cleanly on SIGINT or SIGTERM.
It opens the store like \`serve\` does: run it with its own DATA_DIR (or stop the server).`;

export const gatewayCommand: CliCommand = {
  name: ['discord', 'gateway'],
  usage: HELP,
  description: 'runs the discord.js gateway client alone (link unfurls)',
  async run(args, context) {
    if (args.includes('--help') || args.includes('-h')) {
      context.stdout(HELP);
      return 0;
    }
    if (args.length > 0) {
      context.stderr(`error: unknown argument "${args[0]}"\nusage: incident-cards discord gateway`);
      return 2;
    }
    const settings = loadSection(DISCORD_SETTINGS, context.env);
    if (!settings.ok || !settings.value.botToken) {
      context.stderr(`error: ${settings.ok ? 'set DISCORD_BOT_TOKEN to run the gateway' : settings.reason}`);
      return 2;
    }
    const app = await context.openApp();
    const { startGateway } = await import('./gateway.ts');
    const gateway = startGateway(adapterContext(app), settings.value);
    const stopped = new Promise<string>((resolve) => {
      process.once('SIGINT', () => resolve('SIGINT'));
      process.once('SIGTERM', () => resolve('SIGTERM'));
    });
    const first = await Promise.race([gateway.started, stopped]);
    if (typeof first === 'object' && !first.ok) {
      context.stderr(`error: ${first.reason}`);
      await gateway.close();
      await app.close();
      return 1;
    }
    if (typeof first === 'object') context.stderr(`discord gateway ready (${first.shards} shard(s))`);
    const signal = typeof first === 'string' ? first : await stopped;
    app.logger.info({ signal }, 'discord gateway shutting down');
    await gateway.close();
    await app.close();
    return 0;
  },
};
