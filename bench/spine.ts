// `npm run bench -- spine`: 1,000 distinct-incident cards on the 1M-event demo store, (a) one by one with
// single queries, (b) 64 concurrent requests through the bulk runner; plus NDJSON import speed.
import { plainPageLink } from '../src/card/page-link.ts';
import { createWriteStream, existsSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { openApp } from '../src/app-factory.ts';
import { incidentAggregateQuery } from '../src/incidents/aggregates.ts';
import { createCardBuilder, incidentCard } from '../src/card/build.ts';
import { metricCountWindow } from '../src/incidents/metric-count.ts';
import { loadConfig } from '../src/config.ts';
import { generateDemo } from '../demo/generate.ts';
import { createBulkRunner } from '../src/query/bulk-runner.ts';
import { createRuleCompiler } from '../src/query/compile-rule.ts';
import type { IncidentRecord } from '../src/repository.ts';
import { importDataset, importFiles } from '../src/store/import/import.ts';
import { benchIncidentRefs, openDemoApp } from './demo-store.ts';
import { type Figures, percentiles, printTable, round } from './results.ts';

const CONCURRENCY = 64;
const IMPORT_EVENTS = 1_000_000;

export async function run(): Promise<Figures> {
  const demo = await openDemoApp();
  try {
    const records = benchIncidentRefs(demo.store).map(
      (ref) => demo.app.repository.findIncident(ref.organizationId, ref.identifier) as IncidentRecord,
    );
    const now = Date.now();
    const rules = createRuleCompiler();

    // (a) Sentry's way: one query per card, one after another.
    const single: number[] = [];
    const singleStarted = performance.now();
    for (const record of records) {
      const started = performance.now();
      const window = metricCountWindow(record, now);
      const rule = rules.compile(record.rule);
      if (!rule.ok) throw new Error(rule.error);
      const query = incidentAggregateQuery(record, rule, window);
      const [value] = await demo.store.backend.runMetrics([query], new AbortController().signal);
      incidentCard(record, rule, { ok: true, value: value ?? null }, window, {
        pageLink: plainPageLink('http://bench'),
        now,
      });
      single.push(performance.now() - started);
    }
    const singleSeconds = (performance.now() - singleStarted) / 1000;

    // (b) 64 requests at a time, each asking for one card: the bulk runner batches what arrives together.
    const runner = createBulkRunner({ backend: demo.store.backend, cacheMs: 0, timeoutMs: 10_000 });
    const cards = createCardBuilder({ runner, rules, publicUrl: 'http://bench', now: () => now });
    const bulk: number[] = [];
    let failed = 0;
    let next = 0;
    const bulkStarted = performance.now();
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < records.length) {
          const record = records[next++]!;
          const started = performance.now();
          const [card] = await cards.build([record]);
          if (card?.metricError) failed++;
          bulk.push(performance.now() - started);
        }
      }),
    );
    const bulkSeconds = (performance.now() - bulkStarted) / 1000;

    const singleRate = records.length / singleSeconds;
    const bulkRate = records.length / bulkSeconds;
    const a = percentiles(single);
    const b = percentiles(bulk);
    const importRate = await measureImport();
    printTable(`spine: ${records.length} distinct-incident cards on the 1M-event demo store`, [
      ['(a) one by one, cards/s', round(singleRate, 1)],
      ['(a) p50 / p99 ms', `${a.p50} / ${a.p99}`],
      [`(b) bulk runner x${CONCURRENCY}, cards/s`, round(bulkRate, 1)],
      ['(b) p50 / p99 ms', `${b.p50} / ${b.p99}`],
      ['(b) failed cards', failed],
      ['ratio b/a', round(bulkRate / singleRate, 2)],
      ['NDJSON import, events/s', Math.round(importRate)],
    ]);
    return {
      'spine.bulk_over_single': round(bulkRate / singleRate, 2),
      'spine.p99_ms': b.p99,
      'spine.p50_ms': b.p50,
      'spine.single_cards_per_s': round(singleRate, 1),
      'spine.bulk_cards_per_s': round(bulkRate, 1),
      'import.events_per_s': Math.round(importRate),
    };
  } finally {
    await demo.close();
  }
}

/** Writes the demo events as NDJSON once, then times `import --kind events` into an empty store. */
export async function measureImport(): Promise<number> {
  const dir = join(process.cwd(), '.tmp');
  await mkdir(dir, { recursive: true });
  const file = join(dir, `bench-events-${IMPORT_EVENTS}.ndjson`);
  const demo = generateDemo({
    seed: 7,
    events: IMPORT_EVENTS,
    now: Math.floor(Date.now() / 3_600_000) * 3_600_000,
  });
  if (!existsSync(file)) {
    const out = createWriteStream(file);
    for (const batch of demo.eventBatches(50_000)) {
      const lines = batch.map((row) =>
        JSON.stringify({
          timestamp: new Date(row.timestamp).toISOString(),
          projectId: row.projectId,
          environment: row.environment,
          level: row.level,
          message: row.message,
          user: row.user,
          release: row.release,
          transaction: row.transaction,
          duration: row.duration,
          status: row.status,
          tags: row.tags,
        }),
      );
      if (!out.write(`${lines.join('\n')}\n`))
        await new Promise<void>((resolve) => out.once('drain', () => resolve()));
    }
    await new Promise<void>((resolve) => out.end(() => resolve()));
  }
  const dataDir = join(dir, 'bench-import');
  await rm(dataDir, { recursive: true, force: true });
  const loaded = loadConfig({ LOG_LEVEL: 'warn', DATA_DIR: dataDir });
  if (!loaded.ok) throw new Error(loaded.reason);
  const opened = await openApp(loaded.config);
  if (!opened.ok) throw new Error(opened.reason);
  try {
    const metadata = await importDataset(opened.store, demo.metadata);
    if (!metadata.ok) throw new Error('demo metadata rejected');
    const started = performance.now();
    const outcome = await importFiles(opened.store, [file], { kind: 'events' });
    const seconds = (performance.now() - started) / 1000;
    if (!outcome.ok) throw new Error(`bench import failed: ${JSON.stringify(outcome.errors.slice(0, 3))}`);
    return outcome.counts.events / seconds;
  } finally {
    await opened.app.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}
