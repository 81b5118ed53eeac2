import { describe, expect, it } from 'vitest';
import { incidentTitle, statusText } from '../../src/incidents/status-text.ts';
import { parseAggregate } from '../../src/query/aggregate.ts';
import type { MetricResult } from '../../src/query/model.ts';
import type { RuleDataset } from '../../src/domain.ts';

const ok = (value: number | null): MetricResult => ({ ok: true, value });

describe('statusText', () => {
  it.each<[string, RuleDataset, number, MetricResult, string]>([
    ['count()', 'events', 600, ok(1204), '1,204 events in the last 10 minutes'],
    ['count()', 'events', 60, ok(0), '0 events in the last 1 minute'],
    ['count_unique(user)', 'events', 3600, ok(12345), '12,345 users affected in the last 60 minutes'],
    [
      'percentage(sessions_crashed, sessions) AS _crash_rate_alert_aggregate',
      'sessions',
      3600,
      ok(99.5),
      '99.5% sessions crash free rate in the last 60 minutes',
    ],
    [
      'percentage(users_crashed, users) AS _crash_rate_alert_aggregate',
      'sessions',
      1800,
      ok(97.12345),
      '97.123% users crash free rate in the last 30 minutes',
    ],
    [
      'percentage(sessions_crashed, sessions) AS _crash_rate_alert_aggregate',
      'sessions',
      3600,
      ok(null),
      'No data for sessions crash free rate in the last 60 minutes',
    ],
    [
      'p95(transaction.duration)',
      'transactions',
      600,
      ok(1234.5678),
      '1,234.57ms p95(transaction.duration) in the last 10 minutes',
    ],
    [
      'avg(transaction.duration)',
      'transactions',
      300,
      ok(231.5),
      '231.5ms avg(transaction.duration) in the last 5 minutes',
    ],
    [
      'avg(transaction.duration)',
      'transactions',
      300,
      ok(null),
      'No data for avg(transaction.duration) in the last 5 minutes',
    ],
    ['failure_rate()', 'transactions', 600, ok(0.0123), '0.0123 failure_rate() in the last 10 minutes'],
    ['apdex(300)', 'transactions', 600, ok(0.875), '0.875 apdex(300) in the last 10 minutes'],
    [
      'count()',
      'events',
      600,
      { ok: false, reason: 'timeout' },
      'Metric unavailable (the event store did not answer in time): events in the last 10 minutes',
    ],
    [
      'count()',
      'events',
      600,
      { ok: false, reason: 'backend' },
      'Metric unavailable (the event store query failed): events in the last 10 minutes',
    ],
    [
      'count_unique(user)',
      'events',
      600,
      { ok: false, reason: 'overloaded' },
      'Metric unavailable (the bot is overloaded right now): users affected in the last 10 minutes',
    ],
    // The "%" glued to a crash-free value must not dangle when there is no value to glue it to.
    [
      'percentage(sessions_crashed, sessions) AS _crash_rate_alert_aggregate',
      'sessions',
      3600,
      { ok: false, reason: 'timeout' },
      'Metric unavailable (the event store did not answer in time): sessions crash free rate in the last 60 minutes',
    ],
    [
      'percentage(users_crashed, users) AS _crash_rate_alert_aggregate',
      'sessions',
      1800,
      { ok: false, reason: 'backend' },
      'Metric unavailable (the event store query failed): users crash free rate in the last 30 minutes',
    ],
  ])('%s over %s, %is: %j → %s', (text, dataset, window, result, expected) => {
    const parsed = parseAggregate(text, dataset);
    if (!parsed.ok) throw new Error(parsed.error);
    expect(statusText(parsed.aggregate, text, window, result)).toBe(expected);
  });
});

describe('incidentTitle', () => {
  it.each([
    ['open', 'Open: Checkout errors'],
    ['warning', 'Warning: Checkout errors'],
    ['critical', 'Critical: Checkout errors'],
    ['resolved', 'Resolved: Checkout errors'],
  ] as const)('%s', (status, title) => {
    expect(incidentTitle(status, 'Checkout errors')).toBe(title);
  });
});

describe('parseAggregate', () => {
  it.each([
    ['count()', 'sessions', 'needs dataset events or transactions'],
    ['p90(transaction.duration)', 'transactions', 'unsupported aggregate'],
    ['apdex(0)', 'transactions', 'above 0'],
    ['percentage(sessions_crashed, users)', 'sessions', 'differ'],
    ['sum(transaction.duration); DROP TABLE events', 'transactions', 'unsupported aggregate'],
    ['xp95(transaction.duration)', 'transactions', 'unsupported aggregate "xp95(transaction.duration)"'],
    ['p95(transaction.duration)x', 'transactions', 'unsupported aggregate'],
    ['xapdex(300)', 'transactions', 'unsupported aggregate'],
    ['apdex(300)x', 'transactions', 'unsupported aggregate'],
    ['apdex(1.x)', 'transactions', 'unsupported aggregate'],
    ['failure_rate()', 'events', 'aggregate "failure_rate()" needs dataset transactions, not events'],
  ] as const)('rejects %s on %s', (text, dataset, reason) => {
    const parsed = parseAggregate(text, dataset);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.error).toContain(reason);
  });
});

describe('parseAggregate accepts', () => {
  it.each([
    ['  count( )  ', 'events', { fn: 'count' }],
    ['count_unique( user )', 'transactions', { fn: 'count_unique', field: 'user' }],
    ['avg(transaction.duration)', 'transactions', { fn: 'avg', field: 'duration' }],
    ['p50( transaction.duration )', 'transactions', { fn: 'percentile', field: 'duration', p: 0.5 }],
    ['p99(transaction.duration)', 'transactions', { fn: 'percentile', field: 'duration', p: 0.99 }],
    ['apdex(0.25)', 'transactions', { fn: 'apdex', thresholdMs: 0.25 }],
    ['apdex( 300 )', 'transactions', { fn: 'apdex', thresholdMs: 300 }],
    [
      'percentage(USERS_crashed, users) AS _crash_rate_alert_aggregate',
      'sessions',
      { fn: 'crash_free_rate', of: 'users' },
    ],
  ] as const)('%s on %s', (text, dataset, aggregate) => {
    expect(parseAggregate(text, dataset)).toEqual({ ok: true, aggregate });
  });
});
