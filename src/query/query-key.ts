// A stable identity for a metric query: equal queries get equal keys, whatever order their parts came in.
import type { MetricQuery } from './model.ts';

export function queryKey(query: MetricQuery): string {
  return JSON.stringify([
    query.dataset,
    query.aggregate,
    query.filter,
    [...query.projectIds].sort((a, b) => a - b),
    query.environment,
    query.start,
    query.end,
  ]);
}
