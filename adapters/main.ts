// The entry point: wires the platform adapters into the CLI and server (src/ never imports an adapter).
import { runCli } from '../src/cli.ts';
import { discordAdapter, discordCliCommands, discordNotifier, renderDiscordCard } from './discord/index.ts';
import { renderTeamsCard, teamsAdapter, teamsCliCommands, teamsNotifier } from './teams/index.ts';

const code = await runCli(
  process.argv.slice(2),
  {
    adapters: [discordAdapter, teamsAdapter],
    commands: [...discordCliCommands, ...teamsCliCommands],
    renderers: { discord: renderDiscordCard, teams: renderTeamsCard },
    notifiers: [discordNotifier, teamsNotifier],
  },
  {
    stdout: (line) => process.stdout.write(`${line}\n`),
    stderr: (line) => process.stderr.write(`${line}\n`),
    env: process.env,
  },
);
process.exitCode = code;
