// The backend-neutral query model: what a metric query asks, independent of any SQL dialect.
// Search syntax and aggregates compile into it; each backend compiles it into its own SQL.
import type { RuleDataset } from '../domain.ts';

/** Event columns a search may name (docs/dataset-format.md); anything else is a tag. */
export const EVENT_COLUMNS = [
  'environment',
  'level',
  'message',
  'user',
  'release',
  'transaction',
  'duration',
  'status',
  'event.type',
] as const;
export type EventColumn = (typeof EVENT_COLUMNS)[number];

/** Session columns a crash-rate rule may filter on. */
export const SESSION_COLUMNS = ['environment', 'release', 'user', 'status'] as const;

export const NUMERIC_COLUMNS: ReadonlySet<string> = new Set(['duration']);

export type Field = { kind: 'column'; name: EventColumn } | { kind: 'tag'; name: string };

/**
 * A parsed search. `negated` terms also match events that lack the field, as in Sentry:
 * `!transaction:/health*` keeps events without a transaction.
 * A wildcard pattern is the literal parts between `*`s: `*pay*` is ['', 'pay', ''].
 */
export type Filter =
  | { type: 'and'; children: Filter[] }
  | { type: 'or'; children: Filter[] }
  | { type: 'equals'; field: Field; value: string; negated: boolean }
  | { type: 'in'; field: Field; values: string[]; negated: boolean }
  | { type: 'wildcard'; field: Field; parts: string[]; negated: boolean }
  | { type: 'compare'; field: Field; op: '>' | '>=' | '<' | '<='; value: number; negated: boolean }
  | { type: 'has'; field: Field; negated: boolean }
  | { type: 'text'; value: string; negated: boolean };

export type Percentile = 0.5 | 0.75 | 0.95 | 0.99;

export type Aggregate =
  | { fn: 'count' }
  | { fn: 'count_unique'; field: 'user' }
  | { fn: 'avg'; field: 'duration' }
  | { fn: 'percentile'; field: 'duration'; p: Percentile }
  | { fn: 'failure_rate' }
  | { fn: 'apdex'; thresholdMs: number }
  | { fn: 'crash_free_rate'; of: 'sessions' | 'users' };

/** One metric value over `[start, end)` (epoch milliseconds). */
export type MetricQuery = {
  kind?: 'value';
  dataset: RuleDataset;
  aggregate: Aggregate;
  filter: Filter | null;
  projectIds: readonly number[];
  /** null: every environment. */
  environment: string | null;
  start: number;
  end: number;
};

/**
 * The aggregate per interval over `[start, end)`: interval k covers `[start + k·intervalMs, start + (k+1)·intervalMs)`
 * (the last one cut at `end`). One statement per series (GROUP BY interval), never one per interval.
 */
export type SeriesQuery = Omit<MetricQuery, 'kind'> & { kind: 'series'; intervalMs: number };

/** What a backend batch may hold: metric values and series side by side. */
export type Query = MetricQuery | SeriesQuery;

/** null: no rows to aggregate (e.g. an average over nothing). */
export type MetricValue = number | null;

/** One value per interval, in time order. Empty intervals are 0 for counts and null (a gap) otherwise. */
export type SeriesValues = MetricValue[];

export type AnswerOf<Q extends Query> = Q extends SeriesQuery ? SeriesValues : MetricValue;
export type Answer = AnswerOf<Query>;

export type MetricFailure = 'timeout' | 'backend' | 'overloaded';
export type QueryResult<A extends Answer = Answer> =
  | { ok: true; value: A }
  | { ok: false; reason: MetricFailure; detail?: string };
export type MetricResult = QueryResult<MetricValue>;
export type SeriesResult = QueryResult<SeriesValues>;

/** How many intervals a series has (the last may be shorter). */
export function seriesLength(query: Pick<SeriesQuery, 'start' | 'end' | 'intervalMs'>): number {
  return Math.max(0, Math.ceil((query.end - query.start) / query.intervalMs));
}

/** What an aggregate is over no rows: the counts 0, everything else no value. */
export function valueOverNoRows(aggregate: Aggregate): MetricValue {
  return aggregate.fn === 'count' || aggregate.fn === 'count_unique' ? 0 : null;
}

/** A series from the intervals that had rows (`[interval, value]`): the empty ones take their value over no rows. */
export function fillSeries(query: SeriesQuery, rows: Iterable<readonly [number, MetricValue]>): SeriesValues {
  const values: SeriesValues = new Array(seriesLength(query)).fill(valueOverNoRows(query.aggregate));
  for (const [interval, value] of rows) {
    if (interval >= 0 && interval < values.length) values[interval] = value;
  }
  return values;
}
