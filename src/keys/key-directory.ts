// The server's view of the keys: the log re-read whenever it changed, looked at no more often than every
// `recheckMs`, so `keys revoke` takes effect within that time without a restart.
import { stat } from 'node:fs/promises';
import { keyLogPath, readKeyLog } from './key-log.ts';
import type { KeyState } from './project-key.ts';

export const KEY_RECHECK_MS = 1_000;

export type KeyDirectory = { find(publicKey: string): Promise<KeyState | null> };

export function createKeyDirectory(
  dataDir: string,
  options: { recheckMs?: number; now?: () => number } = {},
): KeyDirectory {
  const recheckMs = options.recheckMs ?? KEY_RECHECK_MS;
  const now = options.now ?? Date.now;
  let keys = new Map<string, KeyState>();
  let version = '';
  let checkedAt = Number.NEGATIVE_INFINITY;
  let checking: Promise<void> | null = null;

  const refresh = async () => {
    let seen = 'absent';
    try {
      const info = await stat(keyLogPath(dataDir));
      seen = `${info.size}:${info.mtimeMs}`;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    if (seen !== version) {
      keys = await readKeyLog(dataDir);
      version = seen;
    }
    checkedAt = now();
  };

  return {
    async find(publicKey) {
      if (now() - checkedAt >= recheckMs) {
        checking ??= refresh().finally(() => {
          checking = null;
        });
        await checking;
      }
      return keys.get(publicKey) ?? null;
    },
  };
}
