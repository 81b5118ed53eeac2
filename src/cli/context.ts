// What every CLI sub-command gets: output streams, the environment, and how to open the store.
import type { AdapterFactory, CliCommand } from '../adapter.ts';
import type { IncidentCard } from '../card/model.ts';
import { type AppOptions, type AppResult, openApp } from '../app-factory.ts';
import { type Config, loadConfig } from '../config.ts';
import type { Store } from '../store/store.ts';
import type { NotifierFactory } from '../notify/start.ts';

export type CardRenderer = (card: IncidentCard) => unknown;

export type DemoLoadResult =
  | { ok: true; events: number; sessions: number; incidents: number; organizations: string[] }
  | { ok: false; reason: string };

/** Writes the generated demo dataset into a store (demo/load.ts; the generator lives outside src/). */
export type DemoLoader = (
  store: Store,
  options: { seed: number; events: number; now?: number },
) => Promise<DemoLoadResult>;

/** Live demo traffic for `serve` on the demo store (demo/live-traffic.ts). */
export type DemoTraffic = {
  isDemoStore(store: Store): boolean;
  start(store: Store, options: { onError: (error: unknown) => void }): Promise<{ stop(): void }>;
};

/** What the adapters' entry point hands the CLI: src/ never imports an adapter itself. */
export type CliWiring = {
  adapters: AdapterFactory[];
  commands: CliCommand[];
  renderers: Partial<Record<'discord' | 'teams', CardRenderer>>;
  demo: DemoLoader;
  demoTraffic: DemoTraffic;
  /** Platform senders for the notification outbox (`serve` runs its worker). */
  notifiers?: NotifierFactory[];
};

export type CliIo = {
  stdout: (line: string) => void;
  stderr: (line: string) => void;
  env: Record<string, string | undefined>;
};

export const EXIT = { ok: 0, failure: 1, usage: 2 } as const;

export class UsageError extends Error {}

/** Config from the environment with flag overrides (flags win over variables, as the README says). */
export function configFrom(
  env: Record<string, string | undefined>,
  overrides: Record<string, string | undefined>,
): Config {
  const merged = { ...env };
  for (const [name, value] of Object.entries(overrides)) if (value !== undefined) merged[name] = value;
  const result = loadConfig(merged);
  if (!result.ok) throw new UsageError(`invalid configuration: ${result.reason}`);
  return result.config;
}

type OpenedApp = Extract<AppResult, { ok: true }>;

/** Opens the store for one command and always closes it; a store that cannot open is a runtime failure. */
export async function withApp(
  io: CliIo,
  config: Config,
  work: (opened: OpenedApp) => Promise<number>,
  options: AppOptions = {},
): Promise<number> {
  const opened = await openApp(config, options);
  if (!opened.ok) {
    io.stderr(opened.reason);
    return EXIT.failure;
  }
  try {
    return await work(opened);
  } finally {
    await opened.app.close();
  }
}

/** Config for commands that only touch the store: quiet logs unless asked for. */
export function storeConfig(io: CliIo, dataDir: string | undefined): Config {
  return configFrom(io.env, { DATA_DIR: dataDir, LOG_LEVEL: io.env.LOG_LEVEL ?? 'warn' });
}
