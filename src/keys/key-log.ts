// Keys live in an append-only log beside the store (`DATA_DIR/project-keys.ndjson`), not in the DuckDB file: a
// running server holds that file's lock, and `keys create|revoke` must work while it runs. Appends never lose a
// concurrent writer's line, and the server re-reads the log when it changes (key-directory.ts).
import { randomBytes } from 'node:crypto';
import { open, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { type KeyState, PUBLIC_KEY_PATTERN } from './project-key.ts';

export const KEY_LOG_FILE = 'project-keys.ndjson';

const Entry = z.discriminatedUnion('op', [
  z.object({
    op: z.literal('create'),
    publicKey: z.string().regex(PUBLIC_KEY_PATTERN),
    organizationId: z.string(),
    projectId: z.number().int().positive().nullable(),
    name: z.string().nullable(),
    at: z.string(),
  }),
  z.object({ op: z.literal('revoke'), publicKey: z.string(), at: z.string() }),
]);
export type KeyLogEntry = z.infer<typeof Entry>;

export function keyLogPath(dataDir: string): string {
  return join(dataDir, KEY_LOG_FILE);
}

export function newPublicKey(): string {
  return randomBytes(16).toString('hex');
}

/** Appends and syncs: a key printed by `keys create` is a key the server accepts. */
export async function appendKeyLog(dataDir: string, entries: readonly KeyLogEntry[]): Promise<void> {
  if (entries.length === 0) return;
  const handle = await open(keyLogPath(dataDir), 'a');
  try {
    await handle.write(entries.map((entry) => `${JSON.stringify(entry)}\n`).join(''));
    await handle.datasync();
  } finally {
    await handle.close();
  }
}

/** Replays the log: a later create of the same key replaces its details, a revoke is final. */
export function replayKeyLog(text: string): Map<string, KeyState> {
  const keys = new Map<string, KeyState>();
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    let parsed: ReturnType<typeof Entry.safeParse>;
    try {
      parsed = Entry.safeParse(JSON.parse(line));
    } catch {
      continue; // A torn last line (a crash mid-append) is ignored, never fatal.
    }
    if (!parsed.success) continue;
    const entry = parsed.data;
    const known = keys.get(entry.publicKey);
    if (entry.op === 'revoke') {
      if (known && known.revokedAt === null) known.revokedAt = entry.at;
      continue;
    }
    keys.set(entry.publicKey, {
      publicKey: entry.publicKey,
      organizationId: entry.organizationId,
      projectId: entry.projectId,
      name: entry.name,
      createdAt: known?.createdAt ?? entry.at,
      revokedAt: known?.revokedAt ?? null,
    });
  }
  return keys;
}

export async function readKeyLog(dataDir: string): Promise<Map<string, KeyState>> {
  try {
    return replayKeyLog(await readFile(keyLogPath(dataDir), 'utf8'));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return new Map();
    throw error;
  }
}
