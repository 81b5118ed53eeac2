// `incident-cards discord register [--guild ID]`: bulk-overwrites the app's commands from the manifest.
import type { CliCommand, CliContext } from '../../src/adapter.ts';
import { loadSection } from '../../src/config.ts';
import { DISCORD_SETTINGS } from './config.ts';
import { loadCommandManifest } from './commands.ts';
import { DiscordRestClient } from './rest.ts';

const USAGE = 'usage: incident-cards discord register [--guild ID]';
const HELP = [
  USAGE,
  '',
  'Bulk-overwrites the Discord application commands with manifest/discord/commands.json.',
  'Without --guild the commands are global (Discord may take a while to show them everywhere);',
  'with --guild they appear in that server at once, which is handy while testing.',
  '',
  'Needs DISCORD_APPLICATION_ID and DISCORD_BOT_TOKEN; DISCORD_API_BASE_URL overrides the API base.',
].join('\n');

type Args = { ok: true; help: boolean; guildId: string | null } | { ok: false; reason: string };

export function parseRegisterArgs(args: readonly string[]): Args {
  let guildId: string | null = null;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--help' || arg === '-h') return { ok: true, help: true, guildId };
    const value =
      arg === '--guild' ? args[++i] : arg.startsWith('--guild=') ? arg.slice('--guild='.length) : null;
    if (value === null) return { ok: false, reason: `unknown argument "${arg}"` };
    if (!value || !/^\d{17,20}$/.test(value))
      return { ok: false, reason: '--guild needs a server id (17–20 digits)' };
    guildId = value;
  }
  return { ok: true, help: false, guildId };
}

export const registerCommand: CliCommand = {
  name: ['discord', 'register'],
  usage: 'discord register [--guild ID]',
  description: 'bulk-overwrites the Discord commands from manifest/discord/commands.json',
  async run(args, context) {
    const parsed = parseRegisterArgs(args);
    if (!parsed.ok) return usageError(context, parsed.reason);
    if (parsed.help) {
      for (const line of HELP.split('\n')) context.stdout(line);
      return 0;
    }
    const settings = loadSection(DISCORD_SETTINGS, context.env);
    if (!settings.ok) return usageError(context, settings.reason);
    const { applicationId, botToken } = settings.value;
    if (!applicationId || !botToken) {
      return usageError(context, 'set DISCORD_APPLICATION_ID and DISCORD_BOT_TOKEN to register commands');
    }
    const manifest = await loadCommandManifest();
    if (!manifest.ok) {
      context.stderr(`error: ${manifest.reason}`);
      return 1;
    }
    try {
      await new DiscordRestClient(settings.value).overwriteCommands(
        applicationId,
        parsed.guildId,
        manifest.commands,
      );
    } catch (error) {
      context.stderr(`error: Discord refused the commands: ${oneLine(error)}`);
      return 1;
    }
    const where = parsed.guildId ? `in server ${parsed.guildId}` : 'globally';
    context.stdout(`registered ${manifest.commands.length} Discord commands ${where}`);
    return 0;
  },
};

function usageError(context: CliContext, reason: string): number {
  context.stderr(`error: ${reason}`);
  context.stderr(USAGE);
  return 2;
}

function oneLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).replace(/\s+/g, ' ').trim();
}
