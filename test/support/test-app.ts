// A real App on a temporary DuckDB file, loaded with a dataset through the real import path.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type AppOptions, openApp } from '../../src/app-factory.ts';
import type { App } from '../../src/app.ts';
import { loadConfig } from '../../src/config.ts';
import { createLogger } from '../../src/log.ts';
import { importDataset } from '../../src/store/import/import.ts';
import type { Store } from '../../src/store/store.ts';

export type TestApp = { app: App; store: Store; dataDir: string; close(): Promise<void> };

export type TestAppOptions = AppOptions & {
  /** A dataset object (docs/dataset-format.md); imported before the app is returned. */
  dataset?: unknown;
  env?: Record<string, string | undefined>;
};

export async function createTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const dataDir = await mkdtemp(join(tmpdir(), 'incident-cards-test-'));
  const loaded = loadConfig({ LOG_LEVEL: 'silent', DATA_DIR: dataDir, METRIC_CACHE_MS: '0', ...options.env });
  if (!loaded.ok) throw new Error(loaded.reason);
  const opened = await openApp(loaded.config, { logger: createLogger(loaded.config.logLevel), ...options });
  if (!opened.ok) throw new Error(opened.reason);
  if (options.dataset !== undefined) {
    const imported = await importDataset(opened.store, options.dataset);
    if (!imported.ok) throw new Error(`test dataset rejected: ${JSON.stringify(imported.errors)}`);
  }
  return {
    app: opened.app,
    store: opened.store,
    dataDir,
    async close() {
      await opened.app.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
