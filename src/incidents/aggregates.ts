// The incident query builder: an incident, its compiled rule and a window become one backend-neutral metric
// query (Sentry's get_incident_aggregates → build_incident_query_builder).
import type { CompiledRule } from '../query/compile-rule.ts';
import type { MetricQuery } from '../query/model.ts';
import type { IncidentRecord } from '../repository.ts';
import type { TimeRange } from './time-range.ts';

export function incidentAggregateQuery(
  record: IncidentRecord,
  rule: Extract<CompiledRule, { ok: true }>,
  range: TimeRange,
): MetricQuery {
  // record.projects is already narrowed to the organization (the incident's, else the rule's, else all of them):
  // a query never reaches another tenant's events.
  const projectIds = record.projects.map((project) => project.id);
  return {
    dataset: record.rule.dataset,
    aggregate: rule.aggregate,
    filter: rule.filter,
    projectIds: [...projectIds].sort((a, b) => a - b),
    environment: record.rule.environment,
    start: range.start,
    end: range.end,
  };
}
