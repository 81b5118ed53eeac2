// Writes the generated demo dataset into the store through the import checks: rows in batches, metadata last,
// all in one transaction on the embedded store (a first start stopped mid-load leaves an empty store).
import { generateDemo } from './generate.ts';
import { importDataset } from '../src/store/import/import.ts';
import type { DemoLoadResult } from '../src/cli/context.ts';
import { loadMetadata } from '../src/store/duckdb/metadata.ts';
import type { Store } from '../src/store/store.ts';

const HOUR_MS = 3_600_000;

export async function loadDemo(
  store: Store,
  options: { seed: number; events: number; now?: number },
): Promise<DemoLoadResult> {
  // Anchored to the hour, so the same seed gives the same dataset for an hour's worth of restarts.
  const now = Math.floor((options.now ?? Date.now()) / HOUR_MS) * HOUR_MS;
  const demo = generateDemo({ seed: options.seed, events: options.events, now });
  const cleared = await clearOrphanedRows(store);
  if (!cleared.ok) return cleared;
  const imported = await importDataset(store, demo.metadata, 'demo', {
    events: demo.eventBatches(100_000),
    sessions: demo.sessionBatches(100_000),
  });
  if (!imported.ok) {
    return { ok: false, reason: imported.errors.map((e) => e.reason).join('; ') };
  }
  return {
    ok: true,
    events: imported.counts.newEvents,
    sessions: imported.counts.newSessions,
    incidents: demo.metadata.incidents.length,
    organizations: demo.metadata.organizations.map((organization) => organization.id),
  };
}

/**
 * Rows without any organization in the store are what an interrupted demo load leaves on ClickHouse (rows first,
 * organizations last, no transaction across them) or on an embedded store written before loads were one
 * transaction: nothing can read them, and a new load beside them would count them twice. The embedded store
 * clears them; ClickHouse is told to be emptied by the operator.
 */
async function clearOrphanedRows(store: Store): Promise<{ ok: true } | { ok: false; reason: string }> {
  const metadata = await loadMetadata(store.database);
  if (metadata.organizations.length > 0 || metadata.projects.length > 0) return { ok: true };
  if ((await store.backend.countEvents()) === 0) return { ok: true };
  if (store.backend.name !== 'duckdb')
    return {
      ok: false,
      reason:
        'the event store holds rows but no organization (an interrupted demo load?): empty the ClickHouse tables, then start again',
    };
  await store.database.withConnection(async (connection) => {
    await connection.run('BEGIN TRANSACTION');
    await connection.run('DELETE FROM events');
    await connection.run('DELETE FROM sessions');
    await connection.run('COMMIT');
  });
  return { ok: true };
}
