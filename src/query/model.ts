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
  dataset: RuleDataset;
  aggregate: Aggregate;
  filter: Filter | null;
  projectIds: readonly number[];
  /** null: every environment. */
  environment: string | null;
  start: number;
  end: number;
};

/** null: no rows to aggregate (e.g. an average over nothing). */
export type MetricValue = number | null;

export type MetricFailure = 'timeout' | 'backend' | 'overloaded';
export type MetricResult =
  | { ok: true; value: MetricValue }
  | { ok: false; reason: MetricFailure; detail?: string };
