// The demo dataset: deterministic, realistic, and every incident's window really shows what its rule alerts on.
// Metrics are recomputed here from the rows, independently of how the generator planted them.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { DEMO_TENANTS, type DemoDataset, generateDemo } from '../../demo/generate.ts';
import type { EventRow, SessionRow } from '../../src/query/backend.ts';
import type { AlertRule, Incident } from '../../src/domain.ts';
import { Dataset } from '../../src/store/dataset.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const NOW = Date.UTC(2026, 10, 20, 10); // a Friday, rounded down to the hour as the CLI passes it
const EVENTS = 50_000;

function rowsOf(demo: DemoDataset): { events: EventRow[]; sessions: SessionRow[] } {
  return { events: [...demo.eventBatches(7_000)].flat(), sessions: [...demo.sessionBatches(7_000)].flat() };
}

function digest(demo: DemoDataset): string {
  const hash = createHash('sha256').update(JSON.stringify(demo.metadata));
  for (const batch of demo.eventBatches()) hash.update(JSON.stringify(batch));
  for (const batch of demo.sessionBatches()) hash.update(JSON.stringify(batch));
  return hash.digest('hex');
}

const demo = generateDemo({ seed: 42, events: EVENTS, now: NOW });
const { events, sessions } = rowsOf(demo);
const { metadata } = demo;
const ruleById = new Map(metadata.alertRules.map((rule) => [rule.id, rule]));

describe('generateDemo: determinism and shape', () => {
  it('gives identical output for the same seed, events and now, and different rows for another seed', () => {
    const again = digest(generateDemo({ seed: 42, events: EVENTS, now: NOW }));
    expect(again).toBe(digest(demo));
    expect(digest(generateDemo({ seed: 43, events: EVENTS, now: NOW }))).not.toBe(again);
  });

  it('yields exactly the requested events, ascending, inside [now - 14 days, now), with stable ids', () => {
    expect(events).toHaveLength(EVENTS);
    expect(demo.counts.events).toBe(EVENTS);
    expect(isAscending(events)).toBe(true);
    expect(events[0]!.timestamp).toBeGreaterThanOrEqual(NOW - 14 * DAY);
    expect(events.at(-1)!.timestamp).toBeLessThan(NOW);
    expect(events[123]!.id).toBe('demo-42-123');
    expect(new Set(events.map((e) => e.id)).size).toBe(EVENTS);
  });

  it('yields about one session per five events, ascending and inside the period', () => {
    expect(sessions).toHaveLength(demo.counts.sessions);
    expect(sessions.length).toBe(EVENTS / 5);
    expect(isAscending(sessions)).toBe(true);
    expect(sessions[0]!.timestamp).toBeGreaterThanOrEqual(NOW - 14 * DAY);
    expect(sessions.at(-1)!.timestamp).toBeLessThan(NOW);
    const quantity = sessions.reduce((sum, s) => sum + s.quantity, 0);
    const crashed = sessions.filter((s) => s.status === 'crashed').reduce((sum, s) => sum + s.quantity, 0);
    expect(crashed / quantity).toBeGreaterThan(0);
    expect(crashed / quantity).toBeLessThan(0.02);
  });

  it('squeezes the story into a shorter period', () => {
    const short = generateDemo({ seed: 1, events: 20_000, now: NOW, days: 2 });
    const rows = rowsOf(short);
    expect(rows.events).toHaveLength(20_000);
    expect(rows.events[0]!.timestamp).toBeGreaterThanOrEqual(NOW - 2 * DAY);
    expect(short.incidentsBacked).toBe(true);
    for (const incident of short.metadata.incidents) {
      expect(Date.parse(incident.dateStarted)).toBeGreaterThan(NOW - 2 * DAY);
      expect(Date.parse(incident.dateClosed ?? incident.dateStarted)).toBeLessThan(NOW);
    }
  });

  it('keeps the incidents but drops their spikes when there are too few events to show them', () => {
    expect(demo.incidentsBacked).toBe(true);
    const tiny = generateDemo({ seed: 1, events: 1_000, now: NOW });
    expect(tiny.incidentsBacked).toBe(false);
    expect(rowsOf(tiny).events).toHaveLength(1_000);
    expect(tiny.metadata.incidents).toHaveLength(metadata.incidents.length);
    const empty = generateDemo({ seed: 1, events: 0, now: NOW });
    expect(rowsOf(empty)).toEqual({ events: [], sessions: [] });
  });

  it.each([
    { seed: 1.5, events: 10, now: NOW },
    { seed: 1, events: -1, now: NOW },
    { seed: 1, events: 10, now: Number.NaN },
    { seed: 1, events: 10, now: NOW, days: 0 },
  ])('rejects bad options %o', (options) => {
    expect(() => generateDemo(options)).toThrow(RangeError);
  });

  it('normalizes rows as the store expects', () => {
    const isTransaction = (e: EventRow) => e.transaction !== null && e.duration !== null;
    expect(events.filter((e) => (e.eventType === 'transaction') !== isTransaction(e))).toEqual([]);
    expect(events.every((e) => Number.isInteger(e.timestamp) && e.tags !== null)).toBe(true);
  });
});

describe('generateDemo: metadata', () => {
  it('is a valid dataset with three organizations and their Discord and Teams tenants', () => {
    expect(Dataset.parse(metadata)).toEqual(metadata);
    expect(metadata.events).toEqual([]);
    expect(metadata.sessions).toEqual([]);
    expect(metadata.organizations.map((o) => o.id)).toEqual(['acme', 'globex', 'initech']);
    for (const [org, tenant] of Object.entries(DEMO_TENANTS)) {
      expect(tenant.discordGuildId).toMatch(/^[1-9]\d{16,18}$/);
      expect(tenant.teamsTenantId).toMatch(
        /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
      );
      expect(metadata.installations).toContainEqual({
        platform: 'discord',
        tenantId: tenant.discordGuildId,
        organizationId: org,
      });
      expect(metadata.installations).toContainEqual({
        platform: 'teams',
        tenantId: tenant.teamsTenantId,
        organizationId: org,
      });
    }
    for (const org of metadata.organizations) {
      const projects = metadata.projects.filter((p) => p.organizationId === org.id);
      expect(projects.length).toBeGreaterThanOrEqual(2);
      expect(projects.length).toBeLessThanOrEqual(4);
    }
  });

  it('uses every aggregate of the dataset format, each on a fitting dataset', () => {
    const aggregates = new Set(
      metadata.alertRules.map((r) => r.aggregate.replace(/^apdex\(\d+\)$/, 'apdex(<ms>)')),
    );
    expect([...aggregates].sort()).toEqual(
      [
        'count()',
        'count_unique(user)',
        'avg(transaction.duration)',
        'p50(transaction.duration)',
        'p75(transaction.duration)',
        'p95(transaction.duration)',
        'p99(transaction.duration)',
        'failure_rate()',
        'apdex(<ms>)',
        'percentage(sessions_crashed, sessions) AS _crash_rate_alert_aggregate',
        'percentage(users_crashed, users) AS _crash_rate_alert_aggregate',
      ].sort(),
    );
    for (const rule of metadata.alertRules) {
      const kind = aggregateKind(rule.aggregate);
      if (kind === 'crash_sessions' || kind === 'crash_users') expect(rule.dataset).toBe('sessions');
      else if (kind === 'count' || kind === 'count_unique') expect(rule.dataset).toBe('events');
      else expect(rule.dataset).toBe('transactions');
      expect(rule.timeWindow).toBeGreaterThanOrEqual(60);
      expect(rule.timeWindow).toBeLessThanOrEqual(3600);
    }
    expect(metadata.alertRules.some((r) => r.environment === null)).toBe(true);
    expect(new Set(metadata.alertRules.map((r) => r.timeWindow)).size).toBeGreaterThanOrEqual(5);
  });

  it('has incidents in every status, numbered 1..n per organization', () => {
    expect(new Set(metadata.incidents.map((i) => i.status))).toEqual(
      new Set(['open', 'warning', 'critical', 'resolved']),
    );
    expect(metadata.incidents.some((i) => i.triggers.length === 0)).toBe(true);
    expect(metadata.incidents.filter((i) => i.triggers.length > 0).length).toBeGreaterThan(
      metadata.incidents.length / 2,
    );
    for (const org of metadata.organizations) {
      const identifiers = metadata.incidents
        .filter((i) => i.organizationId === org.id)
        .map((i) => i.identifier);
      expect(identifiers.length).toBeGreaterThanOrEqual(6);
      expect([...identifiers].sort((a, b) => a - b)).toEqual(identifiers.map((_, i) => i + 1));
    }
    expect(new Set(metadata.incidents.map((i) => i.id)).size).toBe(metadata.incidents.length);
  });

  it('has ongoing incidents from the last hours and resolved ones from days ago', () => {
    for (const incident of metadata.incidents) {
      const started = Date.parse(incident.dateStarted);
      if (incident.status === 'resolved') {
        expect(incident.dateClosed).not.toBeNull();
        expect(
          incident.triggers.every((t) => t.status === 'resolved' && t.dateModified === incident.dateClosed),
        ).toBe(true);
        expect(Date.parse(incident.dateClosed!)).toBeLessThan(NOW);
      } else {
        expect(incident.dateClosed).toBeNull();
        expect(NOW - started).toBeLessThan(6 * HOUR);
        expect(incident.triggers.every((t) => t.status === 'active')).toBe(true);
      }
      for (const trigger of incident.triggers) {
        expect(Date.parse(trigger.dateModified)).toBeGreaterThan(NOW - 14 * DAY);
        expect(Date.parse(trigger.dateModified)).toBeLessThan(NOW);
      }
    }
    expect(
      metadata.incidents.some((i) => i.status === 'resolved' && NOW - Date.parse(i.dateStarted) > 7 * DAY),
    ).toBe(true);
  });
});

describe('generateDemo: realistic traffic', () => {
  it('mixes about two thirds transactions with errors of every level', () => {
    const transactions = events.filter((e) => e.eventType === 'transaction');
    expect(transactions.length / EVENTS).toBeGreaterThan(0.6);
    expect(transactions.length / EVENTS).toBeLessThan(0.7);
    const levels = new Set(events.filter((e) => e.eventType === 'error').map((e) => e.level));
    expect(levels).toEqual(new Set(['error', 'warning', 'fatal', 'info']));
    const statuses = new Set(transactions.map((e) => e.status));
    for (const status of ['ok', 'internal_error', 'deadline_exceeded', 'cancelled', 'unknown']) {
      expect(statuses).toContain(status);
    }
    expect(events.filter((e) => e.environment === 'production').length / EVENTS).toBeGreaterThan(0.8);
    expect(events.some((e) => e.environment === 'staging')).toBe(true);
    expect(events.some((e) => e.tags['browser.name'] === 'Chrome')).toBe(true);
    expect(events.some((e) => e.tags.region !== undefined)).toBe(true);
  });

  it('is busier in the organization’s daytime than at night, and on weekdays than at weekends', () => {
    // Medians of hourly counts, so an incident's burst at night does not count as daytime traffic.
    const offsets: Record<string, number> = { acme: -5, globex: 1, initech: 9 };
    const orgOf = new Map(metadata.projects.map((p) => [p.id, p.organizationId]));
    const start = NOW - 14 * DAY;
    for (const [org, offset] of Object.entries(offsets)) {
      const perHour = new Array<number>(14 * 24).fill(0);
      for (const e of events)
        if (orgOf.get(e.projectId) === org) perHour[Math.floor((e.timestamp - start) / HOUR)]!++;
      const groups = {
        day: [] as number[],
        night: [] as number[],
        weekday: [] as number[],
        weekend: [] as number[],
      };
      perHour.forEach((count, h) => {
        const local = new Date(start + h * HOUR + offset * HOUR);
        const hour = local.getUTCHours();
        const weekend = local.getUTCDay() === 0 || local.getUTCDay() === 6;
        if (hour >= 12 && hour < 18) groups[weekend ? 'weekend' : 'weekday'].push(count);
        if (!weekend && hour >= 12 && hour < 18) groups.day.push(count);
        if (!weekend && hour >= 1 && hour < 6) groups.night.push(count);
      });
      expect(median(groups.day), org).toBeGreaterThan(3 * median(groups.night));
      expect(median(groups.weekday), org).toBeGreaterThan(1.3 * median(groups.weekend));
    }
  });

  it('rolls several releases out per project and has a few heavy users', () => {
    for (const project of metadata.projects) {
      const releases = new Set(events.filter((e) => e.projectId === project.id).map((e) => e.release));
      expect(releases.size).toBeGreaterThanOrEqual(4);
    }
    const byUser = new Map<string, number>();
    for (const e of events) if (e.user) byUser.set(e.user, (byUser.get(e.user) ?? 0) + 1);
    const counts = [...byUser.values()].sort((a, b) => b - a);
    const top = counts.slice(0, Math.ceil(counts.length / 100)).reduce((a, b) => a + b, 0);
    expect(top / counts.reduce((a, b) => a + b, 0)).toBeGreaterThan(0.05);
    expect([...byUser.keys()].every((u) => /^u-\d+$/.test(u))).toBe(true);
  });

  it('draws transaction durations from a long-tailed distribution', () => {
    const pay = events.filter((e) => e.transaction === '/checkout/pay' && e.eventType === 'transaction');
    const durations = pay.map((e) => e.duration!).sort((a, b) => a - b);
    const median = durations[Math.floor(durations.length / 2)]!;
    const p99 = durations[Math.floor(durations.length * 0.99)]!;
    expect(median).toBeGreaterThan(100);
    expect(p99 / median).toBeGreaterThan(2);
  });
});

describe('generateDemo: every incident is backed by its data', () => {
  const cases = metadata.incidents.map((incident) => ({
    name: `${incident.organizationId}#${incident.identifier} ${incident.status} ${incident.title}`,
    incident,
  }));

  it.each(cases)('$name', ({ incident }) => {
    const rule = ruleById.get(incident.alertRuleId)!;
    const thresholdOf = (label: string) => rule.triggers.find((t) => t.label === label)!.alertThreshold;
    const measure = (end: number) => metric(rule, end - rule.timeWindow * 1000, end);

    const started = Date.parse(incident.dateStarted);
    for (const trigger of incident.triggers.filter((t) => t.status === 'active')) {
      const label = rule.triggers.find((t) => t.id === trigger.alertRuleTriggerId)!.label;
      const value = measure(Date.parse(trigger.dateModified));
      expect(crosses(rule, value, thresholdOf(label)), `${label} at ${trigger.dateModified}: ${value}`).toBe(
        true,
      );
    }
    if (incident.status === 'warning') {
      const value = measure(Date.parse(incident.triggers[0]!.dateModified));
      expect(crosses(rule, value, thresholdOf('critical')), `below critical: ${value}`).toBe(false);
    }
    if (incident.status === 'resolved' || incident.status === 'open') {
      const value = measure(started);
      expect(crosses(rule, value, thresholdOf('warning')), `at start: ${value}`).toBe(true);
    }
    if (incident.status === 'resolved') {
      const value = measure(Date.parse(incident.dateClosed!));
      const resolveAt = rule.resolveThreshold ?? thresholdOf('warning');
      expect(crosses(rule, value, resolveAt), `at close: ${value} vs ${resolveAt}`).toBe(false);
    }
    if (rule.dataset === 'events') {
      const peak = incident.triggers.find((t) => t.status === 'active')?.dateModified ?? incident.dateStarted;
      expectSpikeOverMedian(rule, incident, Date.parse(peak));
    }
  });
});

describe('generateDemo: size', () => {
  it('generates a million events', () => {
    const big = generateDemo({ seed: 7, events: 1_000_000, now: NOW });
    let count = 0;
    let last = 0;
    for (const batch of big.eventBatches(50_000)) {
      count += batch.length;
      last = batch.at(-1)!.timestamp;
    }
    expect(count).toBe(1_000_000);
    expect(last).toBeLessThan(NOW);
  });
});

// --- independent metric evaluation -------------------------------------------------------------------

type Kind =
  | 'count'
  | 'count_unique'
  | 'avg'
  | 'percentile'
  | 'failure_rate'
  | 'apdex'
  | 'crash_sessions'
  | 'crash_users';

function aggregateKind(aggregate: string): Kind {
  if (aggregate === 'count()') return 'count';
  if (aggregate === 'count_unique(user)') return 'count_unique';
  if (aggregate === 'avg(transaction.duration)') return 'avg';
  if (/^p(50|75|95|99)\(transaction\.duration\)$/.test(aggregate)) return 'percentile';
  if (aggregate === 'failure_rate()') return 'failure_rate';
  if (/^apdex\(\d+\)$/.test(aggregate)) return 'apdex';
  if (aggregate.startsWith('percentage(sessions_crashed')) return 'crash_sessions';
  if (aggregate.startsWith('percentage(users_crashed')) return 'crash_users';
  throw new Error(`unknown aggregate ${aggregate}`);
}

function isAscending(rows: readonly { timestamp: number }[]): boolean {
  return rows.every((row, i) => i === 0 || row.timestamp >= rows[i - 1]!.timestamp);
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function crosses(rule: AlertRule, value: number, threshold: number): boolean {
  return rule.thresholdType === 'above' ? value > threshold : value < threshold;
}

/** First index with timestamp >= t. */
function lowerBound(rows: readonly { timestamp: number }[], t: number): number {
  let low = 0;
  let high = rows.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (rows[mid]!.timestamp < t) low = mid + 1;
    else high = mid;
  }
  return low;
}

function windowOf<T extends { timestamp: number }>(rows: readonly T[], start: number, end: number): T[] {
  return rows.slice(lowerBound(rows, start), lowerBound(rows, end));
}

function metric(rule: AlertRule, start: number, end: number): number {
  const kind = aggregateKind(rule.aggregate);
  const inScope = (row: { projectId: number; environment: string | null }) =>
    rule.projects.includes(row.projectId) &&
    (rule.environment === null || row.environment === rule.environment);
  if (rule.dataset === 'sessions') {
    const rows = windowOf(sessions, start, end).filter(inScope);
    if (kind === 'crash_sessions') {
      const total = rows.reduce((sum, s) => sum + s.quantity, 0);
      const crashed = rows.filter((s) => s.status === 'crashed').reduce((sum, s) => sum + s.quantity, 0);
      return 100 * (1 - crashed / total);
    }
    const users = new Set(rows.map((s) => s.user));
    const crashedUsers = new Set(rows.filter((s) => s.status === 'crashed').map((s) => s.user));
    return 100 * (1 - crashedUsers.size / users.size);
  }
  const eventType = rule.dataset === 'events' ? 'error' : 'transaction';
  const rows = windowOf(events, start, end).filter(
    (e) => e.eventType === eventType && inScope(e) && matchesQuery(e, rule.query),
  );
  const durations = rows.map((e) => e.duration!).sort((a, b) => a - b);
  switch (kind) {
    case 'count':
      return rows.length;
    case 'count_unique':
      return new Set(rows.filter((e) => e.user !== null).map((e) => e.user)).size;
    case 'avg':
      return durations.reduce((a, b) => a + b, 0) / durations.length;
    case 'percentile': {
      const p = Number(/^p(\d+)/.exec(rule.aggregate)![1]) / 100;
      return durations[Math.min(durations.length - 1, Math.ceil(p * durations.length) - 1)]!;
    }
    case 'failure_rate':
      return rows.filter((e) => !['ok', 'cancelled', 'unknown'].includes(e.status!)).length / rows.length;
    case 'apdex': {
      const t = Number(/\d+/.exec(rule.aggregate)![0]);
      const satisfied = durations.filter((d) => d <= t).length;
      const tolerating = durations.filter((d) => d > t && d <= 4 * t).length;
      return (satisfied + tolerating / 2) / durations.length;
    }
    default:
      throw new Error(`${kind} is not an event aggregate`);
  }
}

/** The rule's events in the window before `end` are far above its median window. */
function expectSpikeOverMedian(rule: AlertRule, incident: Incident, end: number): void {
  const bucket = rule.timeWindow * 1000;
  const mine = events.filter(
    (e) =>
      e.eventType === 'error' &&
      rule.projects.includes(e.projectId) &&
      (rule.environment === null || e.environment === rule.environment) &&
      matchesQuery(e, rule.query),
  );
  const counts = new Array<number>(Math.ceil((14 * DAY) / bucket)).fill(0);
  for (const e of mine) counts[Math.floor((NOW - 1 - e.timestamp) / bucket)]!++;
  const typical = median(counts);
  const recent = windowOf(mine, end - bucket, end).length;
  expect(
    recent,
    `${incident.organizationId}#${incident.identifier}: ${recent} vs median ${typical}`,
  ).toBeGreaterThan(5 * Math.max(1, typical));
}

// A small matcher for the search terms the demo's rules use (docs/dataset-format.md): key:value, !key:value,
// key:"quoted", key:[a,b], * wildcards and has:key, implicitly ANDed. Anything else fails the test.
const TERM = /(!?)([\w.]+):(\[[^\]]*\]|"[^"]*"|\S+)/g;

function matchesQuery(event: EventRow, query: string): boolean {
  if (query.replace(TERM, '').trim() !== '') throw new Error(`unsupported query in the demo: ${query}`);
  for (const [, bang, key, raw] of query.matchAll(TERM)) {
    const negated = bang === '!';
    if (key === 'has') {
      if ((field(event, raw!) != null) === negated) return false;
      continue;
    }
    const values = raw!.startsWith('[') ? raw!.slice(1, -1).split(',') : [raw!.replace(/^"|"$/g, '')];
    const value = field(event, key!);
    const hit = value != null && values.some((v) => wildcard(v).test(String(value)));
    if (hit === negated) return false;
  }
  return true;
}

function field(event: EventRow, key: string): string | number | null | undefined {
  switch (key) {
    case 'level':
    case 'message':
    case 'user':
    case 'release':
    case 'transaction':
    case 'environment':
    case 'status':
      return event[key];
    case 'event.type':
      return event.eventType;
    case 'transaction.duration':
      return event.duration;
    default:
      return event.tags[key];
  }
}

function wildcard(pattern: string): RegExp {
  return new RegExp(
    `^${pattern
      .split('*')
      .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*')}$`,
  );
}
