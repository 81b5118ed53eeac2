// A store another process left in DATA_DIR, opened as the next `incident-cards` command would open it.
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { type AppResult, openApp } from '../../src/app-factory.ts';
import { loadConfig } from '../../src/config.ts';
import { DATABASE_FILE } from '../../src/store/duckdb/database.ts';

type OpenedApp = Extract<AppResult, { ok: true }>;

export async function openAppAt(dataDir: string): Promise<OpenedApp> {
  const loaded = loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'silent' });
  if (!loaded.ok) throw new Error(loaded.reason);
  const opened = await openApp(loaded.config);
  if (!opened.ok) throw new Error(opened.reason);
  return opened;
}

/** Opens the store, runs `work` on it and closes it again. */
export async function withAppAt<T>(dataDir: string, work: (opened: OpenedApp) => Promise<T>): Promise<T> {
  const opened = await openAppAt(dataDir);
  try {
    return await work(opened);
  } finally {
    await opened.app.close();
  }
}

/** Bytes of the DuckDB file and its write-ahead log: how far a running load has got. */
export async function storeFileBytes(dataDir: string): Promise<number> {
  const names = (await readdir(dataDir)).filter((name) => name.startsWith(DATABASE_FILE));
  const sizes = await Promise.all(names.map(async (name) => (await stat(join(dataDir, name))).size));
  return sizes.reduce((sum, size) => sum + size, 0);
}
