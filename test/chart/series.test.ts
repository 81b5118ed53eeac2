// The chart series against buckets computed by hand, on DuckDB and on the local ClickHouse (one server and the
// two-shard cluster): counts (empty intervals 0), a percentile and the crash-free rate (empty intervals are
// gaps), each asked through the bulk runner in the same batch as a metric value.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClickHouseBackend } from '../../src/query/backends/clickhouse.ts';
import type { QueryBackend } from '../../src/query/backend.ts';
import type { Aggregate, MetricQuery, Query, SeriesQuery } from '../../src/query/model.ts';
import {
  CLICKHOUSE_URL,
  CLICKHOUSE_URL_2,
  CLUSTER,
  describeWithClickHouse,
  sql,
  uniqueDatabase,
} from '../fixtures/clickhouse/servers.ts';
import { createTestApp, type TestApp } from '../support/test-app.ts';

const START = Date.parse('2026-11-20T10:00:00Z');
const MINUTE = 60_000;
const at = (minute: number, seconds = 0, ms = 0) =>
  new Date(START + minute * MINUTE + seconds * 1000 + ms).toISOString();

const error = (timestamp: string, environment = 'production') => ({
  timestamp,
  projectId: 11,
  environment,
  level: 'error',
  message: 'TypeError: x is undefined',
});
const transaction = (timestamp: string, duration: number) => ({
  timestamp,
  projectId: 11,
  environment: 'production',
  transaction: '/checkout/pay',
  duration,
  status: 'ok',
});
const session = (timestamp: string, status: string, quantity: number) => ({
  timestamp,
  projectId: 11,
  environment: 'production',
  release: 'checkout@1.0.0',
  user: `u-${quantity}-${status}`,
  status,
  quantity,
});

const DATASET = {
  version: 1,
  organizations: [{ id: 'acme', name: 'Acme' }],
  projects: [
    { id: 11, organizationId: 'acme', slug: 'checkout-api' },
    { id: 12, organizationId: 'acme', slug: 'other' },
  ],
  events: [
    // Interval 0 holds three (its first and last millisecond included), 1 one, 2 none, 3 one (the staging
    // event and project 12's do not match), 4 one; the event at the end belongs to the next interval.
    error(at(0)),
    error(at(0, 30)),
    error(at(0, 59, 999)),
    error(at(1)),
    error(at(3, 10)),
    error(at(3, 20), 'staging'),
    { ...error(at(3, 30)), projectId: 12 },
    error(at(4, 59)),
    error(at(5)),
    ...[100, 200, 300, 400].map((duration, i) => transaction(at(0, i * 10), duration)),
    transaction(at(1, 5), 10),
    transaction(at(3, 1), 1),
    transaction(at(3, 2), 2),
  ],
  sessions: [
    session(at(0, 1), 'ok', 3),
    session(at(0, 2), 'crashed', 1),
    session(at(2, 1), 'ok', 10),
    session(at(3, 1), 'crashed', 2),
    session(at(4, 1), 'errored', 4),
  ],
};

const series = (dataset: SeriesQuery['dataset'], aggregate: Aggregate): SeriesQuery => ({
  kind: 'series',
  dataset,
  aggregate,
  filter: null,
  projectIds: [11],
  environment: 'production',
  start: START,
  end: START + 5 * MINUTE,
  intervalMs: MINUTE,
});

/** By hand: counts [3, 1, 0, 1, 1]; p50 of {100..400} = 250, {10}, —, {1, 2} = 1.5, —; crash free 75, —, 100, 0, 100. */
const CASES: [string, SeriesQuery, (number | null)[]][] = [
  ['count() — empty intervals are 0', series('events', { fn: 'count' }), [3, 1, 0, 1, 1]],
  [
    'p50(transaction.duration) — empty intervals are gaps',
    series('transactions', { fn: 'percentile', field: 'duration', p: 0.5 }),
    [250, 10, null, 1.5, null],
  ],
  [
    'crash free sessions — empty intervals are gaps',
    series('sessions', { fn: 'crash_free_rate', of: 'sessions' }),
    [75, null, 100, 0, 100],
  ],
];

const VALUE: MetricQuery = { ...series('events', { fn: 'count' }), kind: 'value' };

function countingBatches(calls: Query[][]) {
  return (backend: QueryBackend): QueryBackend => ({
    ...backend,
    runMetrics(queries, signal) {
      calls.push([...queries]);
      return backend.runMetrics(queries, signal);
    },
  });
}

function seriesSuite(open: (wrap: (backend: QueryBackend) => QueryBackend) => Promise<TestApp>) {
  const calls: Query[][] = [];
  let test: TestApp;
  beforeAll(async () => {
    test = await open(countingBatches(calls));
  });
  afterAll(() => test?.close());

  it.each(CASES)('%s', async (_name, query, expected) => {
    const result = await test.app.runner.load(query);
    expect(result).toEqual({ ok: true, value: expected });
  });

  it('asks every series and the metric values of a card in one backend batch', async () => {
    calls.length = 0;
    const results = await Promise.all([
      test.app.runner.load(VALUE),
      ...CASES.map(([, query]) => test.app.runner.load({ ...query, end: query.end - MINUTE })),
    ]);
    expect(calls).toHaveLength(1);
    expect(calls[0]).toHaveLength(4);
    expect(results.map((result) => result.ok && result.value)).toEqual([
      6,
      ...CASES.map(([, , expected]) => expected.slice(0, 4)),
    ]);
  });

  it('keeps a series apart from the metric value of the same question', async () => {
    const asSeries: SeriesQuery = { ...VALUE, kind: 'series', intervalMs: MINUTE };
    const [value, values] = await Promise.all([test.app.runner.load(VALUE), test.app.runner.load(asSeries)]);
    expect(value).toEqual({ ok: true, value: 6 });
    expect(values).toEqual({ ok: true, value: [3, 1, 0, 1, 1] });
  });

  it('cuts the last interval at the end of the range', async () => {
    const query = { ...series('events', { fn: 'count' }), end: START + 4 * MINUTE + 30_000 };
    expect(await test.app.runner.load(query)).toEqual({ ok: true, value: [3, 1, 0, 1, 0] });
  });
}

describe('chart series on DuckDB', () => {
  seriesSuite((wrapBackend) => createTestApp({ dataset: DATASET, wrapBackend }));
});

const DATABASES = { single: uniqueDatabase('series_single'), cluster: uniqueDatabase('series_cluster') };

await describeWithClickHouse('chart series on ClickHouse', [CLICKHOUSE_URL, CLICKHOUSE_URL_2], () => {
  afterAll(async () => {
    for (const database of Object.values(DATABASES)) {
      for (const url of [CLICKHOUSE_URL, CLICKHOUSE_URL_2]) {
        await sql(url, `DROP DATABASE IF EXISTS ${database}`).catch(() => undefined);
      }
    }
  });
  for (const [name, database, cluster] of [
    ['one server', DATABASES.single, undefined],
    ['two-shard cluster', DATABASES.cluster, CLUSTER],
  ] as const) {
    describe(name, () => {
      seriesSuite((wrapBackend) =>
        createTestApp({
          dataset: DATASET,
          wrapBackend,
          backend: () =>
            createClickHouseBackend({ url: CLICKHOUSE_URL, database, cluster, timeoutMs: 10_000 }),
        }),
      );
    });
  }
});
