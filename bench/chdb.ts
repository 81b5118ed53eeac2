// `npm run bench -- chdb`: the ClickHouse backend on a current release — ClickHouse 26.7 in-process through chdb
// (test/clickhouse-current, installed apart from the bot: `npm install --prefix test/clickhouse-current`) — with
// the demo dataset (CHDB_EVENTS, default 1M events) loaded through the backend itself:
// - the statement forms docs/clickhouse.md measured on 18.16: a branch of `UNION ALL`, the arrayJoin shared scan
//   and `-If` aggregates over one read;
// - unfurl: a 10-link message, one query per link one after another ÷ one bulk batch (bench/unfurl.ts's measure);
// - alerting: an alert tick emulated as the metric queries of ALERT_RULES (default 1,000) distinct rule windows,
//   one query at a time ÷ through the bulk runner (the evaluator itself is another engineer's work).
// chdb runs in this process: no network and no HTTP round trip, unlike the 18.16 figures beside these.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateDemo } from '../demo/generate.ts';
import { openApp } from '../src/app-factory.ts';
import { loadConfig } from '../src/config.ts';
import { metricCountWindow } from '../src/incidents/metric-count.ts';
import { incidentAggregateQuery } from '../src/incidents/aggregates.ts';
import { createClickHouseBackend } from '../src/query/backends/clickhouse.ts';
import { compileBatch } from '../src/query/backends/clickhouse/compile.ts';
import { escapedLiterals } from '../src/query/backends/clickhouse/literals.ts';
import { createBulkRunner } from '../src/query/bulk-runner.ts';
import { createRuleCompiler } from '../src/query/compile-rule.ts';
import type { MetricQuery } from '../src/query/model.ts';
import type { IncidentRecord } from '../src/repository.ts';
import { importDataset } from '../src/store/import/import.ts';
import type { Store } from '../src/store/store.ts';
import { type ChdbServer, INSTALL_HINT, loadChdb, openChdb } from '../test/clickhouse-current/chdb-client.ts';
import { type Figures, percentiles, printTable, round } from './results.ts';
import { measure } from './unfurl.ts';

const EVENTS = Number(process.env.CHDB_EVENTS ?? 1_000_000);
const ALERT_RULES = Number(process.env.ALERT_RULES ?? 1_000);
const FORM_ROUNDS = 30;
const HOUR_MS = 3_600_000;
const DATABASE = 'incident_cards_bench';

export async function run(): Promise<Figures> {
  const chdb = loadChdb();
  if (chdb === null) {
    console.log(`chdb: ClickHouse 26.7 (chdb) is not installed, skipping; install it with: ${INSTALL_HINT}`);
    return {};
  }
  const server = await openChdb(chdb);
  const dataDir = await mkdtemp(join(tmpdir(), 'incident-cards-bench-chdb-'));
  try {
    const loaded = loadConfig({
      LOG_LEVEL: 'warn',
      DATA_DIR: dataDir,
      QUERY_BACKEND: 'clickhouse',
      CLICKHOUSE_DATABASE: DATABASE,
    });
    if (!loaded.ok) throw new Error(loaded.reason);
    const opened = await openApp(loaded.config, {
      backend: () =>
        createClickHouseBackend({
          url: 'chdb://in-process',
          database: DATABASE,
          timeoutMs: 60_000,
          connect: server.connect,
        }),
    });
    if (!opened.ok) throw new Error(opened.reason);
    const { app, store } = opened;
    try {
      await loadDemo(store);
      const version = (await server.sql('SELECT version()')).trim();
      const figures: Figures = { ...(await measureForms(server, store, version)) };

      const unfurl = await measure({ app, store, close: async () => undefined });
      const a = percentiles(unfurl.sequential);
      const b = percentiles(unfurl.bulk);
      const unfurlRatio = unfurl.sequentialTotal / unfurl.bulkTotal;
      printTable(`unfurl on ClickHouse ${version} (chdb), ${EVENTS.toLocaleString('en-US')} events`, [
        ['(a) one query per link, sequential: p50 / p99 ms', `${a.p50} / ${a.p99}`],
        ['(b) bulk runner, one batch: p50 / p99 ms', `${b.p50} / ${b.p99}`],
        ['ratio a/b (total time)', round(unfurlRatio, 2)],
        ['failed cards', unfurl.failed],
      ]);
      figures['unfurl.chdb.sequential_over_bulk'] = round(unfurlRatio, 2);
      figures['unfurl.chdb.p99_ms'] = b.p99;
      figures['unfurl.chdb.sequential_p99_ms'] = a.p99;

      Object.assign(figures, await measureAlertTick(store, version));
      return figures;
    } finally {
      await app.close();
    }
  } finally {
    await server.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}

async function loadDemo(store: Store): Promise<void> {
  console.log(`loading ${EVENTS.toLocaleString('en-US')} demo events into ClickHouse 26.7 (chdb)…`);
  const started = performance.now();
  const demo = generateDemo({ seed: 1, events: EVENTS, now: Math.floor(Date.now() / HOUR_MS) * HOUR_MS });
  for (const batch of demo.eventBatches(100_000)) await store.backend.writeEvents(batch);
  for (const batch of demo.sessionBatches(100_000)) await store.backend.writeSessions(batch);
  await store.backend.compact();
  const imported = await importDataset(store, demo.metadata, 'demo');
  if (!imported.ok) throw new Error(`demo metadata rejected: ${JSON.stringify(imported.errors.slice(0, 3))}`);
  console.log(`loaded and compacted in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

/** The metric query of every demo incident's rule over its card window. */
function demoQueries(store: Store, now: number): MetricQuery[] {
  const rules = createRuleCompiler();
  return ['acme', 'globex', 'initech'].flatMap((organizationId) =>
    store.repository
      .listIncidents(organizationId, { status: null, openOnly: false, skip: 0, count: 1_000 })
      .items.map((incident) => {
        const record = store.repository.findIncident(organizationId, incident.identifier) as IncidentRecord;
        const rule = rules.compile(record.rule);
        if (!rule.ok) throw new Error(rule.error);
        return incidentAggregateQuery(record, rule, metricCountWindow(record, now));
      }),
  );
}

/**
 * `count` distinct windows: the demo's rule queries moved back by three window lengths at a time, far enough
 * apart that no two share a scan — as distinct rules of one tick would not.
 */
function distinctWindows(base: readonly MetricQuery[], count: number): MetricQuery[] {
  return Array.from({ length: count }, (_, i) => {
    const query = base[i % base.length]!;
    const length = query.end - query.start;
    const back = (1 + Math.floor(i / base.length)) * 3 * length;
    return { ...query, start: query.start - back, end: query.end - back };
  });
}

/** Median ms of running `work` FORM_ROUNDS times (after two warm-up runs). */
async function median(work: () => Promise<unknown>): Promise<number> {
  await work();
  await work();
  const samples: number[] = [];
  for (let i = 0; i < FORM_ROUNDS; i++) {
    const started = performance.now();
    await work();
    samples.push(performance.now() - started);
  }
  samples.sort((x, y) => x - y);
  return round(samples[Math.floor(samples.length / 2)]!, 2);
}

const select = (sql: string) => sql.replace(/\nFORMAT TabSeparated$/, '');

/** The statement forms of docs/clickhouse.md's 18.16 measurements, on 26.7. */
async function measureForms(server: ChdbServer, store: Store, version: string): Promise<Figures> {
  const tables = { events: `\`${DATABASE}\`.\`events\``, sessions: `\`${DATABASE}\`.\`sessions\`` };
  const compile = (queries: readonly MetricQuery[]) => compileBatch(queries, tables, escapedLiterals()).sql;
  const base = demoQueries(store, Date.now()).filter((query) => query.dataset !== 'sessions');
  const cards = distinctWindows(base, 10);
  const empty = `SELECT count() FROM ${tables.events} WHERE project_id = 987654321`;
  const emptyUnion = Array.from({ length: 10 }, () => empty).join('\nUNION ALL\n');

  // Ten nearby windows of one rule (what a shared scan serves), counted three ways over the same rows.
  const rule = { ...base[0]!, aggregate: { fn: 'count' } } as MetricQuery;
  const step = Math.floor((rule.end - rule.start) / 2);
  const nearby = Array.from({ length: 10 }, (_, i) => ({
    ...rule,
    start: rule.start - i * step,
    end: rule.end - i * step,
  }));
  const shared = compile(nearby);
  const separate = nearby.map((query) => select(compile([query]))).join('\nUNION ALL\n');
  const read = /FROM (\S+) WHERE (.*)\) GROUP BY qi/.exec(shared);
  if (!read) throw new Error(`unexpected shared-scan statement: ${shared.slice(0, 200)}`);
  const conditional = `SELECT ${nearby
    .map((query) => `countIf(\`timestamp\` >= ${query.start} AND \`timestamp\` < ${query.end})`)
    .join(', ')} FROM ${read[1]} WHERE ${read[2]}`;
  const [sharedAnswer, separateAnswer, conditionalAnswer] = await Promise.all([
    server.sql(shared),
    server.sql(separate),
    server.sql(conditional),
  ]);
  // Same counts, whatever order each form answers in (the shared scan leaves out empty windows).
  const counts = (values: number[]) =>
    values
      .filter((value) => value > 0)
      .sort((x, y) => x - y)
      .join();
  const column = (text: string) =>
    text
      .trim()
      .split('\n')
      .map((line) => Number(line.split('\t').at(-1)));
  const answers = [
    column(sharedAnswer),
    column(separateAnswer),
    conditionalAnswer.trim().split('\t').map(Number),
  ];
  if (new Set(answers.map(counts)).size !== 1)
    throw new Error(`the three forms disagree: ${answers.map(counts).join(' | ')}`);

  const figures: Record<string, number> = {
    select_1_ms: await median(() => server.sql('SELECT 1')),
    empty_read_ms: await median(() => server.sql(empty)),
    empty_union_10_ms: await median(() => server.sql(emptyUnion)),
    cards_10_sequential_ms: await median(async () => {
      for (const query of cards) await server.sql(compile([query]));
    }),
    cards_10_union_ms: await median(() => server.sql(compile(cards))),
    nearby_10_union_ms: await median(() => server.sql(separate)),
    nearby_10_shared_scan_ms: await median(() => server.sql(shared)),
    nearby_10_if_ms: await median(() => server.sql(conditional)),
  };
  const perBranch = (figures.empty_union_10_ms! - figures.empty_read_ms!) / 9;
  printTable(`statement forms on ClickHouse ${version} (chdb, in-process), median of ${FORM_ROUNDS}`, [
    ['SELECT 1, ms', figures.select_1_ms!],
    ['MergeTree read selecting no granule, ms', figures.empty_read_ms!],
    ['10 such reads as one UNION ALL, ms', figures.empty_union_10_ms!],
    ['  → cost of one more UNION ALL branch, ms', round(perBranch, 2)],
    ['10 card queries, 10 statements one after another, ms', figures.cards_10_sequential_ms!],
    ['10 card queries, one UNION ALL statement, ms', figures.cards_10_union_ms!],
    ['10 nearby windows of one rule: UNION ALL of 10 reads, ms', figures.nearby_10_union_ms!],
    ['10 nearby windows of one rule: arrayJoin shared scan, ms', figures.nearby_10_shared_scan_ms!],
    ['10 nearby windows of one rule: -If aggregates over one read, ms', figures.nearby_10_if_ms!],
  ]);
  return Object.fromEntries(
    Object.entries({ ...figures, union_branch_ms: round(perBranch, 2) }).map(([name, value]) => [
      `forms.chdb.${name}`,
      value,
    ]),
  );
}

/** An alert tick's metric queries: one at a time against one batch through the bulk runner. */
async function measureAlertTick(store: Store, version: string): Promise<Figures> {
  const backend = store.backend;
  const base = demoQueries(store, Date.now());
  const ticks = [0, 1, 2].map((tick) =>
    distinctWindows(base, ALERT_RULES).map((query) => ({
      ...query,
      start: query.start - tick * 60_000,
      end: query.end - tick * 60_000,
    })),
  );
  const runner = createBulkRunner({ backend, cacheMs: 0, timeoutMs: 60_000, maxWaiting: ALERT_RULES * 2 });
  // Warm-up on the first tick's windows, then each path on a tick of its own (no value is answered twice).
  await runner.run(ticks[0]!);
  let started = performance.now();
  for (const query of ticks[1]!) await backend.runMetrics([query], AbortSignal.timeout(60_000));
  const sequential = performance.now() - started;
  started = performance.now();
  const results = await runner.run(ticks[2]!);
  const bulk = performance.now() - started;
  const failed = results.filter((result) => !result.ok).length;
  const ratio = sequential / bulk;
  printTable(
    `alert tick on ClickHouse ${version} (chdb): ${ALERT_RULES.toLocaleString('en-US')} distinct rule windows`,
    [
      ['one query at a time, s', round(sequential / 1000, 2)],
      ['bulk runner (64 per statement, 2 at a time), s', round(bulk / 1000, 2)],
      ['ratio sequential / bulk', round(ratio, 2)],
      ['failed', failed],
    ],
  );
  return {
    'alerting.chdb.bulk_over_sequential': round(ratio, 2),
    'alerting.chdb.tick_ms_1k': round(bulk, 1),
    ...(failed > 0 && { 'alerting.chdb.failed': failed }),
  };
}
