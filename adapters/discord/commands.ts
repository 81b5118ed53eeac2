// The command definitions Discord shows users, kept as data in manifest/discord/commands.json.
import { readFile } from 'node:fs/promises';
import type { RESTPutAPIApplicationCommandsJSONBody } from 'discord-api-types/v10';
import { z } from 'zod';

export const COMMANDS_MANIFEST = new URL('../../manifest/discord/commands.json', import.meta.url);

// Only a sanity check: the file is validated against Discord's own schema in the tests.
const Manifest = z
  .array(z.looseObject({ name: z.string().min(1).max(32), type: z.number().int() }))
  .min(1)
  .max(100);

export type ManifestResult =
  | { ok: true; commands: RESTPutAPIApplicationCommandsJSONBody }
  | { ok: false; reason: string };

export async function loadCommandManifest(url: URL = COMMANDS_MANIFEST): Promise<ManifestResult> {
  let json: unknown;
  try {
    json = JSON.parse(await readFile(url, 'utf8'));
  } catch (error) {
    return { ok: false, reason: `cannot read ${url.pathname}: ${(error as Error).message}` };
  }
  const parsed = Manifest.safeParse(json);
  if (!parsed.success) return { ok: false, reason: `${url.pathname}: not a list of commands` };
  return { ok: true, commands: json as RESTPutAPIApplicationCommandsJSONBody };
}
