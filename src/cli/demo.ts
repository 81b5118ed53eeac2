// `incident-cards demo`: generates the deterministic demo dataset into the store.
import { parseArgs } from 'node:util';
import { type CliIo, type DemoLoader, EXIT, storeConfig, UsageError, withApp } from './context.ts';

export const DEMO_DEFAULTS = { seed: 1, events: 1_000_000 };

export const DEMO_USAGE = `usage: incident-cards demo [--seed N] [--events N] [--data-dir DIR]

Generates a realistic demo dataset over the last 14 days (deterministic for a seed) into the store:
three organizations, their projects, alert rules, incidents in every status, events and sessions.
Defaults: --seed ${DEMO_DEFAULTS.seed} --events ${DEMO_DEFAULTS.events}.`;

export async function demoCommand(args: string[], io: CliIo, loadDemo: DemoLoader): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      seed: { type: 'string' },
      events: { type: 'string' },
      'data-dir': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    io.stdout(DEMO_USAGE);
    return EXIT.ok;
  }
  const seed = wholeNumber('--seed', values.seed, DEMO_DEFAULTS.seed);
  const events = wholeNumber('--events', values.events, DEMO_DEFAULTS.events);
  return withApp(io, storeConfig(io, values['data-dir']), async (opened) => {
    const started = performance.now();
    const loaded = await loadDemo(opened.store, { seed, events });
    if (!loaded.ok) {
      io.stderr(`demo dataset rejected: ${loaded.reason}`);
      return EXIT.failure;
    }
    io.stdout(
      `demo dataset (seed ${seed}): ${loaded.events} events, ${loaded.sessions} sessions, ${loaded.incidents} incidents ` +
        `in ${loaded.organizations.join(', ')} — ${((performance.now() - started) / 1000).toFixed(1)} s`,
    );
    return EXIT.ok;
  });
}

export function wholeNumber(flag: string, text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value < 0)
    throw new UsageError(`${flag} must be a whole number, not "${text}"`);
  return value;
}
