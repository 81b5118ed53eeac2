// Splits a mixed batch into its metric values and its series, each remembering its place in the batch: the
// backends compile the two kinds into different statements and put the answers back in batch order.
import type { MetricQuery, Query, SeriesQuery } from './model.ts';

export type Placed<Q> = { query: Q; index: number };

export function splitByKind(queries: readonly Query[]): {
  values: Placed<MetricQuery>[];
  series: Placed<SeriesQuery>[];
} {
  const values: Placed<MetricQuery>[] = [];
  const series: Placed<SeriesQuery>[] = [];
  queries.forEach((query, index) => {
    if (query.kind === 'series') series.push({ query, index });
    else values.push({ query, index });
  });
  return { values, series };
}
