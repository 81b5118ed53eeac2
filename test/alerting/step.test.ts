// docs/alerting.md, row by row: hand-computed sequences through the pure evaluation step.
import { describe, expect, it } from 'vitest';
import { step } from '../../src/alerting/step.ts';
import { tickValue } from '../../src/alerting/tick-value.ts';
import { MINUTE, ruleF, runTicks, T0, transitions, WARNING } from './step-harness.ts';

const iso = (ms: number) => new Date(ms).toISOString();

describe('docs/alerting.md scenario table', () => {
  it('1: 100 is not above 100', () => {
    expect(transitions(runTicks(ruleF(), [100]).records)).toEqual([]);
  });

  it('2: 101 opens a critical incident that started one window before the tick', () => {
    const { records, incidents } = runTicks(ruleF(), [101]);
    expect(transitions(records)).toEqual(['0:created:critical']);
    expect(incidents[0]!.dateStarted).toBe(iso(T0 - 60_000));
    expect(incidents[0]!.triggers).toEqual([
      { alertRuleTriggerId: 1, status: 'active', dateModified: iso(T0) },
    ]);
  });

  it('3: no rows counts as 0 and fires nothing', () => {
    expect(transitions(runTicks(ruleF(), [null]).records)).toEqual([]);
  });

  it('4: period 2 fires on the 2nd consecutive breach, and a gap resets the count', () => {
    const rule = ruleF({ thresholdPeriod: 2 });
    const fired = runTicks(rule, [101, 101]);
    expect(transitions(fired.records)).toEqual(['1:created:critical']);
    expect(fired.incidents[0]!.dateStarted).toBe(iso(T0 + MINUTE - 60_000 - MINUTE));
    expect(transitions(runTicks(rule, [101, 100, 101]).records)).toEqual([]);
  });

  it('5: critical, then resolved below the resolve threshold', () => {
    const { records, incidents } = runTicks(ruleF(), [101, 9]);
    expect(transitions(records)).toEqual(['0:created:critical', '1:resolved:resolved']);
    expect(incidents[0]!.dateClosed).toBe(iso(T0 + MINUTE - 60_000));
  });

  it('6: period 2 after firing resolves on the 2nd recovery; 10 is not < 10 and breaks the run', () => {
    const rule = ruleF({ thresholdPeriod: 2 });
    expect(transitions(runTicks(rule, [101, 101, 9, 9]).records)).toEqual([
      '1:created:critical',
      '3:resolved:resolved',
    ]);
    expect(transitions(runTicks(rule, [101, 101, 9, 10, 9]).records)).toEqual(['1:created:critical']);
  });

  it('6 (as written, period 1 to fire): 101, 9, 9 resolves at the 3rd tick with period 2 counting recoveries', () => {
    // The table's "period 2 after firing": the rule fired with period 1, then was set to period 2.
    const fired = runTicks(ruleF(), [101]);
    const rule = ruleF({ thresholdPeriod: 2 });
    const open = fired.incidents[0]!;
    let counters = fired.counters;
    const statuses: string[] = [];
    let incident = open;
    for (const [k, v] of [
      [1, 9],
      [2, 9],
    ] as const) {
      const r = step({
        rule,
        tick: T0 + k * MINUTE,
        intervalMs: MINUTE,
        value: { kind: 'value', value: v },
        counters,
        open: incident,
        lastCreatedWith: () => null,
      });
      counters = r.counters;
      incident = r.incident!;
      statuses.push(r.transition?.to ?? '-');
    }
    expect(statuses).toEqual(['-', 'resolved']);
  });

  it.each([
    [99, 'resolved'],
    [100, 'resolved'],
  ])('7: without a resolve threshold %d (≤ 100) resolves', (value, status) => {
    const { records } = runTicks(ruleF({ resolveThreshold: null }), [101, value]);
    expect(records[1]!.status).toBe(status);
  });

  it('8: below 100 without resolve threshold: 99 fires, 101 resolves', () => {
    const rule = ruleF({ thresholdType: 'below', resolveThreshold: null });
    expect(transitions(runTicks(rule, [99, 101]).records)).toEqual([
      '0:created:critical',
      '1:resolved:resolved',
    ]);
  });

  it('9: below 11 with resolve 10: 12 then 10 fires at 10; 10, 9, 11 resolves at 11', () => {
    const rule = ruleF({
      thresholdType: 'below',
      resolveThreshold: 10,
      triggers: [{ id: 1, label: 'critical', alertThreshold: 11 }],
    });
    expect(transitions(runTicks(rule, [12, 10]).records)).toEqual(['1:created:critical']);
    expect(transitions(runTicks(rule, [10, 9, 11]).records)).toEqual([
      '0:created:critical',
      '2:resolved:resolved',
    ]);
  });

  it('10: two projects count alone (each its own state)', () => {
    const rule = ruleF({ thresholdPeriod: 2 });
    const a = runTicks(rule, [101, 101, 0]);
    const b = runTicks(rule, [0, 101, 101]);
    expect(transitions(a.records)).toEqual(['1:created:critical']);
    expect(transitions(b.records)).toEqual(['2:created:critical']);
  });

  it('11: without resolve threshold and W=90, 101 makes both rows active; 89 resolves both', () => {
    const { records, incidents } = runTicks(
      ruleF({ resolveThreshold: null, triggers: [...ruleF().triggers, WARNING(90)] }),
      [101, 89],
    );
    expect(transitions(records)).toEqual(['0:created:critical', '1:resolved:resolved']);
    expect(incidents[0]!.triggers.map((t) => t.status)).toEqual(['resolved', 'resolved']);
    expect(incidents).toHaveLength(1);
  });

  it('12: warning, critical, warning, resolved — one incident', () => {
    const rule = ruleF({ triggers: [...ruleF().triggers, WARNING(80)] });
    const { records, incidents } = runTicks(rule, [81, 101, 99, 9]);
    expect(transitions(records)).toEqual([
      '0:created:warning',
      '1:escalated:critical',
      '2:deescalated:warning',
      '3:resolved:resolved',
    ]);
    expect(incidents).toHaveLength(1);
  });

  it('13: period 2: warning at the 2nd tick, critical at the 3rd, resolved at the 5th', () => {
    const rule = ruleF({ thresholdPeriod: 2, triggers: [...ruleF().triggers, WARNING(80)] });
    expect(transitions(runTicks(rule, [81, 101, 101, 9, 9]).records)).toEqual([
      '1:created:warning',
      '2:escalated:critical',
      '4:resolved:resolved',
    ]);
  });

  it('14: critical, warning, resolved', () => {
    const rule = ruleF({ triggers: [...ruleF().triggers, WARNING(80)] });
    expect(transitions(runTicks(rule, [101, 99, 9]).records)).toEqual([
      '0:created:critical',
      '1:deescalated:warning',
      '2:resolved:resolved',
    ]);
  });

  it('15: without resolve threshold and W=80, 79 resolves warning or critical in one tick', () => {
    const rule = ruleF({ resolveThreshold: null, triggers: [...ruleF().triggers, WARNING(80)] });
    expect(transitions(runTicks(rule, [81, 79]).records)).toEqual([
      '0:created:warning',
      '1:resolved:resolved',
    ]);
    expect(transitions(runTicks(rule, [101, 79]).records)).toEqual([
      '0:created:critical',
      '1:resolved:resolved',
    ]);
  });

  const ratio = (percent: number) => ({ kind: 'value' as const, value: percent });

  it('16: percent change above 150: fires at 175, resolves at 150', () => {
    const rule = ruleF({
      comparisonDelta: 3600,
      timeWindow: 3600,
      resolveThreshold: null,
      triggers: [{ id: 1, label: 'critical', alertThreshold: 150 }],
    });
    expect(transitions(runTicks(rule, [50, 100, 150, 175, 150].map(ratio)).records)).toEqual([
      '3:created:critical',
      '4:resolved:resolved',
    ]);
    // The ratio itself: current / previous × 100.
    expect(tickValue(rule, 35, 20)).toEqual({ kind: 'value', value: 175 });
  });

  it('17: percent change below 50: fires at 25, resolves at 50', () => {
    const rule = ruleF({
      comparisonDelta: 3600,
      thresholdType: 'below',
      resolveThreshold: null,
      triggers: [{ id: 1, label: 'critical', alertThreshold: 50 }],
    });
    expect(transitions(runTicks(rule, [150, 100, 50, 25, 50].map(ratio)).records)).toEqual([
      '3:created:critical',
      '4:resolved:resolved',
    ]);
  });

  it('18: a zero or missing baseline skips the tick and keeps the counters', () => {
    const rule = ruleF({ comparisonDelta: 3600, thresholdPeriod: 2, resolveThreshold: null });
    expect(tickValue(rule, 500, 0)).toEqual({ kind: 'skip', resetCounters: false });
    expect(tickValue(rule, 500, null)).toEqual({ kind: 'skip', resetCounters: false });
    // 101 %, skipped, 101 %: the skipped tick does not break the run of two.
    const skipped = tickValue(rule, 500, 0);
    expect(transitions(runTicks(rule, [ratio(101), skipped, ratio(101)]).records)).toEqual([
      '2:created:critical',
    ]);
  });

  it('19: a new breach within 10 minutes of creation opens nothing until the 10 minutes have passed', () => {
    const values = [101, 6, ...Array.from({ length: 10 }, () => 101)];
    const { records } = runTicks(ruleF(), values);
    // Created at tick 0; tick 10 is exactly 600 s later (still limited); tick 11 opens the second one.
    expect(transitions(records)).toEqual([
      '0:created:critical',
      '1:resolved:resolved',
      '11:created:critical',
    ]);
    expect(records[11]!.incidents).toBe(2);
  });

  it('20: crash rate below 80: crash ratio 0.25 fires at 75.0, 0.15 resolves at 85.0', () => {
    const rule = ruleF({
      dataset: 'sessions',
      thresholdType: 'below',
      resolveThreshold: null,
      triggers: [{ id: 1, label: 'critical', alertThreshold: 80 }],
    });
    expect(tickValue(rule, 100 * (1 - 0.25), null)).toEqual({ kind: 'value', value: 75 });
    expect(tickValue(rule, 100 * (1 - 1 / 3), null)).toEqual({ kind: 'value', value: 66.667 });
    expect(transitions(runTicks(rule, [75, 85]).records)).toEqual([
      '0:created:critical',
      '1:resolved:resolved',
    ]);
  });

  it('21: crash rate with period 2: a tick without sessions resets the count', () => {
    const rule = ruleF({
      dataset: 'sessions',
      thresholdType: 'below',
      thresholdPeriod: 2,
      resolveThreshold: null,
      triggers: [{ id: 1, label: 'critical', alertThreshold: 80 }],
    });
    expect(transitions(runTicks(rule, [75, null, 75]).records)).toEqual([]);
    expect(transitions(runTicks(rule, [75, null, 75, 75]).records)).toEqual(['3:created:critical']);
  });
});

describe('rate limit on re-escalation', () => {
  it('a de-escalated critical cannot re-escalate within 10 minutes of creation', () => {
    const rule = ruleF({ triggers: [...ruleF().triggers, WARNING(80)] });
    const values = [101, 99, ...Array.from({ length: 10 }, () => 101)];
    expect(transitions(runTicks(rule, values).records)).toEqual([
      '0:created:critical',
      '1:deescalated:warning',
      '11:escalated:critical',
    ]);
  });

  it('a first escalation warning → critical is not delayed', () => {
    const rule = ruleF({ triggers: [...ruleF().triggers, WARNING(80)] });
    expect(transitions(runTicks(rule, [81, 101]).records)).toEqual([
      '0:created:warning',
      '1:escalated:critical',
    ]);
  });
});

describe('activity of a new incident', () => {
  it('records detected at the start, created, then the status change with its value', () => {
    const result = step({
      rule: ruleF(),
      tick: T0,
      intervalMs: MINUTE,
      value: { kind: 'value', value: 250 },
      counters: {},
      open: null,
      lastCreatedWith: () => null,
    });
    expect(result.transition?.activity).toEqual([
      { type: 'detected', date: iso(T0 - 60_000) },
      { type: 'created', date: iso(T0) },
      { type: 'status_changed', date: iso(T0), from: 'open', to: 'critical', value: 250 },
    ]);
  });
});
