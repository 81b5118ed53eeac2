// The number a rule is evaluated on at a tick, from the aggregate's raw results (docs/alerting.md).
import type { MetricValue } from '../query/model.ts';
import type { AlertRule } from '../domain.ts';
import type { TickValue } from './step.ts';

/**
 * `current` is the aggregate over the rule's window; `previous` the same over the window `comparisonDelta`
 * earlier (percent-change rules only).
 */
export function tickValue(
  rule: Pick<AlertRule, 'dataset' | 'comparisonDelta'>,
  current: MetricValue,
  previous: MetricValue,
): TickValue {
  let value: number;
  if (rule.dataset === 'sessions') {
    // Sentry skips crash-rate updates without sessions and resets the counters: no data is not recovery.
    if (current === null) return { kind: 'skip', resetCounters: true };
    value = roundTo3(current);
  } else {
    // An events aggregate over no rows (avg of nothing) is evaluated as 0, like Sentry's snuba results.
    value = current ?? 0;
  }
  if (rule.comparisonDelta === null) return { kind: 'value', value };
  // Without a baseline there is no ratio: Sentry skips the update and leaves the counters alone.
  if (previous === null || previous === 0) return { kind: 'skip', resetCounters: false };
  return { kind: 'value', value: (value / previous) * 100 };
}

function roundTo3(value: number): number {
  return Math.round(value * 1000) / 1000;
}
