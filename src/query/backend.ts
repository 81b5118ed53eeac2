// The interface every event store implements (DuckDB embedded, ClickHouse distributed).
import type { AnswerOf, Query } from './model.ts';

/** An event as stored: normalized at import, times in epoch milliseconds. */
export type EventRow = {
  id: string;
  timestamp: number;
  projectId: number;
  /** 'transaction' when the event has both a transaction and a duration (docs/dataset-format.md), else 'error'. */
  eventType: 'error' | 'transaction';
  environment: string | null;
  level: string | null;
  message: string | null;
  user: string | null;
  release: string | null;
  transaction: string | null;
  duration: number | null;
  status: string | null;
  tags: Record<string, string>;
};

export type SessionRow = {
  id: string;
  timestamp: number;
  projectId: number;
  environment: string | null;
  release: string | null;
  user: string | null;
  status: 'ok' | 'exited' | 'errored' | 'crashed' | 'abnormal';
  quantity: number;
};

/** An NDJSON body of events already validated line by line, for a writer that reads NDJSON itself. */
export type NdjsonEvents = {
  text: Buffer;
  /** The body's digest (store/import/normalize.ts): a line without `id` is `<digest>:<ordinal>`. */
  digest: string;
  lines: number;
};

export type BackendName = 'duckdb' | 'clickhouse';

/** The backend refused new work because too much already waits for it: the card degrades, nothing queues up. */
export class BackendBusy extends Error {
  override readonly name = 'BackendBusy';
}

export interface QueryBackend {
  readonly name: BackendName;
  /**
   * Whether the bulk runner should put each scan's queries (one table, projects and environment) side by side in
   * its batches. ClickHouse reads a scan of many windows as one GROUP BY (clickhouse/buckets.ts): a tick of 10,000
   * rules took 3.7 s so, 21 s with each batch holding a few queries of every scan. DuckDB's shared scan evaluates
   * every query's FILTER on every row of the span, so hundreds of windows in one scan cost it more (47 s against
   * 15 s).
   */
  readonly batchesByScan: boolean;
  /**
   * Runs metric queries in as few statements as the backend allows and returns their values in input order
   * (a number or null per metric value, one array per series).
   * Throws when the statement fails as a whole; the bulk runner then isolates the failing query.
   * Must stop work (or at least stop waiting) when `signal` aborts.
   */
  runMetrics<Q extends Query>(queries: readonly Q[], signal: AbortSignal): Promise<AnswerOf<Q>[]>;
  /** Upserts by id: writing the same rows twice stores them once. Returns how many rows were new. */
  writeEvents(rows: readonly EventRow[]): Promise<number>;
  writeSessions(rows: readonly SessionRow[]): Promise<number>;
  /**
   * After a bulk load (import, demo): reorganizes what the load wrote for reading. Returns how many pieces were
   * merged; never throws (the rows are stored either way).
   */
  compact(): Promise<number>;
  /** Counts stored rows (readiness, demo-on-empty, import reports). */
  countEvents(): Promise<number>;
  /** Resolves when the backend answers a trivial query; rejects with the reason otherwise. */
  check(signal: AbortSignal): Promise<void>;
  close(): Promise<void>;
}
