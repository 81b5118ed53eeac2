// Which window the card's value covers: the latest trigger change (Sentry's get_metric_count_from_incident),
// whatever order the triggers are stored in, and the threshold shown is that trigger's.
import { describe, expect, it } from 'vitest';
import { incidentCard } from '../../src/card/build.ts';
import { plainPageLink } from '../../src/card/page-link.ts';
import { compileRule } from '../../src/query/compile-rule.ts';
import { metricCountWindow } from '../../src/incidents/metric-count.ts';
import type { IncidentRecord } from '../../src/repository.ts';

const NOW = Date.parse('2026-11-20T12:00:00Z');
const WARNING_AT = '2026-11-20T10:07:00Z';
const CRITICAL_AT = '2026-11-20T10:31:00Z';

type StoredTrigger = IncidentRecord['incident']['triggers'][number];
const warning: StoredTrigger = { alertRuleTriggerId: 1, status: 'active', dateModified: WARNING_AT };
const critical: StoredTrigger = { alertRuleTriggerId: 2, status: 'active', dateModified: CRITICAL_AT };

function record(triggers: StoredTrigger[], timeWindow = 600): IncidentRecord {
  return {
    organization: { id: 'acme', name: 'Acme', retentionDays: 90 },
    members: [],
    projects: [{ id: 11, organizationId: 'acme', slug: 'checkout-api' }],
    rule: {
      id: 101,
      organizationId: 'acme',
      name: 'Checkout errors',
      dataset: 'events',
      aggregate: 'count()',
      query: '',
      environment: null,
      timeWindow,
      projects: [11],
      thresholdType: 'above',
      resolveThreshold: null,
      enabled: true,
      thresholdPeriod: 1,
      comparisonDelta: null,
      triggers: [
        { id: 1, label: 'warning', alertThreshold: 50 },
        { id: 2, label: 'critical', alertThreshold: 100 },
      ],
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
      projects: [11],
      triggers,
    },
  };
}

const iso = (range: { start: number; end: number }) => [
  new Date(range.start).toISOString(),
  new Date(range.end).toISOString(),
];

describe('metricCountWindow', () => {
  it.each([
    ['stored oldest first', [warning, critical]],
    ['stored newest first', [critical, warning]],
  ])('ends at the latest trigger change, %s', (_order, triggers) => {
    expect(iso(metricCountWindow(record(triggers), NOW))).toEqual([
      '2026-11-20T10:21:00.000Z',
      '2026-11-20T10:31:00.000Z',
    ]);
  });

  it('is one rule window long, ending at the only trigger change', () => {
    expect(iso(metricCountWindow(record([warning], 300), NOW))).toEqual([
      '2026-11-20T10:02:00.000Z',
      '2026-11-20T10:07:00.000Z',
    ]);
  });

  it('without triggers covers the whole incident with a window of context each side', () => {
    expect(iso(metricCountWindow(record([]), NOW))).toEqual([
      '2026-11-20T09:50:00.000Z',
      '2026-11-20T12:10:00.000Z',
    ]);
  });
});

describe('the card threshold', () => {
  it.each([
    ['stored oldest first', [warning, critical]],
    ['stored newest first', [critical, warning]],
  ])('is the latest trigger’s, %s', (_order, triggers) => {
    const subject = record(triggers);
    const card = incidentCard(
      subject,
      compileRule(subject.rule),
      { ok: true, value: 120 },
      metricCountWindow(subject, NOW),
      {
        pageLink: plainPageLink('https://cards.example.com'),
        now: NOW,
      },
    );
    expect(card.threshold).toBe('above 100 (critical)');
    expect([card.metric.windowStart, card.metric.windowEnd]).toEqual([
      '2026-11-20T10:21:00.000Z',
      '2026-11-20T10:31:00.000Z',
    ]);
  });

  it('falls back to the rule’s first trigger when the incident records none', () => {
    const subject = record([]);
    const card = incidentCard(
      subject,
      compileRule(subject.rule),
      { ok: true, value: 3 },
      metricCountWindow(subject, NOW),
      {
        pageLink: plainPageLink('https://cards.example.com'),
        now: NOW,
      },
    );
    expect(card.threshold).toBe('above 50 (warning)');
  });
});
