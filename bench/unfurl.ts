// `npm run bench -- unfurl`: a message with 10 incident links, answered (a) as Sentry does — one metric query per
// incident, one after another — and (b) through the bulk runner (the links' queries in one batch), on DuckDB and
// on ClickHouse, at 1M and 10M demo events. ClickHouse servers are started with scripts/clickhouse/start.sh
// when none answers (and stopped again afterwards). UNFURL_SIZES=1000000,10000000, UNFURL_ROUNDS=100 and
// UNFURL_BACKENDS=duckdb,clickhouse tune it.
import { plainPageLink } from '../src/card/page-link.ts';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { openApp } from '../src/app-factory.ts';
import type { App } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import { generateDemo } from '../demo/generate.ts';
import { incidentAggregateQuery } from '../src/incidents/aggregates.ts';
import { createCardBuilder, incidentCard } from '../src/card/build.ts';
import { metricCountWindow } from '../src/incidents/metric-count.ts';
import { createBulkRunner } from '../src/query/bulk-runner.ts';
import { createRuleCompiler } from '../src/query/compile-rule.ts';
import { DATABASE_FILE } from '../src/store/duckdb/database.ts';
import { importDataset } from '../src/store/import/import.ts';
import type { IncidentRecord } from '../src/repository.ts';
import type { Store } from '../src/store/store.ts';
import { openDemoApp } from './demo-store.ts';
import { type Figures, percentiles, printTable, round } from './results.ts';

const LINKS = 10;
const WARMUP = 5;
const ROUNDS = Number(process.env.UNFURL_ROUNDS ?? 100);
const SIZES = (process.env.UNFURL_SIZES ?? '1000000,10000000')
  .split(',')
  .map(Number)
  .sort((a, b) => a - b);
const BACKENDS = (process.env.UNFURL_BACKENDS ?? 'duckdb,clickhouse').split(',');
const CLICKHOUSE_URL = process.env.CLICKHOUSE_URL ?? 'http://127.0.0.1:8123';
/** The local cluster's second server (scripts/clickhouse/common.sh). */
const SECOND_SHARD_URL = 'http://127.0.0.1:8124';
const HOUR_MS = 3_600_000;
const MINUTE_MS = 60_000;
/** The demo's incidents (bench clones of demo-store.ts start at 10,000). */
const DEMO_IDENTIFIERS_BELOW = 10_000;

/** events/s of each ClickHouse demo load this run (none when the stores were cached). */
const ingestion: number[] = [];

export type Opened = { app: App; store: Store; close(): Promise<void> };
export type Measured = {
  sequential: number[];
  bulk: number[];
  sequentialTotal: number;
  bulkTotal: number;
  failed: number;
};

export async function run(): Promise<Figures> {
  const figures: Figures = {};
  const stopAfter = await ensureClickHouse();
  try {
    for (const backend of ['duckdb', 'clickhouse'] as const) {
      if (!BACKENDS.includes(backend) || (backend === 'clickhouse' && stopAfter === null)) continue;
      const p99BySize: Record<number, number> = {};
      for (const events of SIZES) {
        const opened = backend === 'duckdb' ? await openDemoApp(events) : await openClickHouseDemo(events);
        try {
          const result = await measure(opened);
          const a = percentiles(result.sequential);
          const b = percentiles(result.bulk);
          const ratio = result.sequentialTotal / result.bulkTotal;
          p99BySize[events] = b.p99;
          printTable(
            `unfurl on ${backend}, ${events.toLocaleString('en-US')} events: ${LINKS}-link message x${ROUNDS}`,
            [
              ['(a) one query per link, sequential: p50 / p99 ms', `${a.p50} / ${a.p99}`],
              ['(b) bulk runner, one batch: p50 / p99 ms', `${b.p50} / ${b.p99}`],
              ['ratio a/b (total time)', round(ratio, 2)],
              ['failed cards', result.failed],
            ],
          );
          const label = events >= 1_000_000 ? `${events / 1_000_000}m` : `${events}`;
          figures[`unfurl.${backend}.p99_ms_${label}`] = b.p99;
          figures[`unfurl.${backend}.p50_ms_${label}`] = b.p50;
          figures[`unfurl.${backend}.sequential_p99_ms_${label}`] = a.p99;
          figures[`unfurl.${backend}.sequential_over_bulk_${label}`] = round(ratio, 2);
          // The headline figures are those of the largest store.
          figures[`unfurl.${backend}.sequential_over_bulk`] = round(ratio, 2);
          figures[`unfurl.${backend}.p99_ms`] = b.p99;
          if (result.failed > 0) figures[`unfurl.${backend}.failed_cards`] = result.failed;
        } finally {
          await opened.close();
        }
      }
      const sizes = Object.keys(p99BySize).map(Number);
      if (sizes.length > 1) {
        printTable(`unfurl on ${backend}: card latency by store size (bulk p99)`, [
          ...sizes.map((size): [string, string] => [
            `${size.toLocaleString('en-US')} events`,
            `${p99BySize[size]} ms`,
          ]),
        ]);
      }
    }
    if (ingestion.length > 0) figures['unfurl.clickhouse.import_events_per_s'] = Math.max(...ingestion);
  } finally {
    if (stopAfter) execFileSync('bash', [join('scripts', 'clickhouse', 'stop.sh')], { stdio: 'inherit' });
  }
  return figures;
}

/** Ten incidents of one organization (a message in one guild), each asking a different question. */
export function messageIncidents(store: Store): IncidentRecord[] {
  const organizationId = 'acme';
  const demo = store.repository
    .listIncidents(organizationId, { status: null, openOnly: false, skip: 0, count: 10_000 })
    .items.filter((incident) => incident.identifier < DEMO_IDENTIFIERS_BELOW)
    .map((incident) => store.repository.findIncident(organizationId, incident.identifier) as IncidentRecord);
  if (demo.length === 0) throw new Error('the demo store has no incidents');
  // Fewer than ten incidents: the rest are the same incidents an hour earlier (other windows, same rules).
  return Array.from({ length: LINKS }, (_, i) =>
    shifted(demo[i % demo.length]!, Math.floor(i / demo.length) * HOUR_MS),
  );
}

/** The same incident moved back in time: every round asks new questions, so nothing is answered from a cache. */
export function shifted(record: IncidentRecord, byMs: number): IncidentRecord {
  const move = (iso: string) => new Date(Date.parse(iso) - byMs).toISOString();
  const incident = record.incident;
  return {
    ...record,
    incident: {
      ...incident,
      dateStarted: move(incident.dateStarted),
      dateClosed: incident.dateClosed === null ? null : move(incident.dateClosed),
      triggers: incident.triggers.map((trigger) => ({
        ...trigger,
        dateModified: move(trigger.dateModified),
      })),
    },
  };
}

export async function measure(opened: Opened): Promise<Measured> {
  const backend = opened.store.backend;
  const base = messageIncidents(opened.store);
  const now = Date.now();
  const rules = createRuleCompiler();
  const runner = createBulkRunner({ backend, cacheMs: 0, timeoutMs: 10_000 });
  const cards = createCardBuilder({ runner, rules, publicUrl: 'http://bench', now: () => now });
  const result: Measured = { sequential: [], bulk: [], sequentialTotal: 0, bulkTotal: 0, failed: 0 };

  const sequential = async (records: IncidentRecord[]) => {
    for (const record of records) {
      const window = metricCountWindow(record, now);
      const rule = rules.compile(record.rule);
      if (!rule.ok) throw new Error(rule.error);
      const query = incidentAggregateQuery(record, rule, window);
      const [value] = await backend.runMetrics([query], AbortSignal.timeout(10_000));
      incidentCard(record, rule, { ok: true, value: value ?? null }, window, {
        pageLink: plainPageLink('http://bench'),
        now,
      });
    }
  };
  const bulk = async (records: IncidentRecord[]) => {
    const built = await cards.build(records);
    return built.filter((card) => card.metricError !== null).length;
  };

  for (let round = 0; round < WARMUP + ROUNDS; round++) {
    const records = base.map((record) => shifted(record, round * MINUTE_MS));
    const measured = round >= WARMUP;
    // Alternate which path goes first, so neither always meets the other's warm caches.
    for (const path of round % 2 === 0 ? (['a', 'b'] as const) : (['b', 'a'] as const)) {
      const started = performance.now();
      let failed = 0;
      if (path === 'a') await sequential(records);
      else failed = await bulk(records);
      const elapsed = performance.now() - started;
      if (!measured) continue;
      if (path === 'a') {
        result.sequential.push(elapsed);
        result.sequentialTotal += elapsed;
      } else {
        result.bulk.push(elapsed);
        result.bulkTotal += elapsed;
        result.failed += failed;
      }
    }
  }
  return result;
}

/**
 * The demo in ClickHouse (rows) with its metadata in a DuckDB file, both cached between runs. `cluster`: a cluster
 * of the local servers (scripts/clickhouse) to shard the events over, else one server.
 */
export async function openClickHouseDemo(events: number, cluster?: string): Promise<Opened> {
  const suffix = cluster ? `-${cluster}` : '';
  const dataDir = join(process.cwd(), '.tmp', `bench-clickhouse-${events}${suffix}`);
  const database = `incident_cards_bench_${events}${cluster ? '_sharded' : ''}`;
  const loaded = loadConfig({
    LOG_LEVEL: 'warn',
    DATA_DIR: dataDir,
    QUERY_BACKEND: 'clickhouse',
    CLICKHOUSE_URL,
    CLICKHOUSE_DATABASE: database,
    CLICKHOUSE_CLUSTER: cluster,
  });
  if (!loaded.ok) throw new Error(loaded.reason);
  let opened = await openApp(loaded.config);
  if (!opened.ok) throw new Error(opened.reason);
  const cached =
    existsSync(join(dataDir, DATABASE_FILE)) &&
    opened.store.repository.listIncidents('acme', { status: null, openOnly: false, skip: 0, count: 1 })
      .total > 0 &&
    (await opened.store.backend.countEvents()) >= events;
  if (!cached) {
    await opened.app.close();
    await rm(dataDir, { recursive: true, force: true });
    for (const url of cluster ? [CLICKHOUSE_URL, SECOND_SHARD_URL] : [CLICKHOUSE_URL])
      await fetch(`${url}/`, { method: 'POST', body: `DROP DATABASE IF EXISTS ${database}` });
    opened = await openApp(loaded.config);
    if (!opened.ok) throw new Error(opened.reason);
    ingestion.push(await loadClickHouseDemo(opened.store, events));
  }
  const { app, store } = opened;
  return { app, store, close: () => app.close() };
}

/** Loads the demo, timing only the backend's writes (the generator's own time is not ingestion). */
async function loadClickHouseDemo(store: Store, events: number): Promise<number> {
  console.log(
    `loading ${events.toLocaleString('en-US')} demo events into ClickHouse (cached for later runs)…`,
  );
  const demo = generateDemo({ seed: 1, events, now: Math.floor(Date.now() / HOUR_MS) * HOUR_MS });
  let writing = 0;
  let written = 0;
  for (const batch of demo.eventBatches(100_000)) {
    const started = performance.now();
    written += await store.backend.writeEvents(batch);
    writing += performance.now() - started;
  }
  for (const batch of demo.sessionBatches(100_000)) await store.backend.writeSessions(batch);
  // As `import` and `demo` do after a load: one part per day partition (not counted as ingestion time).
  const compactStarted = performance.now();
  const merged = await store.backend.compact();
  console.log(
    `compacted ${merged} day partitions in ${((performance.now() - compactStarted) / 1000).toFixed(1)} s`,
  );
  const imported = await importDataset(store, demo.metadata, 'demo');
  if (!imported.ok) throw new Error(`demo metadata rejected: ${JSON.stringify(imported.errors.slice(0, 3))}`);
  const rate = Math.round(written / (writing / 1000));
  console.log(`ClickHouse ingestion: ${rate.toLocaleString('en-US')} events/s`);
  return rate;
}

/** Whether the local ClickHouse answers (the alerting bench uses it only then). */
export async function clickHouseAnswers(): Promise<boolean> {
  try {
    const response = await fetch(`${CLICKHOUSE_URL}/?query=SELECT%201`, {
      signal: AbortSignal.timeout(2_000),
    });
    return (await response.text()).trim() === '1';
  } catch {
    return false;
  }
}

/** Starts the local servers if none answers; returns whether to stop them afterwards, or null if unavailable. */
async function ensureClickHouse(): Promise<boolean | null> {
  const answers = async () => {
    try {
      const response = await fetch(`${CLICKHOUSE_URL}/?query=SELECT%201`, {
        signal: AbortSignal.timeout(2_000),
      });
      return (await response.text()).trim() === '1';
    } catch {
      return false;
    }
  };
  if (await answers()) return false;
  try {
    execFileSync('bash', [join('scripts', 'clickhouse', 'start.sh')], { stdio: 'inherit' });
    return (await answers()) ? true : null;
  } catch (error) {
    console.warn(
      `unfurl: no ClickHouse at ${CLICKHOUSE_URL} and the local servers did not start; skipping it (${error})`,
    );
    return null;
  }
}
