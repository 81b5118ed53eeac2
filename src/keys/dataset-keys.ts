// A dataset's `projectKeys` (docs/dataset-format.md) go into the key log: new keys and changed details only, so re-importing
// the same dataset appends nothing, and a key revoked since stays revoked.
import { appendKeyLog, type KeyLogEntry, readKeyLog } from './key-log.ts';
import type { ProjectKey } from './project-key.ts';

export async function saveDatasetKeys(dataDir: string, keys: readonly ProjectKey[]): Promise<void> {
  if (keys.length === 0 || dataDir === ':memory:') return;
  const known = await readKeyLog(dataDir);
  const at = new Date().toISOString();
  const entries: KeyLogEntry[] = [];
  for (const key of keys) {
    const projectId = key.projectId ?? null;
    const name = key.name ?? null;
    const stored = known.get(key.publicKey);
    if (
      stored &&
      stored.organizationId === key.organizationId &&
      stored.projectId === projectId &&
      stored.name === name
    ) {
      continue;
    }
    entries.push({
      op: 'create',
      publicKey: key.publicKey,
      organizationId: key.organizationId,
      projectId,
      name,
      at,
    });
  }
  await appendKeyLog(dataDir, entries);
}
