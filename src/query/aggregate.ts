// Parses a rule's `aggregate` (docs/dataset-format.md) into the query model, so a bad rule is rejected at import.
import type { RuleDataset } from '../domain.ts';
import type { Aggregate, Percentile } from './model.ts';

export type AggregateParseResult = { ok: true; aggregate: Aggregate } | { ok: false; error: string };

const PERCENTILES: Record<string, Percentile> = { p50: 0.5, p75: 0.75, p95: 0.95, p99: 0.99 };
const CRASH_RATE =
  /^percentage\(\s*(sessions|users)_crashed\s*,\s*(sessions|users)\s*\)(?:\s+as\s+_crash_rate_alert_aggregate)?$/i;

/** Which datasets each aggregate makes sense on (Sentry's metric alerts pair them the same way). */
const DATASETS: Record<Aggregate['fn'], readonly RuleDataset[]> = {
  count: ['events', 'transactions'],
  count_unique: ['events', 'transactions'],
  avg: ['transactions'],
  percentile: ['transactions'],
  failure_rate: ['transactions'],
  apdex: ['transactions'],
  crash_free_rate: ['sessions'],
};

export function parseAggregate(text: string, dataset: RuleDataset): AggregateParseResult {
  const parsed = parseShape(text.trim());
  if (!parsed.ok) return parsed;
  const allowed = DATASETS[parsed.aggregate.fn];
  if (!allowed.includes(dataset)) {
    return { ok: false, error: `aggregate "${text}" needs dataset ${allowed.join(' or ')}, not ${dataset}` };
  }
  return parsed;
}

function parseShape(text: string): AggregateParseResult {
  const compact = text.replace(/\s+/g, '');
  if (compact === 'count()') return { ok: true, aggregate: { fn: 'count' } };
  if (compact === 'count_unique(user)') return { ok: true, aggregate: { fn: 'count_unique', field: 'user' } };
  if (compact === 'avg(transaction.duration)')
    return { ok: true, aggregate: { fn: 'avg', field: 'duration' } };
  if (compact === 'failure_rate()') return { ok: true, aggregate: { fn: 'failure_rate' } };
  const percentile = /^(p50|p75|p95|p99)\(transaction\.duration\)$/.exec(compact);
  if (percentile?.[1]) {
    const p = PERCENTILES[percentile[1]]!;
    return { ok: true, aggregate: { fn: 'percentile', field: 'duration', p } };
  }
  const apdex = /^apdex\((\d+(?:\.\d+)?)\)$/.exec(compact);
  if (apdex?.[1]) {
    const thresholdMs = Number(apdex[1]);
    if (!(thresholdMs > 0))
      return { ok: false, error: `apdex threshold must be above 0 ms, got ${apdex[1]}` };
    return { ok: true, aggregate: { fn: 'apdex', thresholdMs } };
  }
  const crash = CRASH_RATE.exec(text);
  if (crash) {
    const of = crash[1]?.toLowerCase() as 'sessions' | 'users';
    if (crash[2]?.toLowerCase() !== of)
      return { ok: false, error: `"${text}": numerator and denominator differ` };
    return { ok: true, aggregate: { fn: 'crash_free_rate', of } };
  }
  return {
    ok: false,
    error:
      `unsupported aggregate "${text.slice(0, 80)}" (expected count(), count_unique(user), avg(transaction.duration), ` +
      'p50|p75|p95|p99(transaction.duration), failure_rate(), apdex(<ms>) or a crash-rate percentage)',
  };
}
