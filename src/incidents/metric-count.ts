// Which window the card's "current value" is computed over (Sentry's get_metric_count_from_incident).
import type { IncidentRecord } from '../repository.ts';
import { incidentTimeRange, type TimeRange } from './time-range.ts';

/**
 * Sentry measures from the last trigger change, not the incident start: the card shows the value that made the
 * alert fire (or resolve), which is what the on-call person is asking about. Without triggers it falls back to
 * the whole incident range.
 */
export function metricCountWindow(record: IncidentRecord, now: number): TimeRange {
  const input = { incident: record.incident, rule: record.rule, organization: record.organization, now };
  const latest = latestTrigger(record);
  if (!latest) return incidentTimeRange(input);
  const end = Date.parse(latest.dateModified);
  return incidentTimeRange(input, { start: end - record.rule.timeWindow * 1000, end });
}

export function latestTrigger(record: IncidentRecord) {
  let latest: IncidentRecord['incident']['triggers'][number] | undefined;
  for (const trigger of record.incident.triggers) {
    if (!latest || Date.parse(trigger.dateModified) > Date.parse(latest.dateModified)) latest = trigger;
  }
  return latest;
}
