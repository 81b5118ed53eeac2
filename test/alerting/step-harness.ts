// Runs the pure evaluation step over a sequence of values, keeping incidents the way the evaluator does.
import type { AlertRule } from '../../src/domain.ts';
import { type Counters, type IncidentState, step, type TickValue } from '../../src/alerting/step.ts';
import { tickValue } from '../../src/alerting/tick-value.ts';

export const MINUTE = 60_000;
export const T0 = Date.parse('2026-11-20T10:00:00Z');

export type Rule = Parameters<typeof step>[0]['rule'] & Pick<AlertRule, 'dataset' | 'comparisonDelta'>;

/** Rule F of docs/alerting.md: above, count(), critical 100, resolveThreshold 10, thresholdPeriod 1. */
export function ruleF(overrides: Partial<Rule> = {}): Rule {
  return {
    dataset: 'events',
    comparisonDelta: null,
    thresholdType: 'above',
    resolveThreshold: 10,
    thresholdPeriod: 1,
    timeWindow: 60,
    triggers: [{ id: 1, label: 'critical', alertThreshold: 100 }],
    ...overrides,
  };
}

export const WARNING = (threshold: number) => ({ id: 2, label: 'warning', alertThreshold: threshold });

export type TickRecord = {
  tick: number;
  /** Status of the open (or just resolved) incident after the tick; null when none is involved. */
  status: string | null;
  kind: string | null;
  incidents: number;
};

/** `values[k]` is the raw aggregate at tick k (null = no rows); or a TickValue for the odd cases. */
export function runTicks(rule: Rule, values: (number | null | TickValue)[], start = T0) {
  let counters: Counters = {};
  let open: IncidentState | null = null;
  const all: IncidentState[] = [];
  const records: TickRecord[] = [];
  values.forEach((raw, k) => {
    const tick = start + k * MINUTE;
    const value: TickValue = raw !== null && typeof raw === 'object' ? raw : tickValue(rule, raw, null);
    const result = step({
      rule,
      tick,
      intervalMs: MINUTE,
      value,
      counters,
      open,
      lastCreatedWith: (id) => {
        const earlier = all.filter(
          (i) => i !== open && i.triggers.some((row) => row.alertRuleTriggerId === id),
        );
        return earlier.length > 0 ? Math.max(...earlier.map((i) => i.createdMs)) : null;
      },
    });
    counters = result.counters;
    if (result.incident && !open) all.push(result.incident);
    else if (result.incident && open) all[all.indexOf(open)] = result.incident;
    open = result.incident && result.incident.status !== 'resolved' ? result.incident : null;
    records.push({
      tick,
      status: result.transition ? result.incident!.status : null,
      kind: result.transition?.kind ?? null,
      incidents: all.length,
    });
  });
  return { records, incidents: all, counters };
}

/** The transitions only, as "k:kind:status". */
export function transitions(records: TickRecord[]): string[] {
  return records.flatMap((r, k) => (r.kind ? [`${k}:${r.kind}:${r.status}`] : []));
}
