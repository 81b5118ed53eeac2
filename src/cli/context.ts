// What every CLI sub-command gets: output streams, the environment, and how to open the store.
import type { AdapterFactory, CliCommand } from '../adapter.ts';
import type { IncidentCard } from '../card/model.ts';
import { type Config, loadConfig } from '../config.ts';

export type CardRenderer = (card: IncidentCard) => unknown;

/** What the adapters' entry point hands the CLI: src/ never imports an adapter itself. */
export type CliWiring = {
  adapters: AdapterFactory[];
  commands: CliCommand[];
  renderers: Partial<Record<'discord' | 'teams', CardRenderer>>;
};

export type CliIo = {
  stdout: (line: string) => void;
  stderr: (line: string) => void;
  env: Record<string, string | undefined>;
};

export const EXIT = { ok: 0, failure: 1, usage: 2 } as const;

export class UsageError extends Error {}

/** Config from the environment with flag overrides (flags win, CONTRACT §1). */
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
