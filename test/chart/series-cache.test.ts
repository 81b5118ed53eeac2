// The series cache against a real DuckDB store: it answers exactly what the backend answers for the whole range,
// while asking the backend only for the intervals it does not hold (the newest, not yet settled ones; a new
// interval when the range moves) — and never keeps a failure, an off-grid series or an unfinished interval.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSeriesCache } from '../../src/chart/series-cache.ts';
import type { QueryBackend } from '../../src/query/backend.ts';
import type { Query, SeriesQuery } from '../../src/query/model.ts';
import { createTestApp, type TestApp } from '../support/test-app.ts';

const MINUTE = 60_000;
const START = Date.parse('2026-11-20T10:00:00Z');

/** One error every 7 minutes for 3 hours, and a transaction of a growing duration every 5 minutes. */
const DATASET = {
  version: 1,
  organizations: [{ id: 'acme', name: 'Acme' }],
  projects: [{ id: 11, organizationId: 'acme', slug: 'checkout-api' }],
  events: [
    ...Array.from({ length: 26 }, (_, i) => ({
      timestamp: new Date(START + i * 7 * MINUTE).toISOString(),
      projectId: 11,
      environment: 'production',
      level: 'error',
      message: `error ${i}`,
    })),
    ...Array.from({ length: 36 }, (_, i) => ({
      timestamp: new Date(START + i * 5 * MINUTE + 1_000).toISOString(),
      projectId: 11,
      environment: 'production',
      transaction: '/checkout',
      duration: 10 * (i + 1),
      status: 'ok',
    })),
  ],
};

const series = (start: number, end: number, overrides: Partial<SeriesQuery> = {}): SeriesQuery => ({
  kind: 'series',
  dataset: 'events',
  aggregate: { fn: 'count' },
  filter: null,
  projectIds: [11],
  environment: 'production',
  start,
  end,
  intervalMs: 10 * MINUTE,
  ...overrides,
});

describe('the series cache', () => {
  const asked: Query[] = [];
  let failNext = false;
  let test: TestApp;
  let clock = START + 3 * 3_600_000;

  beforeAll(async () => {
    test = await createTestApp({
      dataset: DATASET,
      wrapBackend: (backend): QueryBackend => ({
        ...backend,
        runMetrics(queries, signal) {
          asked.push(...queries);
          if (failNext) {
            failNext = false;
            return Promise.reject(new Error('the backend is down'));
          }
          return backend.runMetrics(queries, signal);
        },
      }),
    });
  });
  afterAll(() => test?.close());

  const cache = () => createSeriesCache({ runner: test.app.runner, now: () => clock, settleMs: 5 * MINUTE });
  const direct = async (query: SeriesQuery) => test.app.runner.load(query);
  const ranges = () => asked.map((query) => [(query.start - START) / MINUTE, (query.end - START) / MINUTE]);

  it('asks for the whole range once, then only for the intervals that were not over', async () => {
    clock = START + 3 * 3_600_000 + 2 * MINUTE;
    const loader = cache();
    // 18 intervals up to 3h; the last one (2:50–3:00) ended 2 minutes ago: not settled yet.
    const query = series(START, START + 180 * MINUTE);
    const expected = await direct(query);
    asked.length = 0;
    expect(await loader.load(query)).toEqual(expected);
    expect(ranges()).toEqual([[0, 180]]);
    asked.length = 0;
    expect(await loader.load(query)).toEqual(expected);
    expect(ranges()).toEqual([[170, 180]]);
    clock += 10 * MINUTE;
    asked.length = 0;
    expect(await loader.load(query)).toEqual(expected);
    expect(ranges()).toEqual([[170, 180]]);
    asked.length = 0;
    expect(await loader.load(query)).toEqual(expected);
    expect(ranges()).toEqual([]);
  });

  it('asks only for the new interval when the range moves by one', async () => {
    clock = START + 6 * 3_600_000;
    const loader = cache();
    await loader.load(series(START + 10 * MINUTE, START + 180 * MINUTE));
    const moved = series(START, START + 170 * MINUTE);
    const expected = await direct(moved);
    asked.length = 0;
    expect(await loader.load(moved)).toEqual(expected);
    expect(ranges()).toEqual([[0, 10]]);
    expect(expected.ok && expected.value.slice(0, 4)).toEqual([2, 1, 2, 1]);
  });

  it('keeps series of different questions and intervals apart', async () => {
    clock = START + 6 * 3_600_000;
    const loader = cache();
    const counts = series(START, START + 120 * MINUTE);
    const p50 = series(START, START + 120 * MINUTE, {
      dataset: 'transactions',
      aggregate: { fn: 'percentile', field: 'duration', p: 0.5 },
    });
    const fine = series(START, START + 120 * MINUTE, { intervalMs: 5 * MINUTE });
    for (const query of [counts, p50, fine]) await loader.load(query);
    for (const query of [counts, p50, fine]) expect(await loader.load(query)).toEqual(await direct(query));
  });

  it('asks the runner in the caller tick: the missing intervals of several series go out as one batch', async () => {
    clock = START + 6 * 3_600_000;
    const loader = cache();
    const calls: number[] = [];
    const counting = createSeriesCache({
      runner: {
        ...test.app.runner,
        load: (query, signal) => {
          calls.push(query.start);
          return test.app.runner.load(query, signal);
        },
      },
      now: () => clock,
    });
    asked.length = 0;
    await Promise.all([
      counting.load(series(START, START + 60 * MINUTE)),
      counting.load(series(START, START + 60 * MINUTE, { environment: null })),
      loader.load(
        series(START, START + 60 * MINUTE, {
          filter: { type: 'has', field: { kind: 'column', name: 'message' }, negated: false },
        }),
      ),
    ]);
    expect(calls).toHaveLength(2);
    expect(asked).toHaveLength(3);
  });

  it('does not keep a failure, and a series off the interval grid is passed through untouched', async () => {
    clock = START + 6 * 3_600_000;
    const loader = cache();
    const query = series(START, START + 60 * MINUTE);
    failNext = true;
    expect(await loader.load(query)).toMatchObject({ ok: false });
    asked.length = 0;
    expect(await loader.load(query)).toEqual(await direct(query));
    expect(ranges()[0]).toEqual([0, 60]);
    const offGrid = series(START + MINUTE, START + 61 * MINUTE);
    asked.length = 0;
    await loader.load(offGrid);
    await loader.load(offGrid);
    expect(ranges()).toEqual([
      [1, 61],
      [1, 61],
    ]);
  });

  it('reads a series afresh once it is older than maxAgeMs (events that arrived very late)', async () => {
    clock = START + 6 * 3_600_000;
    const loader = createSeriesCache({ runner: test.app.runner, now: () => clock, maxAgeMs: 30 * MINUTE });
    const query = series(START, START + 60 * MINUTE);
    await loader.load(query);
    asked.length = 0;
    await loader.load(query);
    expect(asked).toHaveLength(0);
    clock += 31 * MINUTE;
    await loader.load(query);
    expect(ranges()).toEqual([[0, 60]]);
  });
});
