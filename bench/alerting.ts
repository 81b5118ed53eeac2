// `npm run bench -- alerting`: one evaluation tick of 1,000 and 10,000 enabled rules (distinct queries and windows,
// a realistic spread of projects and aggregates) on the demo store, DuckDB and — when the local servers answer —
// ClickHouse (events sharded over the two local servers, cluster incident_cards_test); the same queries one at a
// time (as Sentry's one-query-per-subscription does) against the bulk batch; and RSS over 100 ticks.
// ALERTING_EVENTS (default 10,000,000), ALERTING_BACKENDS=duckdb,clickhouse, ALERTING_MEMORY_TICKS=100 and
// ALERTING_CLICKHOUSE_CLUSTER (default incident_cards_test; empty for one server) tune it. The bench rules are
// removed again afterwards.
import { createAlertEvaluator } from '../src/alerting/alert-evaluator.ts';
import { ruleQueries } from '../src/alerting/rule-queries.ts';
import { ORGS } from '../demo/catalog.ts';
import type { MetricQuery } from '../src/query/model.ts';
import { createBulkRunner } from '../src/query/bulk-runner.ts';
import { AlertRule } from '../src/domain.ts';
import { importDataset } from '../src/store/import/import.ts';
import type { Store } from '../src/store/store.ts';
import { openDemoApp } from './demo-store.ts';
import { type Figures, printTable, round } from './results.ts';
import { clickHouseAnswers, openClickHouseDemo } from './unfurl.ts';

const EVENTS = Number(process.env.ALERTING_EVENTS ?? 10_000_000);
const BACKENDS = (process.env.ALERTING_BACKENDS ?? 'duckdb,clickhouse').split(',');
const MEMORY_TICKS = Number(process.env.ALERTING_MEMORY_TICKS ?? 100);
const CLUSTER = process.env.ALERTING_CLICKHOUSE_CLUSTER ?? 'incident_cards_test';
const FIRST_RULE_ID = 5_000_000;
const MINUTE = 60_000;

type Opened = {
  app: Parameters<typeof createAlertEvaluator>[0] & { close(): Promise<void> };
  store: Store;
  close(): Promise<void>;
};

export async function run(): Promise<Figures> {
  const figures: Figures = {};
  for (const backend of ['duckdb', 'clickhouse'] as const) {
    if (!BACKENDS.includes(backend)) continue;
    if (backend === 'clickhouse' && !(await clickHouseAnswers())) {
      console.log('alerting: no ClickHouse answers on the local servers; skipping it');
      continue;
    }
    const opened: Opened =
      backend === 'duckdb'
        ? await openDemoApp(EVENTS)
        : await openClickHouseDemo(EVENTS, CLUSTER || undefined);
    try {
      Object.assign(figures, await measure(backend, opened));
    } finally {
      await removeBenchRules(opened.store);
      await opened.close();
    }
  }
  return figures;
}

async function measure(backend: string, { app, store }: Opened): Promise<Figures> {
  const end = await newestEvent(store);
  const rules = benchRules(10_000);
  await removeBenchRules(store);
  const evaluator = createAlertEvaluator(app, store.database, MINUTE);
  let tick = Math.floor(end / MINUTE) * MINUTE - 2 * 60 * MINUTE;
  const tickMs = async (count: number) => {
    await setRules(store, rules.slice(0, count));
    const times: number[] = [];
    for (let i = 0; i < 3; i++) {
      tick += MINUTE;
      const started = performance.now();
      const report = await evaluator.evaluate(tick);
      times.push(performance.now() - started);
      const r = report.reports[0]!;
      if (r.failed > 0)
        console.warn(`alerting: ${r.failed} of ${r.evaluated + r.skipped + r.failed} evaluations failed`);
    }
    return times.sort((a, b) => a - b)[1]!;
  };
  const ms1k = await tickMs(1_000);
  const ms10k = await tickMs(10_000);

  // Queries only, same 1,000 rules: one at a time versus the bulk runner's batches.
  tick += MINUTE;
  const queries = rules.slice(0, 1_000).flatMap((rule) => {
    const built = ruleQueries(rule, rule.projects[0]!, tick);
    return built.ok ? [built.current] : [];
  });
  const sequential = await timed(async () => {
    for (const query of queries) await store.backend.runMetrics([query], AbortSignal.timeout(60_000));
  });
  const runner = createBulkRunner({
    backend: store.backend,
    cacheMs: 0,
    maxBatch: 256,
    maxWaiting: 1e7,
    timeoutMs: 60_000,
  });
  const bulk = await timed(() => runner.run(shift(queries, MINUTE)));

  // Memory across ticks of the 1,000 rules.
  await setRules(store, rules.slice(0, 1_000));
  const rss: number[] = [];
  for (let i = 0; i < MEMORY_TICKS; i++) {
    tick += MINUTE;
    await evaluator.evaluate(tick);
    if (i === 0 || i === MEMORY_TICKS - 1) rss.push(process.memoryUsage().rss / 1e6);
  }
  const ratio = sequential / bulk;
  printTable(`alerting on ${backend}, ${EVENTS.toLocaleString('en-US')} events`, [
    ['one tick, 1,000 rules (median of 3): ms', round(ms1k, 0)],
    ['one tick, 10,000 rules (median of 3): ms', round(ms10k, 0)],
    ["1,000 rules' queries one at a time: ms", round(sequential, 0)],
    ['the same through the bulk runner: ms', round(bulk, 0)],
    ['sequential / bulk', round(ratio, 2)],
    [
      `RSS first / last of ${MEMORY_TICKS} ticks (1,000 rules): MB`,
      `${round(rss[0]!, 0)} / ${round(rss.at(-1)!, 0)}`,
    ],
  ]);
  return {
    [`alerting.${backend}.tick_ms_1k`]: round(ms1k, 0),
    [`alerting.${backend}.tick_ms_10k`]: round(ms10k, 0),
    [`alerting.${backend}.bulk_over_sequential`]: round(ratio, 2),
    [`alerting.${backend}.rss_mb_first`]: round(rss[0]!, 0),
    [`alerting.${backend}.rss_mb_last`]: round(rss.at(-1)!, 0),
  };
}

async function timed(work: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await work();
  return performance.now() - started;
}

function shift(queries: MetricQuery[], ms: number): MetricQuery[] {
  return queries.map((q) => ({ ...q, start: q.start + ms, end: q.end + ms }));
}

/** The end of the demo's data (it was generated up to the hour it was built). */
async function newestEvent(store: Store): Promise<number> {
  const newest = Math.floor(Date.now() / 3_600_000) * 3_600_000;
  for (let back = 0; back < 24 * 20; back++) {
    const end = newest - back * 3_600_000;
    const [count] = await store.backend.runMetrics(
      [
        {
          dataset: 'events',
          aggregate: { fn: 'count' },
          filter: null,
          projectIds: [11],
          environment: null,
          start: end - 3_600_000,
          end,
        },
      ],
      AbortSignal.timeout(60_000),
    );
    if ((count ?? 0) > 0) return end;
  }
  return newest;
}

const WINDOWS = [60, 300, 600, 900, 1800, 3600, 7200];
const EVENT_QUERIES = [
  '',
  'level:error',
  'level:error !transaction:/health*',
  'release:*1.*',
  'has:user',
  'level:[error,fatal]',
  'environment:production level:warning',
];
const TRANSACTION_QUERIES = [
  '',
  'transaction:/checkout*',
  '!transaction:/health*',
  'transaction.duration:>300',
  'status:internal_error',
];
const AGGREGATES: {
  dataset: 'events' | 'transactions' | 'sessions';
  aggregate: string;
  threshold: number;
  type: 'above' | 'below';
}[] = [
  { dataset: 'events', aggregate: 'count()', threshold: 5_000, type: 'above' },
  { dataset: 'events', aggregate: 'count()', threshold: 2_000, type: 'above' },
  { dataset: 'events', aggregate: 'count_unique(user)', threshold: 1_000, type: 'above' },
  { dataset: 'transactions', aggregate: 'p95(transaction.duration)', threshold: 60_000, type: 'above' },
  { dataset: 'transactions', aggregate: 'avg(transaction.duration)', threshold: 30_000, type: 'above' },
  { dataset: 'transactions', aggregate: 'failure_rate()', threshold: 0.99, type: 'above' },
  { dataset: 'transactions', aggregate: 'apdex(300)', threshold: 0.01, type: 'below' },
  {
    dataset: 'sessions',
    aggregate: 'percentage(sessions_crashed, sessions) AS _crash_rate_alert_aggregate',
    threshold: 1,
    type: 'below',
  },
];

/** `count` rules over the demo's projects: every one a distinct (query, window, project) question. */
function benchRules(count: number): AlertRule[] {
  const projects = ORGS.flatMap((org) => org.projects.map((p) => ({ org: org.id, id: p.id })));
  return Array.from({ length: count }, (_, i) => {
    const project = projects[i % projects.length]!;
    const kind = AGGREGATES[Math.floor(i / projects.length) % AGGREGATES.length]!;
    const queries =
      kind.dataset === 'transactions'
        ? TRANSACTION_QUERIES
        : kind.dataset === 'events'
          ? EVENT_QUERIES
          : [''];
    const query = queries[Math.floor(i / (projects.length * AGGREGATES.length)) % queries.length]!;
    // The window varies fastest after the project, so no two rules ask the same question.
    const timeWindow = WINDOWS[i % WINDOWS.length]! + 60 * Math.floor(i / (projects.length * WINDOWS.length));
    const id = FIRST_RULE_ID + i;
    return AlertRule.parse({
      id,
      organizationId: project.org,
      name: `bench rule ${i}`,
      dataset: kind.dataset,
      aggregate: kind.aggregate,
      query,
      environment: i % 3 === 0 ? null : 'production',
      timeWindow: Math.min(timeWindow, 86_400),
      projects: [project.id],
      thresholdType: kind.type,
      triggers: [{ id: id * 10 + 1, label: 'critical', alertThreshold: kind.threshold }],
    });
  });
}

async function setRules(store: Store, rules: AlertRule[]) {
  await removeBenchRules(store);
  const imported = await importDataset(store, { version: 1, alertRules: rules }, 'bench rules');
  if (!imported.ok) throw new Error(`bench rules rejected: ${JSON.stringify(imported.errors.slice(0, 3))}`);
}

async function removeBenchRules(store: Store) {
  await store.database.withConnection(async (c) => {
    await c.run(`DELETE FROM alert_rules WHERE id >= ${FIRST_RULE_ID}`);
    await c.run(`DELETE FROM alert_rule_state WHERE rule_id >= ${FIRST_RULE_ID}`);
    await c.run(`DELETE FROM evaluated_incidents WHERE rule_id >= ${FIRST_RULE_ID}`);
  });
}
