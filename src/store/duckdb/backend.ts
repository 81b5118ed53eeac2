// The embedded event store: DuckDB in the same file as the metadata (QUERY_BACKEND=duckdb, the default).
import type { QueryBackend } from '../../query/backend.ts';
import { type Answer, type AnswerOf, fillSeries, type MetricValue, type Query } from '../../query/model.ts';
import { splitByKind } from '../../query/split-by-kind.ts';
import type { Database } from './database.ts';
import { mergeRows } from './merge-staging.ts';
import { EVENT_TYPES, eventCells, SESSION_TYPES, sessionCells } from './rows.ts';
import { compileBatch, compileSeriesBatch, type Statement } from './sql.ts';
import { createStatementCache } from './statements.ts';

export function createDuckDbBackend(database: Database): QueryBackend {
  const preparedStatements = createStatementCache();
  return {
    name: 'duckdb',
    batchesByScan: false,

    async runMetrics<Q extends Query>(queries: readonly Q[], signal: AbortSignal): Promise<AnswerOf<Q>[]> {
      if (queries.length === 0) return [];
      const { values, series } = splitByKind(queries);
      return database.withConnection(async (connection) => {
        // Abandoned while it waited for this connection: the caller has its answer, the work is dropped.
        signal.throwIfAborted();
        const onAbort = () => connection.interrupt();
        signal.addEventListener('abort', onAbort, { once: true });
        try {
          const run = async ({ sql, params }: Statement) => {
            const prepared = await preparedStatements.get(connection, sql);
            prepared.bind(params);
            return (await prepared.runAndReadAll()).getRows();
          };
          const answers: Answer[] = new Array(queries.length).fill(null);
          if (values.length > 0) {
            for (const [qi, value] of await run(compileBatch(values.map(({ query }) => query)))) {
              answers[values[Number(qi)]!.index] = toNumber(value);
            }
          }
          if (series.length > 0) {
            const rows = await run(compileSeriesBatch(series.map(({ query }) => query)));
            const bySeries = series.map((): [number, MetricValue][] => []);
            for (const [qi, interval, value] of rows)
              bySeries[Number(qi)]!.push([Number(interval), toNumber(value)]);
            series.forEach(({ query, index }, qi) => {
              answers[index] = fillSeries(query, bySeries[qi]!);
            });
          }
          return answers as AnswerOf<Q>[];
        } finally {
          signal.removeEventListener('abort', onAbort);
        }
      }, signal);
    },

    writeEvents: (rows) =>
      database.withConnection((c) => mergeRows(c, 'events', rows, EVENT_TYPES, eventCells)),

    writeSessions: (rows) =>
      database.withConnection((c) => mergeRows(c, 'sessions', rows, SESSION_TYPES, sessionCells)),

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

function toNumber(value: unknown): MetricValue {
  if (value === null || value === undefined) return null;
  const number = Number(value);
  return Number.isFinite(number) ? number : null;
}
