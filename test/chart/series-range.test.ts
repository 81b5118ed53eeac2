// Which range and interval a card's chart covers (Sentry's windowed stats) and what it draws over the series.
import { describe, expect, it } from 'vitest';
import { chartData, chartSeriesQuery } from '../../src/chart/series.ts';
import { compileRule } from '../../src/query/compile-rule.ts';
import type { IncidentRecord } from '../../src/repository.ts';

const STARTED = Date.parse('2026-11-20T10:00:00Z');
const MINUTE = 60_000;

const record = (overrides: { dateClosed?: string | null; timeWindow?: number } = {}): IncidentRecord => ({
  organization: { id: 'acme', name: 'Acme', retentionDays: 90 },
  members: [],
  projects: [
    { id: 12, organizationId: 'acme', slug: 'b' },
    { id: 11, organizationId: 'acme', slug: 'a' },
  ],
  rule: {
    id: 1,
    organizationId: 'acme',
    name: 'Checkout errors',
    dataset: 'events',
    aggregate: 'count()',
    query: 'level:error',
    environment: 'production',
    timeWindow: overrides.timeWindow ?? 600,
    projects: [11, 12],
    thresholdType: 'above',
    resolveThreshold: 10,
    enabled: true,
    thresholdPeriod: 1,
    comparisonDelta: null,
    triggers: [
      { id: 1, label: 'critical', alertThreshold: 100 },
      { id: 2, label: 'warning', alertThreshold: 50 },
    ],
  },
  incident: {
    id: 1,
    identifier: 42,
    organizationId: 'acme',
    alertRuleId: 1,
    title: 'Checkout errors',
    status: 'critical',
    dateStarted: new Date(STARTED).toISOString(),
    dateClosed: overrides.dateClosed ?? null,
    projects: [11, 12],
    triggers: [],
  },
});

const plan = (incident: IncidentRecord, now: number) =>
  chartSeriesQuery(incident, compileRule(incident.rule), now);

describe('the chart range', () => {
  it('is 200 intervals of the rule window centred on the start (one window before it) when now is far off', () => {
    const planned = plan(record({ dateClosed: '2026-11-20T11:00:00Z' }), STARTED + 30 * 86_400_000);
    if (!planned.ok) throw new Error(planned.error);
    const window = 600_000;
    expect(planned.query).toMatchObject({
      kind: 'series',
      intervalMs: window,
      start: STARTED - window - 100 * window,
      end: STARTED - window + 100 * window,
      projectIds: [11, 12],
      environment: 'production',
    });
  });

  it('never reaches past now: the range is shifted back, as of the minute, its last interval cut at now', () => {
    const now = STARTED + 5 * MINUTE + 42_123;
    const planned = plan(record(), now);
    if (!planned.ok) throw new Error(planned.error);
    const minute = STARTED + 5 * MINUTE;
    expect(planned.query.end).toBe(minute);
    // minute − 200 windows is off the 10-minute grid: widened to it, so 201 intervals, the last 5 minutes long.
    expect(planned.query.start).toBe(STARTED - 200 * 600_000);
    expect((planned.query.end - planned.query.start) / 600_000).toBe(200.5);
  });

  it('puts the intervals on a grid of the rule window, so every card means the same rows by an interval', () => {
    const off = plan(record({ dateClosed: '2026-11-20T11:00:00Z' }), STARTED + 30 * 86_400_000);
    const started = Date.parse('2026-11-20T10:03:00Z');
    const moved = plan(
      {
        ...record({ dateClosed: '2026-11-20T11:00:00Z' }),
        incident: { ...record().incident, dateStarted: new Date(started).toISOString() },
      },
      STARTED + 30 * 86_400_000,
    );
    if (!off.ok || !moved.ok) throw new Error('no plan');
    expect(moved.query.start % 600_000).toBe(0);
    expect(moved.query.end % 600_000).toBe(0);
    expect(moved.query.start).toBe(off.query.start);
    // 10:03 − 10 min − 100 windows, widened to whole windows on both sides: 201 of them.
    expect((moved.query.end - moved.query.start) / 600_000).toBe(201);
  });

  it('shades the incident until now while it is open and to its close once closed', () => {
    const now = STARTED + 5 * MINUTE;
    const open = plan(record(), now);
    if (!open.ok) throw new Error(open.error);
    expect(chartData(record(), open.query, []).incident).toEqual({
      start: STARTED,
      end: now,
      status: 'critical',
    });
    const closedRecord = record({ dateClosed: '2026-11-20T10:03:00Z' });
    expect(chartData(closedRecord, open.query, []).incident.end).toBe(STARTED + 3 * MINUTE);
  });

  it('draws the critical, warning and resolve thresholds', () => {
    const planned = plan(record(), STARTED);
    if (!planned.ok) throw new Error(planned.error);
    expect(chartData(record(), planned.query, []).thresholds).toEqual([
      { kind: 'critical', label: 'critical', value: 100 },
      { kind: 'warning', label: 'warning', value: 50 },
      { kind: 'resolve', label: 'resolve', value: 10 },
    ]);
  });
});
