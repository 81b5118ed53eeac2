// A stable identity for a metric query: equal queries get equal keys, whatever order their parts came in.
import type { Query } from './model.ts';

export function queryKey(query: Query): string {
  return JSON.stringify([
    query.kind === 'series' ? query.intervalMs : 'value',
    query.dataset,
    query.aggregate,
    query.filter,
    [...query.projectIds].sort((a, b) => a - b),
    query.environment,
    query.start,
    query.end,
  ]);
}
