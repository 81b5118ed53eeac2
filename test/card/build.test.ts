// The neutral card built from an incident and its metric result (Sentry's incident_attachment_info): every
// field a renderer shows, for open and closed incidents, degraded metrics and rules that cannot be evaluated.
import { describe, expect, it } from 'vitest';
import { formatDuration, incidentCard } from '../../src/card/build.ts';
import { incidentPagePath, plainPageLink } from '../../src/card/page-link.ts';
import { incidentSummary } from '../../src/card/summary.ts';
import type { TimeRange } from '../../src/incidents/time-range.ts';
import { compileRule } from '../../src/query/compile-rule.ts';
import type { MetricResult } from '../../src/query/model.ts';
import type { IncidentRecord } from '../../src/repository.ts';

const NOW = Date.parse('2026-11-20T12:00:30.250Z');
const WINDOW = { start: Date.parse('2026-11-20T09:57:00Z'), end: Date.parse('2026-11-20T10:07:00Z') };
const options = { pageLink: plainPageLink('https://cards.example.com'), now: NOW };

/** The card as the card builder makes it: the rule compiled first, then the card. */
function cardFor(subject: IncidentRecord, metric: MetricResult, window: TimeRange, opts: typeof options) {
  return incidentCard(subject, compileRule(subject.rule), metric, window, opts);
}

function record(
  overrides: {
    incident?: Partial<IncidentRecord['incident']>;
    rule?: Partial<IncidentRecord['rule']>;
    projects?: IncidentRecord['projects'];
  } = {},
): IncidentRecord {
  return {
    organization: { id: 'acme', name: 'Acme', retentionDays: 90 },
    members: [],
    projects: overrides.projects ?? [
      { id: 11, organizationId: 'acme', slug: 'checkout-api' },
      { id: 12, organizationId: 'acme', slug: 'checkout-web' },
    ],
    rule: {
      id: 101,
      organizationId: 'acme',
      name: 'Checkout errors',
      dataset: 'events',
      aggregate: 'count()',
      query: 'level:error',
      environment: 'production',
      timeWindow: 600,
      projects: [11, 12],
      thresholdType: 'above',
      resolveThreshold: null,
      enabled: true,
      thresholdPeriod: 1,
      comparisonDelta: null,
      triggers: [{ id: 1001, label: 'critical', alertThreshold: 100 }],
      ...overrides.rule,
    },
    incident: {
      id: 5001,
      identifier: 42,
      organizationId: 'acme',
      alertRuleId: 101,
      title: 'Checkout errors',
      status: 'critical',
      dateStarted: '2026-11-20T10:00:00Z',
      dateClosed: null,
      projects: [11, 12],
      triggers: [{ alertRuleTriggerId: 1001, status: 'active', dateModified: '2026-11-20T10:07:00Z' }],
      ...overrides.incident,
    },
  };
}

const ok = (value: number | null): MetricResult => ({ ok: true, value });

describe('incidentCard', () => {
  it('an open incident: every field, the value, the window and the link', () => {
    expect(cardFor(record(), ok(1204), WINDOW, options)).toEqual({
      organizationId: 'acme',
      identifier: 42,
      version: 1,
      actions: ['acknowledge', 'resolve', 'assign', 'snooze'],
      acknowledged: null,
      assignee: null,
      snoozedUntil: null,
      recent: [],
      members: [],
      title: 'Critical: Checkout errors',
      status: 'critical',
      statusLabel: 'Critical',
      color: 0xfa4747,
      statusText: '1,204 events in the last 10 minutes',
      metric: { value: 1204, windowStart: '2026-11-20T09:57:00.000Z', windowEnd: '2026-11-20T10:07:00.000Z' },
      metricError: null,
      rule: {
        id: 101,
        name: 'Checkout errors',
        aggregate: 'count()',
        query: 'level:error',
        dataset: 'events',
        timeWindowMinutes: 10,
      },
      threshold: 'above 100 (critical)',
      projects: ['checkout-api', 'checkout-web'],
      environment: 'production',
      dateStarted: '2026-11-20T10:00:00Z',
      dateClosed: null,
      duration: '2h 0m',
      link: 'https://cards.example.com/o/acme/incidents/42',
      updatedAt: '2026-11-20T12:00:30.250Z',
      fields: [
        { label: 'Rule', value: 'Checkout errors', inline: true },
        { label: 'Projects', value: 'checkout-api, checkout-web', inline: true },
        { label: 'Environment', value: 'production', inline: true },
        { label: 'Started', value: '2026-11-20T10:00:00Z', inline: true },
        { label: 'Duration', value: '2h 0m so far', inline: true },
        { label: 'Threshold', value: 'above 100 (critical)', inline: true },
      ],
    });
  });

  it('a closed incident lasts until its close, and says so', () => {
    const card = cardFor(
      record({ incident: { status: 'resolved', dateClosed: '2026-11-20T10:45:00Z' } }),
      ok(3),
      WINDOW,
      options,
    );
    expect(card.duration).toBe('45m');
    expect(card.dateClosed).toBe('2026-11-20T10:45:00Z');
    expect(card.fields[4]).toEqual({
      label: 'Closed',
      value: '2026-11-20T10:45:00Z (after 45m)',
      inline: true,
    });
    expect(card.title).toBe('Resolved: Checkout errors');
  });

  it('a rule over every project and environment, without triggers', () => {
    const card = cardFor(
      record({
        projects: [],
        rule: { environment: null, triggers: [], timeWindow: 3_599 },
        incident: { triggers: [] },
      }),
      ok(3),
      WINDOW,
      options,
    );
    expect(card.fields.map((field) => field.value)).toEqual([
      'Checkout errors',
      'all projects',
      'all environments',
      '2026-11-20T10:00:00Z',
      '2h 0m so far',
      'none',
    ]);
    expect(card.threshold).toBeNull();
    expect(card.environment).toBeNull();
    expect(card.rule.timeWindowMinutes).toBe(59);
  });

  it.each([
    ['timeout', { ok: false, reason: 'timeout' } as const],
    ['backend', { ok: false, reason: 'backend' } as const],
    ['overloaded', { ok: false, reason: 'overloaded' } as const],
  ])('a %s metric: no value, the reason as metricError', (reason, metric) => {
    const card = cardFor(record(), metric, WINDOW, options);
    expect(card.metric.value).toBeNull();
    expect(card.metricError).toBe(reason);
    expect(card.statusText).toMatch(/^Metric unavailable \(/);
  });

  it('a rule that cannot be evaluated says why, as a backend error', () => {
    const card = cardFor(
      record({ rule: { aggregate: 'p90(transaction.duration)' } }),
      ok(5),
      WINDOW,
      options,
    );
    expect(card.metricError).toBe('backend');
    expect(card.statusText).toMatch(
      /^Metric unavailable \(the rule cannot be evaluated: aggregate: .*unsupported aggregate/,
    );
  });

  it('a rule whose query does not parse says why', () => {
    const card = cardFor(record({ rule: { query: 'level:"unterminated' } }), ok(5), WINDOW, options);
    expect(card.metricError).toBe('backend');
    expect(card.statusText).toMatch(
      /^Metric unavailable \(the rule cannot be evaluated: query: unterminated/,
    );
  });
});

describe('formatDuration', () => {
  it.each([
    [-5_000, '0m'],
    [0, '0m'],
    [59_999, '0m'],
    [60_000, '1m'],
    [59 * 60_000, '59m'],
    [60 * 60_000, '1h 0m'],
    [(23 * 60 + 59) * 60_000, '23h 59m'],
    [24 * 60 * 60_000, '1d 0h'],
    [(2 * 24 * 60 + 3 * 60 + 59) * 60_000, '2d 3h'],
  ])('%i ms → %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });
});

describe('links and summaries', () => {
  it('escapes the organization in a link', () => {
    expect(incidentPagePath('a b/c', 7)).toBe('/o/a%20b%2Fc/incidents/7');
    expect(plainPageLink('https://x.example')('a b/c', 7)).toBe('https://x.example/o/a%20b%2Fc/incidents/7');
  });

  it('summarizes an incident for lists', () => {
    const { incident, organization } = record({ incident: { status: 'warning', title: 'Slow checkout' } });
    expect(incidentSummary(incident, organization, plainPageLink('https://cards.example.com'))).toEqual({
      organizationId: 'acme',
      identifier: 42,
      title: 'Slow checkout',
      status: 'warning',
      statusLabel: 'Warning',
      color: 0xffc227,
      dateStarted: '2026-11-20T10:00:00Z',
      link: 'https://cards.example.com/o/acme/incidents/42',
    });
  });
});
