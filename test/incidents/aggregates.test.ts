// An incident, its rule and a window → one backend-neutral metric query; a rule that cannot be compiled
// is an error value, and compiling is remembered per rule text.
import { describe, expect, it } from 'vitest';
import { incidentAggregateQuery } from '../../src/incidents/aggregates.ts';
import { compileRule, createRuleCompiler } from '../../src/query/compile-rule.ts';
import type { IncidentRecord } from '../../src/repository.ts';

const project = (id: number) => ({ id, organizationId: 'acme', slug: `p${id}` });

function record(rule: Partial<IncidentRecord['rule']>, projectIds = [12, 2, 11]): IncidentRecord {
  return {
    organization: { id: 'acme', name: 'Acme', retentionDays: 90 },
    members: [],
    projects: projectIds.map(project),
    rule: {
      id: 101,
      organizationId: 'acme',
      name: 'Checkout latency',
      dataset: 'transactions',
      aggregate: 'p95(transaction.duration)',
      query: 'transaction:/checkout*',
      environment: 'production',
      timeWindow: 600,
      projects: [],
      thresholdType: 'above',
      resolveThreshold: null,
      triggers: [],
      enabled: true,
      thresholdPeriod: 1,
      comparisonDelta: null,
      ...rule,
    },
    incident: {
      id: 1,
      identifier: 1,
      organizationId: 'acme',
      alertRuleId: 101,
      title: 't',
      status: 'open',
      dateStarted: '2026-11-20T10:00:00Z',
      dateClosed: null,
      projects: [],
      triggers: [],
    },
  };
}

/** The query for a record, with its rule compiled first as the card builder does. */
function queryFor(subject: IncidentRecord, range: { start: number; end: number }) {
  const compiled = compileRule(subject.rule);
  return compiled.ok
    ? { ok: true as const, query: incidentAggregateQuery(subject, compiled, range) }
    : { ok: false as const, error: compiled.error };
}

describe('incidentAggregateQuery', () => {
  it('carries the dataset, aggregate, filter, environment and window, projects in numeric order', () => {
    expect(queryFor(record({}), { start: 1_000, end: 2_000 })).toEqual({
      ok: true,
      query: {
        dataset: 'transactions',
        aggregate: { fn: 'percentile', field: 'duration', p: 0.95 },
        filter: {
          type: 'wildcard',
          field: { kind: 'column', name: 'transaction' },
          parts: ['/checkout', ''],
          negated: false,
        },
        projectIds: [2, 11, 12],
        environment: 'production',
        start: 1_000,
        end: 2_000,
      },
    });
  });

  it('an empty query is no filter; no environment is every environment', () => {
    const built = queryFor(record({ query: '', environment: null }, []), { start: 0, end: 1 });
    expect(built).toMatchObject({ ok: true, query: { filter: null, environment: null, projectIds: [] } });
  });

  it.each([
    ['an aggregate it does not know', { aggregate: 'p90(transaction.duration)' }, /^aggregate: /],
    ['an aggregate of the wrong dataset', { dataset: 'sessions' as const }, /^aggregate: /],
    ['a query that does not parse', { query: 'transaction:"open' }, /^query: /],
  ])('is an error for %s', (_case, rule, message) => {
    const built = queryFor(record(rule), { start: 0, end: 1 });
    expect(built.ok).toBe(false);
    if (!built.ok) expect(built.error).toMatch(message);
  });
});

describe('compileRule', () => {
  it('compiles a rule text once per app and answers the same result after', () => {
    const rules = createRuleCompiler();
    const rule = { dataset: 'events' as const, aggregate: 'count_unique(user)', query: 'level:fatal' };
    const first = rules.compile(rule);
    expect(first).toMatchObject({ ok: true, aggregate: { fn: 'count_unique', field: 'user' } });
    expect(rules.compile({ ...rule })).toBe(first);
    expect(createRuleCompiler().compile(rule)).not.toBe(first);
  });

  it('keeps rules that differ only in dataset apart', () => {
    const events = compileRule({ dataset: 'events', aggregate: 'count()', query: '' });
    const sessions = compileRule({ dataset: 'sessions', aggregate: 'count()', query: '' });
    expect(events.ok).toBe(true);
    expect(sessions.ok).toBe(false);
  });
});
