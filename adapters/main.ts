// The entry point: wires the platform adapters and the demo loader into the CLI and server (src/ imports neither).
import { isDemoStore, startLiveTraffic } from '../demo/live-traffic.ts';
import { loadDemo } from '../demo/load.ts';
import { runCli } from '../src/cli.ts';
import { discordAdapter, discordCliCommands, discordNotifier, renderDiscordCard } from './discord/index.ts';
import { discordGatewayAdapter, gatewayCommand } from './discord/gateway/index.ts';
import { renderTeamsCard, teamsAdapter, teamsCliCommands, teamsNotifier } from './teams/index.ts';

const code = await runCli(
  process.argv.slice(2),
  {
    adapters: [discordAdapter, discordGatewayAdapter, teamsAdapter],
    commands: [...discordCliCommands, gatewayCommand, ...teamsCliCommands],
    renderers: { discord: renderDiscordCard, teams: renderTeamsCard },
    demo: loadDemo,
    demoTraffic: { isDemoStore, start: startLiveTraffic },
    notifiers: [discordNotifier, teamsNotifier],
  },
  {
    stdout: (line) => process.stdout.write(`${line}\n`),
    stderr: (line) => process.stderr.write(`${line}\n`),
    env: process.env,
  },
);
process.exitCode = code;
