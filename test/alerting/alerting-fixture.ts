// A small organization for the evaluator's tests: two projects, one count() rule with a 60 s window (critical
// 100, warning 50, resolve 10) and the imported incident 42; events are written per minute on demand.
import type { TestApp } from '../support/test-app.ts';

export const MINUTE = 60_000;
/** The first tick of every test: a whole minute, well after the imported incident. */
export const T0 = Date.parse('2026-12-01T12:00:00Z');

export const LIVE_RULE = {
  id: 201,
  organizationId: 'acme',
  name: 'Checkout errors (live)',
  dataset: 'events',
  aggregate: 'count()',
  query: 'level:error',
  environment: 'production',
  timeWindow: 60,
  projects: [11],
  thresholdType: 'above',
  resolveThreshold: 10,
  triggers: [
    { id: 2001, label: 'critical', alertThreshold: 100 },
    { id: 2002, label: 'warning', alertThreshold: 50 },
  ],
};

export const IMPORTED_INCIDENT = {
  id: 5001,
  identifier: 42,
  organizationId: 'acme',
  alertRuleId: 201,
  title: 'Checkout errors (live)',
  status: 'critical',
  dateStarted: '2026-11-20T10:00:00Z',
  projects: [11],
  triggers: [{ alertRuleTriggerId: 2001, status: 'active', dateModified: '2026-11-20T10:07:00Z' }],
};

export function alertingDataset(rule: Record<string, unknown> = {}) {
  return {
    version: 1,
    organizations: [{ id: 'acme', name: 'Acme' }],
    installations: [{ platform: 'discord', tenantId: '111122223333444455', organizationId: 'acme' }],
    projects: [
      { id: 11, organizationId: 'acme', slug: 'checkout-api' },
      { id: 12, organizationId: 'acme', slug: 'web-frontend' },
    ],
    alertRules: [{ ...LIVE_RULE, ...rule }],
    incidents: [IMPORTED_INCIDENT],
  };
}

let sequence = 0;

/** `count` production errors of `projectId` inside the minute [start, start + 60 s). */
export async function writeErrors(test: TestApp, start: number, count: number, projectId = 11) {
  const rows = Array.from({ length: count }, (_, i) => ({
    id: `e-${projectId}-${start}-${i}-${sequence++}`,
    timestamp: start + Math.floor((i * MINUTE) / Math.max(count, 1)),
    projectId,
    eventType: 'error' as const,
    environment: 'production',
    level: 'error',
    message: `boom ${i}`,
    user: null,
    release: null,
    transaction: null,
    duration: null,
    status: null,
    tags: {},
  }));
  if (rows.length > 0) await test.store.backend.writeEvents(rows);
}

/** Errors per minute: `counts[k]` inside the window of tick T0 + k minutes (the minute before it). */
export async function writeMinutes(test: TestApp, counts: number[], projectId = 11) {
  for (const [k, count] of counts.entries())
    await writeErrors(test, T0 + k * MINUTE - MINUTE, count, projectId);
}
