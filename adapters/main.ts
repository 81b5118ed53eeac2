// The entry point: wires the platform adapters into the CLI and server (src/ never imports an adapter).
import { runCli } from '../src/cli.ts';
import { discordAdapter, discordCliCommands, renderDiscordCard } from './discord/index.ts';
import { discordGatewayAdapter, gatewayCommand } from './discord/gateway/index.ts';
import { renderTeamsCard, teamsAdapter, teamsCliCommands } from './teams/index.ts';

const code = await runCli(
  process.argv.slice(2),
  {
    adapters: [discordAdapter, discordGatewayAdapter, teamsAdapter],
    commands: [...discordCliCommands, gatewayCommand, ...teamsCliCommands],
    renderers: { discord: renderDiscordCard, teams: renderTeamsCard },
  },
  {
    stdout: (line) => process.stdout.write(`${line}\n`),
    stderr: (line) => process.stderr.write(`${line}\n`),
    env: process.env,
  },
);
process.exitCode = code;
