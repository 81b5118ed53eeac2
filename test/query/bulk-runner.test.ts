// The bulk runner over a real DuckDB backend, wrapped to observe (or break) what reaches it.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { BackendBusy, type QueryBackend } from '../../src/query/backend.ts';
import { createDuckDbBackend } from '../../src/store/duckdb/backend.ts';
import { createBulkRunner } from '../../src/query/bulk-runner.ts';
import { createMetrics } from '../../src/metrics.ts';
import type { AnswerOf, MetricQuery, MetricResult, Query } from '../../src/query/model.ts';
import { type Database, openDatabase } from '../../src/store/duckdb/database.ts';

let database: Database;
let backend: QueryBackend;

beforeAll(async () => {
  const opened = await openDatabase(':memory:');
  if (!opened.ok) throw new Error(opened.reason);
  database = opened.database;
  backend = createDuckDbBackend(database);
  await backend.writeEvents(
    Array.from({ length: 100 }, (_, i) => ({
      id: `e${i}`,
      timestamp: i * 1000,
      projectId: 1 + (i % 2),
      eventType: 'error' as const,
      environment: 'production',
      level: 'error',
      message: `m${i}`,
      user: `u${i % 7}`,
      release: null,
      transaction: null,
      duration: null,
      status: null,
      tags: {},
    })),
  );
});
afterAll(() => database.close());

const query = (end: number, environment: string | null = 'production'): MetricQuery => ({
  dataset: 'events',
  aggregate: { fn: 'count' },
  filter: null,
  projectIds: [1, 2],
  environment,
  start: 0,
  end,
});

type Observed = QueryBackend & { batches: number[]; maxConcurrent: number };

/** Records batch sizes and concurrency; `poison` environments fail their whole batch; `delayMs` slows it. */
function observed(options: { delayMs?: number } = {}): Observed {
  let running = 0;
  const wrapper: Observed = {
    ...backend,
    batches: [],
    maxConcurrent: 0,
    async runMetrics(queries, signal) {
      wrapper.batches.push(queries.length);
      running++;
      wrapper.maxConcurrent = Math.max(wrapper.maxConcurrent, running);
      try {
        if (options.delayMs) await new Promise((resolve) => setTimeout(resolve, options.delayMs));
        if (queries.some((q) => q.environment === 'poison')) throw new Error('poisoned batch');
        return await backend.runMetrics(queries, signal);
      } finally {
        running--;
      }
    },
  };
  return wrapper;
}

type Gated = QueryBackend & { calls: number[]; aborted: boolean; release(): void };

/** Holds every batch until `release()`; then answers each query with its window's end in seconds. */
function gated(): Gated {
  let open!: () => void;
  const released = new Promise<void>((resolve) => {
    open = resolve;
  });
  const wrapper: Gated = {
    ...backend,
    calls: [],
    aborted: false,
    release: () => open(),
    async runMetrics<Q extends Query>(queries: readonly Q[], signal: AbortSignal): Promise<AnswerOf<Q>[]> {
      wrapper.calls.push(queries.length);
      signal.addEventListener('abort', () => {
        wrapper.aborted = true;
      });
      await released;
      return queries.map((q) => q.end / 1000) as AnswerOf<Q>[];
    },
  };
  return wrapper;
}

/**
 * Waits on real I/O turns (setImmediate is not faked) until `done()`: unlike vi.waitFor, it never moves the
 * fake clock, so a test can say exactly how much time has passed.
 */
async function until(done: () => boolean): Promise<void> {
  for (let turn = 0; turn < 10_000 && !done(); turn++) await new Promise((resolve) => setImmediate(resolve));
  if (!done()) throw new Error('condition not reached');
}

describe('bulk runner', () => {
  it('coalesces calls made in the same tick into one batch and runs duplicates once', async () => {
    const probe = observed();
    const runner = createBulkRunner({ backend: probe, cacheMs: 0 });
    const results = await Promise.all([
      runner.load(query(10_000)),
      runner.load(query(20_000)),
      runner.load(query(10_000)),
    ]);
    expect(probe.batches).toEqual([2]);
    expect(results).toEqual([
      { ok: true, value: 10 },
      { ok: true, value: 20 },
      { ok: true, value: 10 },
    ]);
  });

  it('splits large batches and bounds how many run at once', async () => {
    const probe = observed({ delayMs: 20 });
    const runner = createBulkRunner({ backend: probe, cacheMs: 0, maxBatch: 4, concurrency: 2 });
    const results = await runner.run(Array.from({ length: 10 }, (_, i) => query((i + 1) * 1000)));
    expect(probe.batches).toEqual([4, 4, 2]);
    expect(probe.maxConcurrent).toBe(2);
    expect(results.map((r) => (r.ok ? r.value : null))).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  });

  it('isolates a failing query: its neighbours still answer', async () => {
    const probe = observed();
    const runner = createBulkRunner({ backend: probe, cacheMs: 0 });
    const results = await runner.run([query(5_000), query(5_000, 'poison'), query(7_000)]);
    expect(results[0]).toEqual({ ok: true, value: 5 });
    expect(results[1]).toMatchObject({ ok: false, reason: 'backend', detail: 'poisoned batch' });
    expect(results[2]).toEqual({ ok: true, value: 7 });
  });

  it('serves repeated queries from its cache until the TTL passes', async () => {
    let now = 1_000;
    const probe = observed();
    const runner = createBulkRunner({ backend: probe, cacheMs: 5_000, now: () => now });
    await runner.load(query(4_000));
    await runner.load(query(4_000));
    expect(probe.batches).toEqual([1]);
    now += 5_001;
    await runner.load(query(4_000));
    expect(probe.batches).toEqual([1, 1]);
  });

  it('does not cache failures', async () => {
    const probe = observed();
    const runner = createBulkRunner({ backend: probe, cacheMs: 60_000 });
    await runner.load(query(1_000, 'poison'));
    await runner.load(query(1_000, 'poison'));
    expect(probe.batches).toEqual([1, 1]);
  });

  it('answers "overloaded" for exactly the queries beyond the waiting room, the latest first', async () => {
    const gate = gated();
    const runner = createBulkRunner({
      backend: gate,
      cacheMs: 0,
      maxBatch: 1,
      concurrency: 1,
      maxWaiting: 2,
    });
    // One tick, six queries: two are admitted (one starts at once, one waits), four are turned away.
    const first = Array.from({ length: 6 }, (_, i) => runner.load(query((i + 1) * 1000)));
    const early = await Promise.all(first.slice(2));
    expect(early).toEqual(Array(4).fill({ ok: false, reason: 'overloaded' }));
    await until(() => gate.calls.length === 1);
    // Next tick: one query still waits, so only one of three newcomers fits.
    const second = Array.from({ length: 3 }, (_, i) => runner.load(query((i + 11) * 1000)));
    expect(await Promise.all(second.slice(1))).toEqual(Array(2).fill({ ok: false, reason: 'overloaded' }));
    gate.release();
    expect(await Promise.all([...first.slice(0, 2), second[0]])).toEqual([
      { ok: true, value: 1 },
      { ok: true, value: 2 },
      { ok: true, value: 11 },
    ]);
    expect(gate.calls).toEqual([1, 1, 1]);
  });

  it('counts a refused query as "overloaded" in the metrics', async () => {
    const metrics = createMetrics();
    const runner = createBulkRunner({ backend: gated(), metrics, cacheMs: 0, concurrency: 1, maxWaiting: 1 });
    const results = runner.run([query(1_000), query(2_000), query(3_000)]);
    void results;
    await vi.waitFor(async () =>
      expect(await metrics.registry.getSingleMetricAsString('incident_cards_metric_queries_total')).toMatch(
        /outcome="overloaded"} 2/,
      ),
    );
  });

  it('isolates a failed batch inside the concurrency bound', async () => {
    const probe = observed({ delayMs: 5 });
    const runner = createBulkRunner({ backend: probe, cacheMs: 0, maxBatch: 64, concurrency: 2 });
    const queries = Array.from({ length: 40 }, (_, i) =>
      query((i + 1) * 1000, i === 7 ? 'poison' : 'production'),
    );
    const results = await runner.run(queries);
    expect(probe.maxConcurrent).toBeLessThanOrEqual(2);
    expect(results.filter((r) => r.ok)).toHaveLength(39);
    expect(results[7]).toMatchObject({ ok: false, reason: 'backend' });
  });

  it.each([
    [true, [['production'], ['staging']]],
    [
      false,
      [
        ['production', 'staging'],
        ['production', 'staging'],
      ],
    ],
  ] as const)(
    'with batchesByScan %s, batches of a tick hold whole scans or arrival order',
    async (byScan, expected) => {
      const environments: string[][] = [];
      const recording: QueryBackend = {
        ...backend,
        batchesByScan: byScan,
        runMetrics(queries, signal) {
          environments.push([...new Set(queries.map((q) => q.environment ?? ''))]);
          return backend.runMetrics(queries, signal);
        },
      };
      const runner = createBulkRunner({ backend: recording, cacheMs: 0, maxBatch: 4, concurrency: 1 });
      // Two scans (environments), interleaved as a tick's rules arrive.
      const queries = [1_000, 2_000, 3_000, 4_000].flatMap((end) => [query(end), query(end, 'staging')]);
      const results = await runner.run(queries);
      expect(environments).toEqual(expected);
      // Answers still come back in the caller's order.
      const alone = await createBulkRunner({ backend, cacheMs: 0 }).run(queries);
      expect(results).toEqual(alone);
      expect(results.map((r) => (r.ok ? r.value : r.reason))).toEqual([1, 0, 2, 0, 3, 0, 4, 0]);
    },
  );

  it('answers "overloaded" when the backend refuses work as busy', async () => {
    const busy: QueryBackend = {
      ...backend,
      runMetrics: async () => {
        throw new BackendBusy('too many waiting');
      },
    };
    const runner = createBulkRunner({ backend: busy, cacheMs: 0 });
    expect(await runner.load(query(1_000))).toMatchObject({ ok: false, reason: 'overloaded' });
  });
});

describe('bulk runner deadlines (fake clock)', () => {
  beforeEach(() => {
    // Only the clock the runner waits on is faked; setImmediate (its tick batching) and I/O stay real.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('gives a batch that does not answer within timeoutMs a timeout result, not a moment earlier', async () => {
    const gate = gated();
    const runner = createBulkRunner({ backend: gate, cacheMs: 0, timeoutMs: 1_500 });
    let settled: MetricResult | undefined;
    const pending = runner.load(query(3_000)).then((result) => {
      settled = result;
      return result;
    });
    await until(() => gate.calls.length === 1);
    await vi.advanceTimersByTimeAsync(1_499);
    expect(settled).toBeUndefined();
    await vi.advanceTimersByTimeAsync(1);
    expect(await pending).toMatchObject({ ok: false, reason: 'timeout' });
    expect(gate.aborted).toBe(true);
  });

  it('defaults to a 1.5 s batch timeout', async () => {
    const gate = gated();
    const runner = createBulkRunner({ backend: gate, cacheMs: 0 });
    let settled: MetricResult | undefined;
    void runner.load(query(3_000)).then((result) => {
      settled = result;
    });
    await until(() => gate.calls.length === 1);
    await vi.advanceTimersByTimeAsync(1_499);
    expect(settled).toBeUndefined();
    await vi.advanceTimersByTimeAsync(1);
    await until(() => settled !== undefined);
    expect(settled).toMatchObject({ ok: false, reason: 'timeout' });
  });

  it('answers the next call normally after a timeout', async () => {
    const gate = gated();
    const runner = createBulkRunner({ backend: gate, cacheMs: 0, timeoutMs: 50 });
    const slow = runner.load(query(3_000));
    await until(() => gate.calls.length === 1);
    await vi.advanceTimersByTimeAsync(50);
    expect(await slow).toMatchObject({ ok: false, reason: 'timeout' });
    gate.release();
    expect(await runner.load(query(4_000))).toEqual({ ok: true, value: 4 });
  });

  it('stops waiting when the caller’s deadline passes; the query still completes for others', async () => {
    const gate = gated();
    const runner = createBulkRunner({ backend: gate, cacheMs: 60_000, timeoutMs: 5_000 });
    const caller = new AbortController();
    const impatient = runner.load(query(2_000), caller.signal);
    const patient = runner.load(query(2_000));
    await until(() => gate.calls.length === 1);
    caller.abort();
    expect(await impatient).toMatchObject({ ok: false, reason: 'timeout' });
    gate.release();
    expect(await patient).toEqual({ ok: true, value: 2 });
  });

  it('answers at once when the caller’s deadline has already passed', async () => {
    const runner = createBulkRunner({ backend: gated(), cacheMs: 0 });
    expect(await runner.load(query(2_000), AbortSignal.abort())).toMatchObject({
      ok: false,
      reason: 'timeout',
    });
  });
});

describe('DuckDB connection pool', () => {
  it('refuses at once when too many statements wait, and drops work abandoned while waiting', async () => {
    const opened = await openDatabase(':memory:', { connections: 1, maxWaiting: 1 });
    if (!opened.ok) throw new Error(opened.reason);
    const pool = opened.database;
    let release!: () => void;
    const holding = pool.withConnection(() => new Promise<void>((resolve) => (release = resolve)));
    const controller = new AbortController();
    let ran = false;
    const abandoned = pool.withConnection(async () => {
      ran = true;
    }, controller.signal);
    await expect(pool.withConnection(async () => 1)).rejects.toBeInstanceOf(BackendBusy);
    controller.abort(new Error('deadline passed'));
    await expect(abandoned).rejects.toThrow('deadline passed');
    // The abandoned statement left the queue: the next one may wait again.
    const next = pool.withConnection(async () => 'next');
    release();
    await holding;
    expect(await next).toBe('next');
    expect(ran).toBe(false);
    pool.close();
  });

  it('a DuckDB batch abandoned before it got a connection never runs', async () => {
    const signal = AbortSignal.abort(new Error('no longer wanted'));
    await expect(backend.runMetrics([query(1_000)], signal)).rejects.toThrow('no longer wanted');
  });
});
