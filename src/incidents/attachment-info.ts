// Builds the neutral incident card from an incident and its metric result (Sentry's incident_attachment_info).
import type { IncidentCard, IncidentSummary } from '../card/model.ts';
import type { MetricResult } from '../query/model.ts';
import type { Incident, Organization } from '../store/dataset.ts';
import type { IncidentRecord } from '../store/repository.ts';
import { latestTrigger } from './metric-count.ts';
import { incidentTitle, STATUS_COLOR, STATUS_LABEL, statusText } from './status-text.ts';
import type { TimeRange } from './time-range.ts';
import { compileRule } from './compiled-rule.ts';

export function incidentLink(publicUrl: string, organizationId: string, identifier: number): string {
  return `${publicUrl}/o/${encodeURIComponent(organizationId)}/incidents/${identifier}`;
}

export function incidentCard(
  record: IncidentRecord,
  metric: MetricResult,
  window: TimeRange,
  options: { publicUrl: string; now: number },
): IncidentCard {
  const { incident, rule } = record;
  const compiled = compileRule(rule);
  const text = compiled.ok
    ? statusText(compiled.aggregate, rule.aggregate, rule.timeWindow, metric)
    : `Metric unavailable (the rule cannot be evaluated: ${compiled.error})`;
  const projects = record.projects.map((project) => project.slug);
  const threshold = firedThreshold(record);
  const duration = formatDuration(
    (incident.dateClosed ? Date.parse(incident.dateClosed) : options.now) - Date.parse(incident.dateStarted),
  );
  return {
    organizationId: incident.organizationId,
    identifier: incident.identifier,
    title: incidentTitle(incident.status, rule.name),
    status: incident.status,
    statusLabel: STATUS_LABEL[incident.status],
    color: STATUS_COLOR[incident.status],
    statusText: text,
    metric: {
      value: metric.ok ? metric.value : null,
      windowStart: new Date(window.start).toISOString(),
      windowEnd: new Date(window.end).toISOString(),
    },
    metricError: metric.ok ? (compiled.ok ? null : 'backend') : metric.reason,
    rule: {
      id: rule.id,
      name: rule.name,
      aggregate: rule.aggregate,
      query: rule.query,
      dataset: rule.dataset,
      timeWindowMinutes: Math.floor(rule.timeWindow / 60),
    },
    threshold,
    projects,
    environment: rule.environment,
    dateStarted: incident.dateStarted,
    dateClosed: incident.dateClosed,
    duration,
    link: incidentLink(options.publicUrl, incident.organizationId, incident.identifier),
    updatedAt: new Date(options.now).toISOString(),
    fields: [
      { label: 'Rule', value: rule.name, inline: true },
      { label: 'Projects', value: projects.join(', ') || 'all projects', inline: true },
      { label: 'Environment', value: rule.environment ?? 'all environments', inline: true },
      { label: 'Started', value: incident.dateStarted, inline: true },
      {
        label: incident.dateClosed ? 'Closed' : 'Duration',
        value: incident.dateClosed ? `${incident.dateClosed} (after ${duration})` : `${duration} so far`,
        inline: true,
      },
      { label: 'Threshold', value: threshold ?? 'none', inline: true },
    ],
  };
}

/** The threshold of the trigger that changed last: that is the one the card's value is compared with. */
function firedThreshold(record: IncidentRecord): string | null {
  const latest = latestTrigger(record);
  const trigger = latest
    ? record.rule.triggers.find((candidate) => candidate.id === latest.alertRuleTriggerId)
    : record.rule.triggers[0];
  if (!trigger) return null;
  return `${record.rule.thresholdType} ${trigger.alertThreshold} (${trigger.label})`;
}

export function formatDuration(ms: number): string {
  const minutes = Math.max(0, Math.floor(ms / 60_000));
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const rest = minutes % 60;
  if (days > 0) return `${days}d ${hours}h`;
  if (hours > 0) return `${hours}h ${rest}m`;
  return `${rest}m`;
}

export function incidentSummary(
  incident: Incident,
  organization: Organization,
  publicUrl: string,
): IncidentSummary {
  return {
    organizationId: organization.id,
    identifier: incident.identifier,
    title: incident.title,
    status: incident.status,
    statusLabel: STATUS_LABEL[incident.status],
    color: STATUS_COLOR[incident.status],
    dateStarted: incident.dateStarted,
    link: incidentLink(publicUrl, organization.id, incident.identifier),
  };
}
