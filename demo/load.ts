// Writes the generated demo dataset into the store: metadata through the import checks, rows in batches.
import { generateDemo } from './generate.ts';
import { importDataset } from '../src/store/import/import.ts';
import type { DemoLoadResult } from '../src/cli/context.ts';
import type { Store } from '../src/store/store.ts';

const HOUR_MS = 3_600_000;

export async function loadDemo(
  store: Store,
  options: { seed: number; events: number; now?: number },
): Promise<DemoLoadResult> {
  // Anchored to the hour, so the same seed gives the same dataset for an hour's worth of restarts.
  const now = Math.floor((options.now ?? Date.now()) / HOUR_MS) * HOUR_MS;
  const demo = generateDemo({ seed: options.seed, events: options.events, now });
  let events = 0;
  for (const batch of demo.eventBatches(100_000)) events += await store.backend.writeEvents(batch);
  let sessions = 0;
  for (const batch of demo.sessionBatches(100_000)) sessions += await store.backend.writeSessions(batch);
  await store.backend.compact();
  const imported = await importDataset(store, demo.metadata, 'demo');
  if (!imported.ok) {
    return { ok: false, reason: imported.errors.map((e) => e.reason).join('; ') };
  }
  return {
    ok: true,
    events,
    sessions,
    incidents: demo.metadata.incidents.length,
    organizations: demo.metadata.organizations.map((organization) => organization.id),
  };
}
