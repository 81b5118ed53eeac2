// The embedded event store: DuckDB in the same file as the metadata (QUERY_BACKEND=duckdb, the default).
import { BIGINT, DOUBLE, DuckDBDataChunk, type DuckDBType, INTEGER, VARCHAR } from '@duckdb/node-api';
import type { Database } from './database.ts';
import { mergeStaging } from './merge-staging.ts';
import type { QueryBackend, SessionRow } from '../../query/backend.ts';
import type { MetricQuery, MetricValue } from '../../query/model.ts';
import { compileBatch } from './sql.ts';
import { createStatementCache } from './statements.ts';

const EVENT_TYPES: DuckDBType[] = [
  VARCHAR,
  BIGINT,
  BIGINT,
  VARCHAR,
  VARCHAR,
  VARCHAR,
  VARCHAR,
  VARCHAR,
  VARCHAR,
  VARCHAR,
  DOUBLE,
  VARCHAR,
  VARCHAR,
];
const SESSION_TYPES: DuckDBType[] = [VARCHAR, BIGINT, BIGINT, VARCHAR, VARCHAR, VARCHAR, VARCHAR, INTEGER];
const CHUNK = 2048;

export function createDuckDbBackend(database: Database): QueryBackend {
  const preparedStatements = createStatementCache();
  return {
    name: 'duckdb',

    async runMetrics(queries: readonly MetricQuery[], signal: AbortSignal): Promise<MetricValue[]> {
      if (queries.length === 0) return [];
      const { sql, params } = compileBatch(queries);
      return database.withConnection(async (connection) => {
        // Abandoned while it waited for this connection: the caller has its answer, the work is dropped.
        signal.throwIfAborted();
        const onAbort = () => connection.interrupt();
        signal.addEventListener('abort', onAbort, { once: true });
        try {
          const prepared = await preparedStatements.get(connection, sql);
          prepared.bind(params);
          const reader = await prepared.runAndReadAll();
          const values: MetricValue[] = new Array(queries.length).fill(null);
          for (const [qi, value] of reader.getRows()) values[Number(qi)] = toNumber(value);
          return values;
        } finally {
          signal.removeEventListener('abort', onAbort);
        }
      }, signal);
    },

    writeEvents: (rows) =>
      mergeThroughStaging(database, 'events', rows, EVENT_TYPES, (row) => [
        row.id,
        BigInt(row.timestamp),
        BigInt(row.projectId),
        row.eventType,
        row.environment,
        row.level,
        row.message,
        row.user,
        row.release,
        row.transaction,
        row.duration,
        row.status,
        Object.keys(row.tags).length > 0 ? JSON.stringify(row.tags) : null,
      ]),

    writeSessions: (rows) =>
      mergeThroughStaging(database, 'sessions', rows, SESSION_TYPES, (row: SessionRow) => [
        row.id,
        BigInt(row.timestamp),
        BigInt(row.projectId),
        row.environment,
        row.release,
        row.user,
        row.status,
        row.quantity,
      ]),

    // Loads append whole row groups in time order, already in the form queries read.
    compact: async () => 0,

    countEvents: () =>
      database.withConnection(async (connection) => {
        const reader = await connection.runAndReadAll('SELECT count(*) FROM events');
        return Number(reader.getRows()[0]?.[0] ?? 0);
      }),

    check: (signal) =>
      database.withConnection(async (connection) => {
        await connection.run('SELECT 1');
      }, signal),

    async close() {
      // The database is closed by its owner (the store), which also holds the metadata.
    },
  };
}

type Cell = string | number | bigint | null;

/** Appends rows column by column into a temporary table, then merges them in (see merge-staging.ts). */
async function mergeThroughStaging<Row>(
  database: Database,
  table: 'events' | 'sessions',
  rows: readonly Row[],
  types: DuckDBType[],
  toCells: (row: Row) => Cell[],
): Promise<number> {
  if (rows.length === 0) return 0;
  return database.withConnection(async (connection) => {
    const staging = `staging_${table}`;
    await connection.run(`CREATE OR REPLACE TEMP TABLE ${staging} AS SELECT * FROM ${table} LIMIT 0`);
    const appender = await connection.createAppender(staging, 'main', 'temp');
    for (let start = 0; start < rows.length; start += CHUNK) {
      const count = Math.min(CHUNK, rows.length - start);
      const columns: Cell[][] = types.map(() => new Array<Cell>(count));
      for (let offset = 0; offset < count; offset++) {
        const cells = toCells(rows[start + offset]!);
        for (let column = 0; column < cells.length; column++) columns[column]![offset] = cells[column]!;
      }
      const chunk = DuckDBDataChunk.create(types, count);
      chunk.setColumns(columns);
      appender.appendDataChunk(chunk);
    }
    appender.closeSync();
    const added = await mergeStaging(connection, table, staging);
    await connection.run(`DROP TABLE ${staging}`);
    return added;
  });
}

function toNumber(value: unknown): MetricValue {
  if (value === null || value === undefined) return null;
  const number = Number(value);
  return Number.isFinite(number) ? number : null;
}
