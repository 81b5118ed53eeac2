// Which queries of a batch may share one scan: those that read the same table for the same projects and
// environment, whatever their aggregate, search, event type and window (an alerting tick asks hundreds of such
// questions per project), and only while their windows lie close together. Both backends compile a cluster into
// one read of the span its windows cover, each query one aggregate over the rows its own window, event type and
// search select: the per-statement work, not the rows, is what a tick of small windows pays for.
import type { MetricQuery } from './model.ts';

/** The batch's query indexes in clusters; a cluster of one is read on its own. */
export function sharedScans(queries: readonly MetricQuery[]): number[][] {
  const groups = new Map<string, number[]>();
  queries.forEach((query, index) => {
    const key = scanKey(query);
    const group = groups.get(key);
    if (group) group.push(index);
    else groups.set(key, [index]);
  });
  return [...groups.values()].flatMap((indexes) => nearbyWindows(queries, indexes));
}

/**
 * The queries' indexes with each scan's queries side by side (series too, by the same key): a long list split into
 * batches then gives each batch whole scans instead of a few queries of every scan.
 */
export function scanOrder(queries: readonly ScanShape[]): number[] {
  const keys = queries.map(scanKey);
  return queries
    .map((_, index) => index)
    .sort((a, b) =>
      keys[a]! < keys[b]! ? -1 : keys[a]! > keys[b]! ? 1 : queries[a]!.start - queries[b]!.start,
    );
}

type ScanShape = Pick<MetricQuery, 'dataset' | 'projectIds' | 'environment' | 'start'>;

/** What the scan itself reads: the table, the projects and the environment. */
function scanKey(query: ScanShape): string {
  return JSON.stringify([query.dataset === 'sessions', query.projectIds, query.environment]);
}

/**
 * Splits one scan's queries into clusters whose windows lie close together. A shared scan reads the whole span
 * of its cluster, so windows hours apart would cost more together than apart: a cluster grows only while its
 * span stays within twice the sum of its windows.
 */
function nearbyWindows(queries: readonly MetricQuery[], indexes: number[]): number[][] {
  const sorted = [...indexes].sort((a, b) => queries[a]!.start - queries[b]!.start);
  const clusters: number[][] = [];
  let current: number[] = [];
  let start = 0;
  let end = 0;
  let covered = 0;
  for (const index of sorted) {
    const query = queries[index]!;
    const length = query.end - query.start;
    const span = Math.max(end, query.end) - start;
    if (current.length > 0 && span <= 2 * (covered + length)) {
      current.push(index);
      end = Math.max(end, query.end);
      covered += length;
      continue;
    }
    if (current.length > 0) clusters.push(current);
    current = [index];
    start = query.start;
    end = query.end;
    covered = length;
  }
  if (current.length > 0) clusters.push(current);
  return clusters;
}
