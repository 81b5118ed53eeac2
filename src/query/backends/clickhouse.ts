// The distributed event store (QUERY_BACKEND=clickhouse): ClickHouse over its HTTP interface. A batch of metric
// queries is one statement and one HTTP round trip; the schema is created on first use and again after a failed
// attempt, so a server that was down at start (or restarted empty) is picked up without restarting the bot.
import { DEFAULT_RETENTION_DAYS } from '../../domain.ts';
import type { Logger } from '../../log.ts';
import { within } from '../../within.ts';
import type { EventRow, QueryBackend, SessionRow } from '../backend.ts';
import type { Answer, AnswerOf, Query } from '../model.ts';
import { splitByKind } from '../split-by-kind.ts';
import { bucketScans } from './clickhouse/buckets.ts';
import { compileScans, compileSeries, compileStatements } from './clickhouse/compile.ts';
import { decodeBatch, decodeSeries } from './clickhouse/decode.ts';
import { ClickHouseError, createClickHouseHttp, type Settings } from './clickhouse/http.ts';
import { EVENTS, SESSIONS, type Target, writeNew } from './clickhouse/ingest.ts';
import { compactDays } from './clickhouse/compact.ts';
import { dayOf } from './clickhouse/escape.ts';
import { literalsFor, type Params } from './clickhouse/literals.ts';
import { dropExpiredDays } from './clickhouse/retention.ts';
import { type Connect, createSchema, type Schema } from './clickhouse/schema.ts';

export type ClickHouseBackendOptions = {
  url: string;
  database: string;
  user?: string;
  password?: string;
  /** A cluster from the server's remote_servers: shard-local tables everywhere, Distributed tables to query. */
  cluster?: string;
  /** Per-query time limit: the server's max_execution_time, on top of the caller's abort signal. */
  timeoutMs: number;
  logger?: Logger;
  /** Days rows are kept after their date (default DEFAULT_RETENTION_DAYS; 0 keeps them forever). */
  retentionDays?: number;
  /** HTTP URLs of the cluster's servers when they cannot be derived from system.clusters (schema.ts). */
  shardUrls?: readonly string[];
  /** How to reach a server; by default ClickHouse's HTTP interface (tests run an engine in-process instead). */
  connect?: Connect;
};

const RETENTION_EVERY_MS = 3_600_000;
const STARTUP_WAIT_MS = 2_000;
const UNKNOWN_TABLE = 60;
const UNKNOWN_DATABASE = 81;

export async function createClickHouseBackend(options: ClickHouseBackendOptions): Promise<QueryBackend> {
  const logger = options.logger;
  const retentionDays = options.retentionDays ?? DEFAULT_RETENTION_DAYS;
  const connect: Connect =
    options.connect ??
    ((url) =>
      createClickHouseHttp({
        url,
        user: options.user,
        password: options.password,
        defaultTimeoutMs: 30_000,
      }));
  const http = connect(options.url);
  const maxExecutionSeconds = Math.max(1, Math.ceil(options.timeoutMs / 1000));

  let schema: Promise<Schema> | null = null;
  function ready(): Promise<Schema> {
    schema ??= createSchema(http, { ...options, retentionDays }, connect).then(
      (created) => {
        logger?.info(
          {
            version: created.version,
            database: options.database,
            cluster: options.cluster ?? null,
            ttl: created.ttl,
            parameters: created.features.parameters,
          },
          'clickhouse schema ready',
        );
        maybeDropExpired(created);
        return created;
      },
      (error: unknown) => {
        schema = null;
        throw error;
      },
    );
    return schema;
  }

  // Writes are serialized: each checks which ids exist before inserting, and two overlapping writes must not
  // both find the same new id absent.
  let writes: Promise<unknown> = Promise.resolve();
  function serialized<T>(work: () => Promise<T>): Promise<T> {
    const result = writes.then(work, work);
    writes = result.catch(() => undefined);
    return result;
  }

  let lastRetention = 0;
  function maybeDropExpired(current: Schema) {
    if (current.ttl || retentionDays <= 0 || Date.now() - lastRetention < RETENTION_EVERY_MS) return;
    lastRetention = Date.now();
    dropExpiredDays(current, options.database, retentionDays, connect).then(
      (dropped) => dropped > 0 && logger?.info({ dropped, retentionDays }, 'dropped expired day partitions'),
      (error: unknown) => logger?.warn({ err: error }, 'could not drop expired day partitions'),
    );
  }

  /** A server restarted without its data loses the tables: forget the schema so the next call recreates it. */
  function forgetSchemaIfGone(error: unknown): never {
    if (
      error instanceof ClickHouseError &&
      (error.code === UNKNOWN_TABLE || error.code === UNKNOWN_DATABASE)
    ) {
      schema = null;
    }
    throw error;
  }

  /** The span of times written since the last compaction: the day partitions a bulk load touched. */
  let loadedSpan: { from: number; to: number } | null = null;
  function noteLoaded(rows: readonly (EventRow | SessionRow)[]) {
    let from = loadedSpan?.from ?? Number.POSITIVE_INFINITY;
    let to = loadedSpan?.to ?? Number.NEGATIVE_INFINITY;
    for (const row of rows) {
      if (row.timestamp < from) from = row.timestamp;
      if (row.timestamp > to) to = row.timestamp;
    }
    loadedSpan = { from, to };
  }

  async function write<T extends EventRow | SessionRow>(
    rows: readonly T[],
    target: Target<T>,
  ): Promise<number> {
    if (rows.length === 0) return 0;
    noteLoaded(rows);
    const current = await ready();
    // Synchronous distributed inserts: the rows are on their shards when the call returns, so the next write's
    // id check (and the next query) sees them.
    const settings: Settings = current.distributed ? { insert_distributed_sync: 1 } : {};
    const table = target.table === 'events' ? current.tables.events : current.tables.sessions;
    const written = await serialized(() =>
      writeNew(http, table, target, rows, settings, literalsFor(current.features)),
    ).catch(forgetSchemaIfGone);
    maybeDropExpired(current);
    return written;
  }

  // Try once now so a misconfiguration shows in the log at start; a server that is down must not stop the bot.
  // …but only briefly: a server that accepts and never answers must not hold the start-up for the HTTP timeout.
  const first = await within(
    ready().catch((error: unknown) =>
      logger?.warn({ err: error, url: http.url }, 'clickhouse not ready yet; will retry on first use'),
    ),
    STARTUP_WAIT_MS,
  );
  if (first.kind === 'late')
    logger?.warn({ url: http.url }, `clickhouse did not answer within ${STARTUP_WAIT_MS} ms; serving anyway`);

  return {
    name: 'clickhouse',
    batchesByScan: true,

    async runMetrics<Q extends Query>(queries: readonly Q[], signal: AbortSignal): Promise<AnswerOf<Q>[]> {
      if (queries.length === 0) return [];
      const current = await untilAborted(ready(), signal);
      const { values, series } = splitByKind(queries);
      const literals = literalsFor(current.features);
      const query = (sql: string, params: Params) =>
        http
          .query(sql, {
            signal,
            idempotent: true,
            // Abandoned by the runner (timeout, client gone): KILL QUERY by its query_id, not just a closed socket.
            cancelOnAbort: true,
            params,
            settings: {
              max_execution_time: maxExecutionSeconds,
              // wait_end_of_query: an error during execution becomes an HTTP error status, not a 200 with a
              // torn body.
              wait_end_of_query: 1,
              max_query_size: Math.max(262_144, Buffer.byteLength(sql) + 1_024),
              // Cards read the same recent granules over and over: keep them decompressed.
              use_uncompressed_cache: 1,
            },
          })
          .catch(forgetSchemaIfGone);
      const answers: Answer[] = new Array(queries.length).fill(null);
      const buckets = bucketScans(
        values.map((placed) => placed.query),
        current.tables,
        literals,
      );
      const rest = buckets.rest.map((position) => values[position]!);
      const compile = current.features.statementPerScan ? compileScans : compileStatements;
      const valueStatements =
        rest.length > 0
          ? compile(
              rest.map((placed) => placed.query),
              current.tables,
              literals,
            )
          : [];
      // The series and bucket scans run beside the values (one statement each, in parallel over the HTTP pool).
      await Promise.all([
        ...valueStatements.map(async ({ count, sql, params, indexes }) => {
          decodeBatch(await query(sql, params), count).forEach((value, position) => {
            answers[rest[indexes[position]!]!.index] = value;
          });
        }),
        ...buckets.scans.map(async (scan) => {
          scan.decode(await query(scan.sql, scan.params)).forEach((value, position) => {
            answers[values[scan.indexes[position]!]!.index] = value;
          });
        }),
        ...series.map(async (placed, qi) => {
          const { sql, params } = compileSeries(placed.query, qi, current.tables, literals());
          answers[placed.index] = decodeSeries(await query(sql, params), placed.query, qi);
        }),
      ]);
      return answers as AnswerOf<Q>[];
    },

    writeEvents: (rows) => write(rows, EVENTS),
    writeSessions: (rows) => write(rows, SESSIONS),

    async compact(): Promise<number> {
      const span = loadedSpan;
      if (span === null) return 0;
      loadedSpan = null;
      try {
        const current = await ready();
        const days = { from: dayOf(span.from), to: dayOf(span.to) };
        logger?.info(days, 'compacting the day partitions a load wrote (about a second per million rows)');
        const merged = await serialized(() => compactDays(current, options.database, days, connect));
        logger?.info({ ...days, merged }, 'compacted the day partitions a load wrote');
        return merged;
      } catch (error) {
        // The rows are stored either way; unmerged parts only make reads slower until background merges catch up.
        logger?.warn({ err: error }, 'could not compact the day partitions a load wrote');
        return 0;
      }
    },

    async countEvents(): Promise<number> {
      const current = await ready();
      const text = await http
        .query(`SELECT count() FROM ${current.tables.events}`, { idempotent: true })
        .catch(forgetSchemaIfGone);
      const count = Number(text.trim());
      if (!Number.isSafeInteger(count)) throw new Error(`unexpected answer to count(): ${text.slice(0, 80)}`);
      return count;
    },

    async check(signal: AbortSignal): Promise<void> {
      await untilAborted(ready(), signal);
      const text = await http.query('SELECT 1', { signal, idempotent: true });
      if (text.trim() !== '1')
        throw new Error(`${http.url} answered "${text.slice(0, 80).trim()}" to SELECT 1`);
    },

    async close(): Promise<void> {
      await http.close();
    },
  };
}

/** Stops waiting (without cancelling the shared work) when the caller's signal aborts. */
function untilAborted<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(abortError(signal));
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(abortError(signal));
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

function abortError(signal: AbortSignal): Error {
  return signal.reason instanceof Error ? signal.reason : new Error('aborted');
}
