// Every aggregate kind through the real flow (import → query builder → bulk runner → DuckDB), compared with an
// independent computation over the same rows in plain JS.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IncidentCard } from '../../src/card/model.ts';
import {
  metricDataset,
  metricEvents,
  metricSessions,
  NOW,
  TRIGGER_AT,
  type TestEvent,
  type TestSession,
  WINDOW_START,
} from '../fixtures/metric-dataset.ts';
import { createTestApp, type TestApp } from '../support/test-app.ts';

let test: TestApp;

beforeAll(async () => {
  test = await createTestApp({ dataset: metricDataset(), now: () => NOW });
});
afterAll(() => test.close());

async function card(organizationId: string, identifier: number): Promise<IncidentCard> {
  const record = test.app.repository.findIncident(organizationId, identifier);
  if (!record) throw new Error(`no incident ${organizationId}/${identifier}`);
  const [built] = await test.app.cards.build([record]);
  return built!;
}

const ts = (event: { timestamp: string }) => Date.parse(event.timestamp);
const inWindow = (start: number, end: number) => (row: { timestamp: string }) =>
  ts(row) >= start && ts(row) < end;
const isTransaction = (e: TestEvent) => e.transaction !== undefined && e.duration !== undefined;
const production = (row: { environment?: string | null }) => row.environment === 'production';

/** The rows a rule sees: project 11, the trigger's window, the dataset's event type. */
function rows(kind: 'error' | 'transaction', environmentOnly: boolean): TestEvent[] {
  return metricEvents()
    .filter((e) => e.projectId === 11)
    .filter(inWindow(WINDOW_START, TRIGGER_AT))
    .filter((e) => (kind === 'transaction' ? isTransaction(e) : !isTransaction(e)))
    .filter((e) => !environmentOnly || production(e));
}

function quantile(values: number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const h = (sorted.length - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.ceil(h);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (h - lo);
}

const durations = (events: TestEvent[]) => events.map((e) => e.duration!);
const windowSessions = (environmentOnly: boolean): TestSession[] =>
  metricSessions()
    .filter((s) => s.projectId === 11)
    .filter(inWindow(WINDOW_START, TRIGGER_AT))
    .filter((s) => !environmentOnly || production(s));

const EXPECTED: [number, string, () => number | null][] = [
  [
    1,
    'count() of errors without /health transactions',
    () =>
      rows('error', true).filter((e) => e.level === 'error' && !(e.transaction ?? '').startsWith('/health'))
        .length,
  ],
  [
    2,
    'count_unique(user) over every environment',
    () =>
      new Set(
        rows('error', false)
          .map((e) => e.user)
          .filter(Boolean),
      ).size,
  ],
  [
    3,
    'avg of /checkout/* durations',
    () => {
      const values = durations(
        rows('transaction', true).filter((e) => e.transaction!.startsWith('/checkout/')),
      );
      return values.reduce((sum, v) => sum + v, 0) / values.length;
    },
  ],
  [4, 'p50', () => quantile(durations(rows('transaction', true)), 0.5)],
  [
    5,
    'p75 of Chrome',
    () =>
      quantile(
        durations(rows('transaction', false).filter((e) => e.tags?.['browser.name'] === 'Chrome')),
        0.75,
      ),
  ],
  [
    6,
    'p95 without /health',
    () => quantile(durations(rows('transaction', true).filter((e) => e.transaction !== '/health')), 0.95),
  ],
  [
    7,
    'p99 of slow ones',
    () => quantile(durations(rows('transaction', false).filter((e) => e.duration! > 100)), 0.99),
  ],
  [
    8,
    'failure_rate of transactions with a user',
    () => {
      const seen = rows('transaction', true).filter((e) => e.user);
      return (
        seen.filter((e) => !['ok', 'cancelled', 'unknown'].includes(e.status ?? 'ok')).length / seen.length
      );
    },
  ],
  [
    9,
    'apdex(300) of two transactions',
    () => {
      const seen = rows('transaction', true).filter((e) =>
        ['/checkout/pay', '/api/search'].includes(e.transaction!),
      );
      const satisfied = seen.filter((e) => e.duration! <= 300).length;
      const tolerated = seen.filter((e) => e.duration! > 300 && e.duration! <= 1200).length;
      return (satisfied + tolerated / 2) / seen.length;
    },
  ],
  [
    10,
    'sessions crash free rate',
    () => {
      const seen = windowSessions(true);
      const total = seen.reduce((sum, s) => sum + s.quantity, 0);
      const crashed = seen.filter((s) => s.status === 'crashed').reduce((sum, s) => sum + s.quantity, 0);
      return 100 * (1 - crashed / total);
    },
  ],
  [
    11,
    'users crash free rate',
    () => {
      const seen = windowSessions(false).filter((s) => s.user);
      const users = new Set(seen.map((s) => s.user));
      const crashed = new Set(seen.filter((s) => s.status === 'crashed').map((s) => s.user));
      return 100 * (1 - crashed.size / users.size);
    },
  ],
  [
    12,
    'free text OR wildcard on message',
    () =>
      rows('error', true).filter(
        (e) => e.message!.toLowerCase().includes('timeout') || e.message!.includes('KeyError'),
      ).length,
  ],
];

describe('metric value of every aggregate kind', () => {
  it.each(EXPECTED)('incident %i: %s', async (identifier, _name, expected) => {
    const built = await card('acme', identifier);
    expect(built.metricError).toBeNull();
    const value = expected();
    expect(value).not.toBeNull();
    expect(built.metric.value).toBeCloseTo(value!, 9);
    expect(built.metric.windowStart).toBe(new Date(WINDOW_START).toISOString());
    expect(built.metric.windowEnd).toBe(new Date(TRIGGER_AT).toISOString());
  });

  it('counts an event exactly at the window start and not one exactly at its end', async () => {
    const built = await card('acme', 1);
    const atStart = rows('error', true).filter((e) => ts(e) === WINDOW_START);
    expect(atStart.length).toBeGreaterThan(0);
    const atEnd = metricEvents().filter(
      (e) => ts(e) === TRIGGER_AT && e.projectId === 11 && !isTransaction(e),
    );
    expect(atEnd.length).toBeGreaterThan(0);
    const withEnd = EXPECTED[0]![2]()! + atEnd.length;
    expect(built.metric.value).not.toBe(withEnd);
    expect(built.metric.value).toBe(EXPECTED[0]![2]());
  });
});

describe('windows without triggers, empty windows and retention', () => {
  it('measures an incident without triggers over its whole range plus one window each side', async () => {
    const built = await card('acme', 50);
    const start = TRIGGER_AT - 60_000 - 600_000;
    const end = TRIGGER_AT + 60_000 + 600_000;
    const expected = metricEvents()
      .filter((e) => e.projectId === 11 && production(e) && !isTransaction(e))
      .filter(inWindow(start, end))
      .filter((e) => e.level === 'error' && !(e.transaction ?? '').startsWith('/health')).length;
    expect(built.metric.value).toBe(expected);
    expect(built.title).toBe('Resolved: Rule 101');
    expect(built.dateClosed).not.toBeNull();
  });

  it('says "no data" when an average has nothing to average', async () => {
    const built = await card('acme', 51);
    expect(built.metric.value).toBeNull();
    expect(built.metricError).toBeNull();
    expect(built.statusText).toBe('No data for avg(transaction.duration) in the last 10 minutes');
  });

  it('starts the range at the retention edge for an organization keeping one day', async () => {
    const built = await card('brief', 1);
    expect(built.metric.windowStart).toBe(new Date(NOW - 86_400_000).toISOString());
    expect(built.metric.windowEnd).toBe(new Date(NOW + 3_600_000).toISOString());
    expect(built.metric.value).toBe(1);
  });
});

describe('tenancy', () => {
  it('never counts another organization’s project, even with the same rule', async () => {
    const built = await card('acme', 2);
    const withOther = new Set(
      metricEvents()
        .filter(inWindow(WINDOW_START, TRIGGER_AT))
        .filter((e) => !isTransaction(e) && e.user)
        .map((e) => e.user),
    ).size;
    expect(built.metric.value).toBeLessThanOrEqual(withOther);
    expect(built.projects).toEqual(['checkout-api']);
  });
});

describe('incidents of one rule in one batch', () => {
  it('share one scan and give the same values as one by one', async () => {
    const records = [1, 50].map((identifier) => test.app.repository.findIncident('acme', identifier)!);
    expect(records[0]!.rule.id).toBe(records[1]!.rule.id);
    const together = await test.app.cards.build(records);
    const apart = [await card('acme', 1), await card('acme', 50)];
    expect(together.map((c) => c.metric.value)).toEqual(apart.map((c) => c.metric.value));
    expect(together[0]!.metric.value).not.toBe(together[1]!.metric.value);
  });
});
