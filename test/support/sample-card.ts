// A realistic neutral card, as the card service builds it, for renderer tests; override any field to describe
// the situation under test (status drives the title, label and colour unless those are overridden too).
import type { IncidentCard } from '../../src/card/model.ts';
import { STATUS_COLOR, STATUS_LABEL } from '../../src/incidents/status-text.ts';
import type { IncidentStatus } from '../../src/domain.ts';

export function sampleCard(overrides: Partial<IncidentCard> = {}): IncidentCard {
  const status: IncidentStatus = overrides.status ?? 'critical';
  const identifier = overrides.identifier ?? 42;
  return {
    organizationId: 'acme',
    identifier,
    title: `${STATUS_LABEL[status]}: Checkout errors`,
    status,
    statusLabel: STATUS_LABEL[status],
    color: STATUS_COLOR[status],
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
    projects: ['checkout-api'],
    environment: 'production',
    dateStarted: '2026-11-20T10:00:00Z',
    dateClosed: null,
    duration: '10m',
    link: `https://cards.example.com/o/acme/incidents/${identifier}`,
    updatedAt: '2026-11-20T10:10:00.000Z',
    fields: [
      { label: 'Rule', value: 'Checkout errors', inline: true },
      { label: 'Projects', value: 'checkout-api', inline: true },
      { label: 'Environment', value: 'production', inline: true },
      { label: 'Started', value: '2026-11-20T10:00:00Z', inline: true },
      { label: 'Duration', value: '10m so far', inline: true },
      { label: 'Threshold', value: 'above 100 (critical)', inline: true },
    ],
    version: 3,
    acknowledged: null,
    assignee: null,
    snoozedUntil: null,
    recent: [],
    actions: ['acknowledge', 'resolve', 'assign', 'snooze'],
    members: [],
    ...overrides,
  };
}
