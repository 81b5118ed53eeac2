// The incident query builder: an incident, its rule and a window become one backend-neutral metric query
// (Sentry's get_incident_aggregates → build_incident_query_builder).
import type { MetricQuery } from '../query/model.ts';
import type { IncidentRecord } from '../store/repository.ts';
import { compileRule } from './compiled-rule.ts';
import type { TimeRange } from './time-range.ts';

export type IncidentQuery = { ok: true; query: MetricQuery } | { ok: false; error: string };

export function incidentAggregateQuery(record: IncidentRecord, range: TimeRange): IncidentQuery {
  const compiled = compileRule(record.rule);
  if (!compiled.ok) return compiled;
  // record.projects is already narrowed to the organization (the incident's, else the rule's, else all of them):
  // a query never reaches another tenant's events.
  const projectIds = record.projects.map((project) => project.id);
  return {
    ok: true,
    query: {
      dataset: record.rule.dataset,
      aggregate: compiled.aggregate,
      filter: compiled.filter,
      projectIds: [...projectIds].sort((a, b) => a - b),
      environment: record.rule.environment,
      start: range.start,
      end: range.end,
    },
  };
}
