// The benchmarks' store: the demo dataset (1M events by default) in a cached DuckDB file under .tmp/, plus
// 1,000 "bench" incidents cloned from the demo ones with shifted trigger times, so every card asks a
// distinct question (no cache hit hides the work).
import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { type AppOptions, openApp } from '../src/app-factory.ts';
import type { App } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import type { Incident } from '../src/domain.ts';
import { DATABASE_FILE } from '../src/store/duckdb/database.ts';
import { importDataset } from '../src/store/import/import.ts';
import { loadDemo } from '../demo/load.ts';
import type { Store } from '../src/store/store.ts';

export const BENCH_INCIDENTS = 1_000;
const BENCH_IDENTIFIER_BASE = 10_000;
const HOUR_MS = 3_600_000;

export type DemoApp = { app: App; store: Store; dataDir: string; close(): Promise<void> };

export async function openDemoApp(
  events = 1_000_000,
  options: AppOptions & { env?: Record<string, string | undefined> } = {},
): Promise<DemoApp> {
  const dataDir = join(process.cwd(), '.tmp', `bench-demo-${events}`);
  const fresh = !existsSync(join(dataDir, DATABASE_FILE));
  const loaded = loadConfig({ LOG_LEVEL: 'warn', DATA_DIR: dataDir, ...options.env });
  if (!loaded.ok) throw new Error(loaded.reason);
  let opened = await openApp(loaded.config, options);
  if (!opened.ok) throw new Error(opened.reason);
  if (fresh || (await opened.store.backend.countEvents()) < events) {
    console.log(
      `building the ${events.toLocaleString('en-US')}-event demo store in ${dataDir} (cached for later runs)…`,
    );
    await opened.app.close();
    await rm(dataDir, { recursive: true, force: true });
    opened = await openApp(loaded.config, options);
    if (!opened.ok) throw new Error(opened.reason);
    const started = performance.now();
    const demo = await loadDemo(opened.store, {
      seed: 1,
      events,
      now: Math.floor(Date.now() / HOUR_MS) * HOUR_MS,
    });
    if (!demo.ok) throw new Error(demo.reason);
    console.log(`demo store built in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    await addBenchIncidents(opened.store);
  }
  const { app, store } = opened;
  return { app, store, dataDir, close: () => app.close() };
}

/** Clones of the demo incidents with triggers shifted back by whole minutes: same data, distinct windows. */
async function addBenchIncidents(store: Store): Promise<void> {
  const organizations = ['acme', 'globex', 'initech'];
  const originals = organizations.flatMap(
    (organizationId) =>
      store.repository.listIncidents(organizationId, { status: null, openOnly: false, skip: 0, count: 1_000 })
        .items,
  );
  const withTriggers = originals.filter((incident) => incident.triggers.length > 0);
  const clones: Incident[] = [];
  for (let i = 0; i < BENCH_INCIDENTS; i++) {
    const source = withTriggers[i % withTriggers.length]!;
    const shiftMs = (1 + Math.floor(i / withTriggers.length)) * 60_000;
    clones.push({
      ...source,
      id: 900_000 + i,
      identifier: BENCH_IDENTIFIER_BASE + i,
      title: `${source.title} (bench ${i})`,
      triggers: source.triggers.map((trigger) => ({
        ...trigger,
        dateModified: new Date(Date.parse(trigger.dateModified) - shiftMs).toISOString(),
      })),
    });
  }
  const imported = await importDataset(store, { version: 1, incidents: clones }, 'bench incidents');
  if (!imported.ok)
    throw new Error(`bench incidents rejected: ${JSON.stringify(imported.errors.slice(0, 3))}`);
}

/** The bench incidents (distinct windows), as organization + identifier pairs. */
export function benchIncidentRefs(store: Store): { organizationId: string; identifier: number }[] {
  return ['acme', 'globex', 'initech'].flatMap((organizationId) =>
    store.repository
      .listIncidents(organizationId, { status: null, openOnly: false, skip: 0, count: 100_000 })
      .items.filter((incident) => incident.identifier >= BENCH_IDENTIFIER_BASE)
      .map((incident) => ({ organizationId, identifier: incident.identifier })),
  );
}
