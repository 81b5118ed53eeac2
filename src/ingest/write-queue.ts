// Group commit: requests hand their rows to one writer; while it commits a batch, the next batch gathers, and each
// request is answered only once the batch holding its rows has committed ("a 200 means stored"). Bounded: past
// `maxQueuedRows` a request is refused at once (the route answers 429) instead of growing memory.
import type { EventRow, NdjsonEvents, SessionRow } from '../query/backend.ts';

/** What each write resolves to is not used: resolving means committed. */
export type RowWriter = {
  writeEvents(rows: readonly EventRow[]): Promise<unknown>;
  writeSessions(rows: readonly SessionRow[]): Promise<unknown>;
  /** Present when the writer reads NDJSON bodies itself (the embedded store). */
  writeNdjsonEvents?(bodies: readonly NdjsonEvents[]): Promise<unknown>;
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

export function createWriteQueue(backend: RowWriter, options: { maxQueuedRows: number }): WriteQueue {
  let waiting: Waiting[] = [];
  let queued = 0;
  let writing: Promise<void> | null = null;

  const commit = async (batch: Waiting[]) => {
    // Within a batch, the last write of an id wins (a session's later update replaces its earlier one).
    const events = new Map<string, EventRow>();
    const sessions = new Map<string, SessionRow>();
    const bodies: NdjsonEvents[] = [];
    for (const request of batch) {
      for (const row of request.events) events.set(row.id, row);
      for (const row of request.sessions) sessions.set(row.id, row);
      bodies.push(...(request.ndjsonEvents ?? []));
    }
    if (events.size > 0) await backend.writeEvents([...events.values()]);
    if (sessions.size > 0) await backend.writeSessions([...sessions.values()]);
    if (bodies.length > 0) await backend.writeNdjsonEvents!(bodies);
  };

  const run = async () => {
    while (waiting.length > 0) {
      let rows = 0;
      let taken = 0;
      while (taken < waiting.length && (taken === 0 || rows + size(waiting[taken]!) <= MAX_BATCH_ROWS)) {
        rows += size(waiting[taken]!);
        taken++;
      }
      const batch = waiting.slice(0, taken);
      waiting = waiting.slice(taken);
      try {
        await commit(batch);
        for (const request of batch) request.resolve();
      } catch (error) {
        for (const request of batch) request.reject(error);
      } finally {
        queued -= rows;
      }
    }
    writing = null;
  };

  return {
    offer(rows) {
      const count = size(rows);
      if (queued > 0 && queued + count > options.maxQueuedRows) return { ok: false, reason: 'full' };
      queued += count;
      const stored = new Promise<void>((resolve, reject) => waiting.push({ ...rows, resolve, reject }));
      writing ??= run();
      return { ok: true, stored };
    },
    get queued() {
      return queued;
    },
    readsNdjson: backend.writeNdjsonEvents !== undefined,
    async drain() {
      while (writing) await writing;
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
