// Hands rows to the write queue and answers: 200 once committed, 429 when the queue is full, 503 when the commit
// failed. Shared by the Sentry and bulk routes.
import type { ServerResponse } from 'node:http';
import type { Logger } from '../log.ts';
import { refuse } from './answer.ts';
import { INGEST_LIMITS } from './limits.ts';
import type { IngestMetrics } from './metrics.ts';
import { eventCount, type Rows, type WriteQueue } from './write-queue.ts';

export type CommitDeps = { queue: WriteQueue; metrics: IngestMetrics; logger: Logger };

/** Resolves true when the rows are stored; otherwise it has answered the request itself. */
export async function commitRows(deps: CommitDeps, rows: Rows, response: ServerResponse): Promise<boolean> {
  const offered = deps.queue.offer(rows);
  if (!offered.ok) {
    const seconds = String(INGEST_LIMITS.retryAfterSeconds);
    // Empty categories mean every category; SDKs stop sending anything for `seconds`.
    refuse(response, 429, 'the write queue is full: retry later', {
      'retry-after': seconds,
      'x-sentry-rate-limits': `${seconds}::organization:queue_full`,
    });
    return false;
  }
  deps.metrics.queued.set(deps.queue.queued);
  try {
    await offered.stored;
  } catch (error) {
    deps.logger.error({ err: error }, 'ingestion commit failed');
    refuse(response, 503, 'could not store the events: retry later', {
      'retry-after': String(INGEST_LIMITS.retryAfterSeconds),
    });
    return false;
  } finally {
    deps.metrics.queued.set(deps.queue.queued);
  }
  deps.metrics.rows.inc({ table: 'events' }, eventCount(rows));
  deps.metrics.rows.inc({ table: 'sessions' }, rows.sessions.length);
  return true;
}
