// The `incident-cards` command line: sub-commands of src/ plus the ones adapters contribute.
import { openApp } from './app-factory.ts';
import {
  ALERTS_EVALUATE_USAGE,
  ALERTS_REPLAY_USAGE,
  alertsEvaluateCommand,
  alertsReplayCommand,
} from './cli/alerts.ts';
import { CARD_USAGE, cardCommand } from './cli/card.ts';
import { type CliIo, type CliWiring, configFrom, EXIT, UsageError } from './cli/context.ts';
import { DEMO_USAGE, demoCommand } from './cli/demo.ts';
import { IMPORT_USAGE, importCommand } from './cli/import.ts';
import { RULES_LIST_USAGE, RULES_SWITCH_USAGE, rulesListCommand, rulesSwitchCommand } from './cli/rules.ts';
import { KEYS_USAGE, keysCommand } from './cli/keys.ts';
import { NOTIFICATIONS_USAGE, notificationsCommand } from './cli/notifications.ts';
import { INSTALLATIONS_SET_USAGE, installationsSetCommand } from './cli/installations.ts';
import { SERVE_USAGE, serveCommand } from './cli/serve.ts';

type SubCommand = { name: string[]; summary: string; usage: string; run(args: string[]): Promise<number> };

export async function runCli(argv: string[], wiring: CliWiring, io: CliIo): Promise<number> {
  const commands: SubCommand[] = [
    {
      name: ['serve'],
      summary: 'start the HTTP server',
      usage: SERVE_USAGE,
      run: (a) => serveCommand(a, io, wiring),
    },
    {
      name: ['import'],
      summary: 'load dataset files into the store',
      usage: IMPORT_USAGE,
      run: (a) => importCommand(a, io),
    },
    {
      name: ['demo'],
      summary: 'generate the demo dataset into the store',
      usage: DEMO_USAGE,
      run: (a) => demoCommand(a, io, wiring.demo),
    },
    {
      name: ['keys'],
      summary: 'create, list and revoke the keys (DSNs) apps send events with',
      usage: KEYS_USAGE,
      run: (a) => keysCommand(a, io),
    },
    {
      name: ['card'],
      summary: 'print an incident card',
      usage: CARD_USAGE,
      run: (a) => cardCommand(a, io, wiring),
    },
    {
      name: ['alerts', 'evaluate'],
      summary: 'run one alert evaluation tick and print what changed',
      usage: ALERTS_EVALUATE_USAGE,
      run: (a) => alertsEvaluateCommand(a, io),
    },
    {
      name: ['alerts', 'replay'],
      summary: 'run every evaluation tick of a time range (backfill, or backtest with --dry-run)',
      usage: ALERTS_REPLAY_USAGE,
      run: (a) => alertsReplayCommand(a, io),
    },
    {
      name: ['rules', 'list'],
      summary: 'list alert rules',
      usage: RULES_LIST_USAGE,
      run: (a) => rulesListCommand(a, io),
    },
    {
      name: ['rules', 'enable'],
      summary: 'evaluate an alert rule again',
      usage: RULES_SWITCH_USAGE,
      run: (a) => rulesSwitchCommand(true)(a, io),
    },
    {
      name: ['rules', 'disable'],
      summary: 'stop evaluating an alert rule',
      usage: RULES_SWITCH_USAGE,
      run: (a) => rulesSwitchCommand(false)(a, io),
    },
    {
      name: ['notifications'],
      summary: 'list the notification outbox (notifications list [--pending|--failed])',
      usage: NOTIFICATIONS_USAGE,
      run: (a) => notificationsCommand(a, io),
    },
    {
      name: ['installations', 'set'],
      summary: "set who may act on an installation's cards (responder roles, responders)",
      usage: INSTALLATIONS_SET_USAGE,
      run: (a) => installationsSetCommand(a, io),
    },
    ...wiring.commands.map((command) => ({
      name: command.name,
      summary: command.description,
      usage: command.usage,
      run: (args: string[]) =>
        command.run(args, {
          ...io,
          openApp: async () => {
            const opened = await openApp(configFrom(io.env, {}));
            if (!opened.ok) throw new Error(opened.reason);
            return opened.app;
          },
        }),
    })),
  ];
  const first = argv[0];
  if (first === undefined || first === '--help' || first === '-h' || first === 'help') {
    io.stdout(overview(commands));
    return first === undefined ? EXIT.usage : EXIT.ok;
  }
  const command = commands.find((candidate) => candidate.name.every((word, index) => argv[index] === word));
  if (!command) {
    io.stderr(`unknown command "${argv.slice(0, 2).join(' ')}"; run incident-cards --help`);
    return EXIT.usage;
  }
  const args = argv.slice(command.name.length);
  try {
    return await command.run(args);
  } catch (error) {
    if (error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      io.stderr(`${(error as Error).message}\n${command.usage.split('\n')[0]}`);
      return EXIT.usage;
    }
    io.stderr(`${command.name.join(' ')} failed: ${(error as Error).message}`);
    return EXIT.failure;
  }
}

function overview(commands: SubCommand[]): string {
  const width = Math.max(...commands.map((command) => command.name.join(' ').length));
  return [
    'usage: incident-cards <command> [options]   (each command has --help)',
    '',
    ...commands.map((command) => `  ${command.name.join(' ').padEnd(width)}  ${command.summary}`),
  ].join('\n');
}
