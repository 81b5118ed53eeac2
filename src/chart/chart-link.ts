// Where a card's chart lives: a signed `/o/<org>/incidents/<identifier>/chart.png` URL that changes with the
// incident's state and the minute, so chat clients never show a stale cached picture after a refresh.
import { createHash } from 'node:crypto';
import { DEFAULT_EXPIRY_MS, type UrlSigner } from '../http/signed-url.ts';
import type { IncidentRecord } from '../repository.ts';
import { chartMinute } from './series.ts';

export function chartPath(organizationId: string, identifier: number): string {
  return `/o/${encodeURIComponent(organizationId)}/incidents/${identifier}/chart.png`;
}

/** Everything the picture depends on besides the events: status, span, triggers, thresholds, the rule. */
export function chartState(record: IncidentRecord): string {
  const { incident, rule } = record;
  return createHash('sha256')
    .update(
      JSON.stringify([
        incident.status,
        incident.dateStarted,
        incident.dateClosed,
        incident.triggers,
        rule.aggregate,
        rule.query,
        rule.dataset,
        rule.environment,
        rule.timeWindow,
        rule.triggers,
        rule.resolveThreshold,
        record.projects.map((project) => project.id),
      ]),
    )
    .digest('base64url')
    .slice(0, 12);
}

export type ChartLinks = { url(record: IncidentRecord, now: number): string };

export function createChartLinks(options: { publicUrl: string; signer: UrlSigner }): ChartLinks {
  return {
    url(record, now) {
      const minute = chartMinute(now);
      // The expiry counts from the minute, not the millisecond: every card of a minute shares one URL.
      const path = options.signer.signedPath(
        chartPath(record.incident.organizationId, record.incident.identifier),
        minute + DEFAULT_EXPIRY_MS,
        { v: chartState(record) },
      );
      return `${options.publicUrl}${path}`;
    },
  };
}
