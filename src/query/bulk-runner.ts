// Batches metric queries: calls made in the same tick coalesce into one backend batch, duplicates run once,
// batches run with bounded concurrency and a time limit each, and one failing query never fails its neighbours.
import type { Logger } from '../log.ts';
import type { Metrics } from '../metrics.ts';
import { BackendBusy, type QueryBackend } from './backend.ts';
import type {
  Answer,
  AnswerOf,
  MetricFailure,
  MetricQuery,
  MetricResult,
  Query,
  QueryResult,
} from './model.ts';
import { queryKey } from './query-key.ts';
import { scanOrder } from './shared-scans.ts';
import { within } from '../within.ts';
import { compactKey, createBoundedCache } from '../bounded-cache.ts';

/** Answers are a few numbers; keys are hashed when long, so these bound the cache to a few MB. */
const CACHE_ENTRIES = 10_000;
const CACHE_BYTES = 4 * 1024 * 1024;

export type BulkRunnerOptions = {
  backend: QueryBackend;
  /** Most queries in one backend statement. */
  maxBatch?: number;
  /** Most backend statements in flight at once. */
  concurrency?: number;
  /** Time limit of one batch (and so of each query in it). */
  timeoutMs?: number;
  /** How long an answered value is served from memory; 0 disables the cache. */
  cacheMs?: number;
  /** Most queries waiting for a backend slot; beyond it new queries answer `overloaded` at once. */
  maxWaiting?: number;
  metrics?: Metrics;
  logger?: Logger;
  now?: () => number;
};

export type BulkRunner = {
  /** One result per query, in order; never rejects. */
  run(queries: readonly MetricQuery[], signal?: AbortSignal): Promise<MetricResult[]>;
  /**
   * One query (a metric value or a series); concurrent calls in the same tick share a batch, whatever their
   * kind. Never rejects.
   */
  load<Q extends Query>(query: Q, signal?: AbortSignal): Promise<QueryResult<AnswerOf<Q>>>;
  /** How many answers the cache holds (bounded; exported as a gauge). */
  cachedEntries(): number;
};

type Pending = {
  key: string;
  query: Query;
  resolve: (result: QueryResult) => void;
  /** Set when its batch failed as a whole: it runs on its own, to find which query broke the batch. */
  alone?: boolean;
};

export function createBulkRunner(options: BulkRunnerOptions): BulkRunner {
  const { backend, metrics, logger } = options;
  const maxBatch = options.maxBatch ?? 64;
  const concurrency = options.concurrency ?? 2;
  const timeoutMs = options.timeoutMs ?? 1_500;
  const cacheMs = options.cacheMs ?? 5_000;
  const maxWaiting = options.maxWaiting ?? 5_000;
  const now = options.now ?? Date.now;

  const cache = createBoundedCache<QueryResult>({
    maxEntries: CACHE_ENTRIES,
    maxBytes: CACHE_BYTES,
    ttlMs: cacheMs,
    now,
    // A series answer holds one number per interval.
    sizeOf: (result) => (result.ok && Array.isArray(result.value) ? 16 + result.value.length * 8 : 16),
  });
  const inFlight = new Map<string, Promise<QueryResult>>();
  let tickQueue: Pending[] = [];
  /** Queries waiting for a backend slot; a freed slot takes up to maxBatch of them, whatever tick they came in. */
  let waiting: Pending[] = [];
  let running = 0;

  function count(outcome: 'ok' | 'cached' | MetricFailure) {
    metrics?.metricQueries.inc({ outcome });
  }

  function remember(key: string, result: QueryResult) {
    // Failures are not cached: the next card should try again rather than repeat a stale error.
    if (cacheMs <= 0 || !result.ok) return;
    cache.set(key, result);
  }

  function flushTick() {
    const queued = tickQueue;
    tickQueue = [];
    const room = Math.max(0, maxWaiting - waiting.length);
    if (queued.length > room) {
      for (const item of queued.slice(room)) settle(item, { ok: false, reason: 'overloaded' });
      logger?.warn(
        { waiting: waiting.length, dropped: queued.length - room },
        'metric queries rejected: runner overloaded',
      );
    }
    const accepted = queued.slice(0, room);
    waiting.push(
      ...(backend.batchesByScan
        ? scanOrder(accepted.map((item) => item.query)).map((index) => accepted[index]!)
        : accepted),
    );
    pump();
  }

  function pump() {
    while (running < concurrency && waiting.length > 0) {
      // Under load, queries pile up while both slots are busy: the next batch takes all of them (up to
      // maxBatch), so a busy backend gets fewer, larger statements.
      const size = waiting[0]?.alone ? 1 : takeable(waiting);
      const batch = waiting.slice(0, size);
      waiting = waiting.slice(size);
      running++;
      void execute(batch).finally(() => {
        running--;
        pump();
      });
    }
  }

  function settle(item: Pending, result: QueryResult) {
    count(result.ok ? 'ok' : result.reason);
    remember(item.key, result);
    item.resolve(result);
  }

  async function execute(batch: Pending[]) {
    const outcome = await runWithTimeout(batch.map((item) => item.query));
    if (outcome.ok) {
      batch.forEach((item, index) => {
        settle(item, { ok: true, value: outcome.values[index] ?? null });
      });
      return;
    }
    if (outcome.reason !== 'backend' || batch.length === 1) {
      for (const item of batch) settle(item, { ok: false, reason: outcome.reason, detail: outcome.detail });
      return;
    }
    // The batch failed as a whole: its queries run again one by one so only the bad one reports the error. They
    // go to the front of the queue and take the same slots as everything else, so a failing batch of 64 never
    // becomes 64 statements at once.
    logger?.warn(
      { size: batch.length, detail: outcome.detail },
      'metric batch failed; isolating its queries',
    );
    waiting = [...batch.map((item) => ({ ...item, alone: true })), ...waiting];
  }

  /** A normal batch stops before the first query that must run alone. */
  function takeable(queue: Pending[]): number {
    const limit = Math.min(maxBatch, queue.length);
    for (let index = 0; index < limit; index++) if (queue[index]!.alone) return index;
    return limit;
  }

  type BatchOutcome = { ok: true; values: Answer[] } | { ok: false; reason: MetricFailure; detail: string };

  async function runWithTimeout(queries: Query[]): Promise<BatchOutcome> {
    const controller = new AbortController();
    const started = performance.now();
    const work = backend.runMetrics(queries, controller.signal).then(
      (values): BatchOutcome =>
        values.length === queries.length
          ? { ok: true, values }
          : {
              ok: false,
              reason: 'backend',
              detail: `expected ${queries.length} values, got ${values.length}`,
            },
      (error: unknown): BatchOutcome => ({
        ok: false,
        reason: controller.signal.aborted
          ? 'timeout'
          : error instanceof BackendBusy
            ? 'overloaded'
            : 'backend',
        detail: error instanceof Error ? error.message : String(error),
      }),
    );
    const timed = await within(work, timeoutMs);
    if (timed.kind === 'late') controller.abort(new Error(`metric query timed out after ${timeoutMs} ms`));
    const outcome: BatchOutcome =
      timed.kind === 'ready'
        ? timed.value
        : { ok: false, reason: 'timeout', detail: `no answer within ${timeoutMs} ms` };
    metrics?.batchSeconds.observe({ backend: backend.name }, (performance.now() - started) / 1000);
    if (!outcome.ok)
      logger?.warn({ backend: backend.name, size: queries.length, ...outcome }, 'metric batch failed');
    return outcome;
  }

  function load<Q extends Query>(query: Q, signal?: AbortSignal): Promise<QueryResult<AnswerOf<Q>>> {
    return loadAny(query, signal) as Promise<QueryResult<AnswerOf<Q>>>;
  }

  function loadAny(query: Query, signal?: AbortSignal): Promise<QueryResult> {
    const key = compactKey(queryKey(query));
    const hit = cache.get(key);
    if (hit) {
      count('cached');
      return Promise.resolve(hit);
    }
    let shared = inFlight.get(key);
    if (!shared) {
      shared = new Promise<QueryResult>((resolve) => {
        if (tickQueue.length === 0) setImmediate(flushTick);
        tickQueue.push({ key, query, resolve });
      }).finally(() => inFlight.delete(key));
      inFlight.set(key, shared);
    }
    return signal ? raceAbort(shared, signal) : shared;
  }

  return {
    load,
    run: (queries: readonly MetricQuery[], signal?: AbortSignal): Promise<MetricResult[]> =>
      Promise.all(queries.map((query) => load(query, signal))),
    cachedEntries: () => cache.size,
  };
}

/** The caller stops waiting when its deadline passes; the query still completes for everyone else. */
function raceAbort(result: Promise<QueryResult>, signal: AbortSignal): Promise<QueryResult> {
  if (signal.aborted) return Promise.resolve({ ok: false, reason: 'timeout', detail: 'deadline passed' });
  return new Promise((resolve) => {
    const onAbort = () => resolve({ ok: false, reason: 'timeout', detail: 'deadline passed' });
    signal.addEventListener('abort', onAbort, { once: true });
    result.then((value) => {
      signal.removeEventListener('abort', onAbort);
      resolve(value);
    });
  });
}
