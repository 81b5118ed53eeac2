// Group commit: requests hand their rows to one writer; while it commits a batch, the next batch gathers, and each
// request is answered only once the batch holding its rows has committed ("a 200 means stored"). Bounded: past
// `maxQueuedRows` a request is refused at once (the route answers 429) instead of growing memory. A writer that
// orders its commits itself (`prepared`) gets the next batch once the previous one is prepared, while that one
// still commits, so it prepares one batch while committing the other; at most two batches are in its hands.
import type { EventRow, NdjsonEvents, SessionRow } from '../query/backend.ts';

/** What each write resolves to is not used: resolving means committed. */
export type RowWriter = {
  writeEvents(rows: readonly EventRow[]): Promise<unknown>;
  writeSessions(rows: readonly SessionRow[]): Promise<unknown>;
  /** Present when the writer reads NDJSON bodies itself (the embedded store). */
  writeNdjsonEvents?(bodies: readonly NdjsonEvents[]): Promise<unknown>;
  /**
   * Present on a writer that commits its calls one after another in the order they were made, even when a call is
   * made before the previous one has resolved. Resolves (never rejects) once the calls made so far have done what
   * they can before their commit (the DuckDB writer: read the batch into staging); the queue then hands over the
   * next batch, which gathered meanwhile. Without it, a batch is handed over once the previous one has committed.
   */
  prepared?(): Promise<void>;
};

export type Rows = {
  events: readonly EventRow[];
  sessions: readonly SessionRow[];
  /** Only for a writer with writeNdjsonEvents. */
  ndjsonEvents?: readonly NdjsonEvents[];
};

export type Offer = { ok: true; stored: Promise<void> } | { ok: false; reason: 'full' };

export type WriteQueue = {
  offer(rows: Rows): Offer;
  /** Whether offered rows may carry NDJSON bodies (`Rows.ndjsonEvents`). */
  readonly readsNdjson: boolean;
  /** Rows accepted and not yet committed. */
  readonly queued: number;
  /** Resolves when everything offered so far is committed (or failed). */
  drain(): Promise<void>;
};

type Waiting = Rows & { resolve(): void; reject(error: unknown): void };

/** Rows per commit: larger batches wait for the next one, so one commit never holds a request for long. */
const MAX_BATCH_ROWS = 50_000;
/** Batches in a pipelined writer's hands: one committing, the next one prepared or being prepared. */
const MAX_PIPELINED_BATCHES = 2;
/**
 * A pipelined writer's batches are half as large, so it holds no more rows than one batch of a serial writer:
 * a request waits no longer, and the first batch staged after a pause (which nothing overlaps) is shorter. With
 * 64 bodies of 1,000 lines in flight (the ingest bench), batches of up to 50 fell into cycles of 50, 14 and 1
 * bodies, the transaction idle while the 50 came back (166,000–180,000 events/s); of up to 25, into batches of 25
 * (188,000–207,000).
 */
const MAX_PIPELINED_BATCH_ROWS = MAX_BATCH_ROWS / MAX_PIPELINED_BATCHES;
/**
 * Fewer rows than this wait for the commit in flight instead of overlapping it: staging a few dozen rows costs
 * less than the commit the overlap adds. One-event envelopes, 64 in flight, overlapped in batches of ~30 rows:
 * 340 µs of CPU per event instead of 250, 4,700–4,800 events/s instead of 5,400.
 */
const MIN_OVERLAPPED_ROWS = 2_000;

export function createWriteQueue(backend: RowWriter, options: { maxQueuedRows: number }): WriteQueue {
  let waiting: Waiting[] = [];
  let queued = 0;
  const writing = new Set<Promise<void>>();
  const pipelined = backend.prepared !== undefined;
  const maxWriting = pipelined ? MAX_PIPELINED_BATCHES : 1;
  const maxBatchRows = pipelined ? MAX_PIPELINED_BATCH_ROWS : MAX_BATCH_ROWS;
  /** Hand-overs to a pipelined writer, and the last one it has prepared: the next batch gathers until then. */
  let handedOver = 0;
  let prepared = 0;
  /** Rows of the batch committed last, and of the requests not handed over yet. */
  let lastCommitted = 0;
  let waitingRows = 0;
  /**
   * While one batch commits, the next is handed over once it holds as many rows as the last commit did: most of
   * the requests answered by that commit come back at once (a pipeline's next batch). Handed over at the first
   * request instead, it carried that one request while the rest gathered behind it, and every other commit held
   * one request's rows (measured: batches of 1 and 32 bodies). With nothing committing it goes at once.
   */
  const mayHandOver = () =>
    writing.size === 0 ||
    (writing.size < maxWriting &&
      prepared === handedOver &&
      waitingRows >= Math.max(MIN_OVERLAPPED_ROWS, Math.min(lastCommitted, maxBatchRows)));

  const commit = async (batch: readonly Waiting[]) => {
    // Within a batch, the last write of an id wins (a session's later update replaces its earlier one).
    const events = new Map<string, EventRow>();
    const sessions = new Map<string, SessionRow>();
    const bodies: NdjsonEvents[] = [];
    for (const request of batch) {
      for (const row of request.events) events.set(row.id, row);
      for (const row of request.sessions) sessions.set(row.id, row);
      bodies.push(...(request.ndjsonEvents ?? []));
    }
    const writes = [
      events.size > 0 ? () => backend.writeEvents([...events.values()]) : null,
      sessions.size > 0 ? () => backend.writeSessions([...sessions.values()]) : null,
      bodies.length > 0 ? () => backend.writeNdjsonEvents!(bodies) : null,
    ].filter((write) => write !== null);
    if (!pipelined) {
      for (const write of writes) await write();
      return;
    }
    // Every call of this batch is made now, before the next batch's: the writer commits in call order, so a
    // later batch's write of an id comes after this one's. The batch fails if any of its writes failed.
    const settled = await Promise.allSettled(writes.map((write) => write()));
    const failed = settled.find((outcome) => outcome.status === 'rejected');
    if (failed) throw failed.reason;
  };

  const takeBatch = () => {
    let rows = 0;
    let taken = 0;
    while (taken < waiting.length && (taken === 0 || rows + size(waiting[taken]!) <= maxBatchRows)) {
      rows += size(waiting[taken]!);
      taken++;
    }
    const batch = waiting.slice(0, taken);
    waiting = waiting.slice(taken);
    return { batch, rows };
  };

  /** Hands the waiting requests to the writer as batches, while it has room for one. */
  const start = () => {
    while (waiting.length > 0 && mayHandOver()) {
      const { batch, rows } = takeBatch();
      waitingRows -= rows;
      const done: Promise<void> = commit(batch).then(
        () => {
          lastCommitted = rows;
          for (const request of batch) request.resolve();
        },
        (error: unknown) => {
          for (const request of batch) request.reject(error);
        },
      );
      writing.add(done);
      void done.finally(() => {
        queued -= rows;
        writing.delete(done);
        start();
      });
      if (backend.prepared) {
        const handOver = ++handedOver;
        void backend
          .prepared()
          .catch(() => undefined)
          .then(() => {
            prepared = Math.max(prepared, handOver);
            start();
          });
      }
    }
  };

  return {
    offer(rows) {
      const count = size(rows);
      if (queued > 0 && queued + count > options.maxQueuedRows) return { ok: false, reason: 'full' };
      queued += count;
      waitingRows += count;
      const stored = new Promise<void>((resolve, reject) => waiting.push({ ...rows, resolve, reject }));
      start();
      return { ok: true, stored };
    },
    get queued() {
      return queued;
    },
    readsNdjson: backend.writeNdjsonEvents !== undefined,
    async drain() {
      while (writing.size > 0) await Promise.all([...writing]);
    },
  };
}

function size(rows: Rows): number {
  return eventCount(rows) + rows.sessions.length;
}

/** Event rows, an NDJSON body's lines included. */
export function eventCount(rows: Rows): number {
  let count = rows.events.length;
  for (const body of rows.ndjsonEvents ?? []) count += body.lines;
  return count;
}
