// The intervals of a chart series that are over, kept: a series reads 200 rule windows of events, but from one
// minute to the next (a refresh, the image request after the card, another card of the same rule) only its newest
// interval can change, and a closed incident's series not at all. Each series (its question and interval) keeps
// the values of its finished intervals; a request asks the backend — through the bulk runner, in the caller's
// batch — only for the intervals it does not hold.
import type { BulkRunner } from '../query/bulk-runner.ts';
import {
  type MetricValue,
  type SeriesQuery,
  type SeriesResult,
  type SeriesValues,
  seriesLength,
} from '../query/model.ts';
import { queryKey } from '../query/query-key.ts';

export type SeriesLoader = {
  /** Like the runner's load: asks in the current tick (so it joins the caller's batch), never rejects. */
  load(query: SeriesQuery, signal?: AbortSignal): Promise<SeriesResult>;
};

export type SeriesCacheOptions = {
  runner: BulkRunner;
  now?: () => number;
  /**
   * An interval is kept once it ended this long ago: events reach the store a little after they happen (SDK
   * batching, the ingestion queue), so a just-finished interval may still grow.
   */
  settleMs?: number;
  /** A series is read afresh after this long, so events that arrived very late still show up eventually. */
  maxAgeMs?: number;
  /** How many series are kept (about 200 numbers each); the least recently asked go first. */
  maxSeries?: number;
};

type Kept = { since: number; values: Map<number, MetricValue> };

/** More separate gaps than this and one read of the span between them is cheaper than a statement per gap. */
const MAX_GAPS = 2;

export function createSeriesCache(options: SeriesCacheOptions): SeriesLoader {
  const now = options.now ?? Date.now;
  const settleMs = options.settleMs ?? 5 * 60_000;
  const maxAgeMs = options.maxAgeMs ?? 3_600_000;
  const maxSeries = options.maxSeries ?? 2_000;
  const kept = new Map<string, Kept>();

  function keptFor(key: string, at: number): Kept {
    let entry = kept.get(key);
    if (entry && at - entry.since > maxAgeMs) entry = undefined;
    if (entry) kept.delete(key);
    entry ??= { since: at, values: new Map() };
    // Map order is insertion order: re-inserting marks the series as recently asked.
    kept.set(key, entry);
    if (kept.size > maxSeries) kept.delete(kept.keys().next().value as string);
    return entry;
  }

  return {
    load(query, signal) {
      // Off the grid (series.ts puts chart ranges on it), an interval would not mean the same rows next time.
      if (query.start % query.intervalMs !== 0) return options.runner.load(query, signal);
      const at = now();
      const entry = keptFor(seriesKey(query), at);
      const count = seriesLength(query);
      const intervalStart = (k: number) => query.start + k * query.intervalMs;
      const missing = gaps(count, (k) => entry.values.has(intervalStart(k)));
      const asked = missing.map(([from, to]) => {
        const part: SeriesQuery = {
          ...query,
          start: intervalStart(from),
          end: Math.min(intervalStart(to), query.end),
        };
        return options.runner.load(part, signal).then((result) => ({ from, result }));
      });
      return Promise.all(asked).then((answers): SeriesResult => {
        const values: SeriesValues = Array.from(
          { length: count },
          (_, k) => entry.values.get(intervalStart(k)) ?? null,
        );
        for (const { from, result } of answers) {
          if (!result.ok) return result;
          result.value.forEach((value, offset) => {
            values[from + offset] = value;
          });
        }
        const settled = at - settleMs;
        for (const { from, result } of answers) {
          if (!result.ok) continue;
          result.value.forEach((value, offset) => {
            const start = intervalStart(from + offset);
            // Only whole intervals (the last one may be cut at the range's end) that are over are kept.
            if (start + query.intervalMs <= Math.min(query.end, settled)) entry.values.set(start, value);
          });
        }
        return { ok: true, value: values };
      });
    },
  };
}

/** A series' identity without its range: the question and the interval grid. */
function seriesKey(query: SeriesQuery): string {
  return queryKey({ ...query, start: 0, end: 0 });
}

/**
 * The runs of intervals not held, as `[from, to)` index ranges; when there are more than MAX_GAPS, one run from
 * the first missing interval to the last.
 */
function gaps(count: number, held: (k: number) => boolean): [number, number][] {
  const runs: [number, number][] = [];
  for (let k = 0; k < count; k++) {
    if (held(k)) continue;
    const last = runs.at(-1);
    if (last && last[1] === k) last[1] = k + 1;
    else runs.push([k, k + 1]);
  }
  if (runs.length <= MAX_GAPS) return runs;
  return [[runs[0]![0], runs.at(-1)![1]]];
}
