// The embedded store's writer for live ingestion: many small commits (one per group-commit batch), so the fixed
// cost of each matters more than in a bulk import. It keeps one connection with its staging tables, and looks for
// ids to replace only within the batch's projects and a day either side of its time span: a re-sent event or a
// session's next update carries the same (or a close) time, and scanning every stored id on each commit would make
// a commit's cost grow with the whole table instead of with the day's rows.
import { type DuckDBConnection, DuckDBDataChunk } from '@duckdb/node-api';
import type { EventRow, SessionRow } from '../../query/backend.ts';
import { EVENT_TYPES, eventCells, SESSION_TYPES, sessionCells } from './rows.ts';
import type { Database } from './database.ts';

export type IngestWriter = {
  writeEvents(rows: readonly EventRow[]): Promise<number>;
  writeSessions(rows: readonly SessionRow[]): Promise<number>;
  close(): void;
};

type Row = { id: string; timestamp: number; projectId: number };

/** How far from a batch's times an id it carries is looked for. */
export const REPLACE_WITHIN_MS = 86_400_000;
const CHUNK_ROWS = 2_048;

export function createIngestWriter(database: Database): IngestWriter {
  let connection: Promise<DuckDBConnection> | null = null;
  const open = () => {
    connection ??= (async () => {
      const opened = await database.dedicatedConnection();
      await opened.run('CREATE TEMP TABLE ingest_events AS SELECT * FROM events LIMIT 0');
      await opened.run('CREATE TEMP TABLE ingest_sessions AS SELECT * FROM sessions LIMIT 0');
      return opened;
    })();
    return connection;
  };

  /** Rows must have distinct ids (the write queue keeps the last write of each). */
  async function write<T extends Row>(
    table: 'events' | 'sessions',
    rows: readonly T[],
    types: typeof EVENT_TYPES,
    toCells: (row: T) => unknown[],
  ): Promise<number> {
    if (rows.length === 0) return 0;
    const db = await open();
    const staging = `ingest_${table}`;
    await db.run(`DELETE FROM ${staging}`);
    const appender = await db.createAppender(staging, 'main', 'temp');
    let min = Number.POSITIVE_INFINITY;
    let max = Number.NEGATIVE_INFINITY;
    const projects = new Set<number>();
    // A DuckDB data chunk holds at most 2,048 rows.
    for (let start = 0; start < rows.length; start += CHUNK_ROWS) {
      const count = Math.min(CHUNK_ROWS, rows.length - start);
      const columns: unknown[][] = types.map(() => new Array(count));
      for (let offset = 0; offset < count; offset++) {
        const row = rows[start + offset]!;
        const cells = toCells(row);
        for (let column = 0; column < cells.length; column++) columns[column]![offset] = cells[column];
        if (row.timestamp < min) min = row.timestamp;
        if (row.timestamp > max) max = row.timestamp;
        projects.add(row.projectId);
      }
      const chunk = DuckDBDataChunk.create(types, count);
      chunk.setColumns(columns as never);
      appender.appendDataChunk(chunk);
    }
    appender.closeSync();
    const span = `project_id IN (${[...projects].map((id) => Math.trunc(id)).join(', ')}) AND ts BETWEEN ${Math.trunc(min - REPLACE_WITHIN_MS)} AND ${Math.trunc(max + REPLACE_WITHIN_MS)}`;
    await db.run('BEGIN TRANSACTION');
    try {
      const deleted = await db.runAndReadAll(
        `DELETE FROM ${table} WHERE ${span} AND id IN (SELECT id FROM ${staging})`,
      );
      await db.run(`INSERT INTO ${table} SELECT * FROM ${staging} ORDER BY ts`);
      await db.run('COMMIT');
      return rows.length - Number(deleted.getRows()[0]?.[0] ?? 0);
    } catch (error) {
      await db.run('ROLLBACK').catch(() => undefined);
      throw error;
    }
  }

  return {
    writeEvents: (rows) => write('events', rows, EVENT_TYPES, eventCells),
    writeSessions: (rows) => write('sessions', rows, SESSION_TYPES, sessionCells),
    close() {
      void connection?.then((opened) => opened.closeSync()).catch(() => undefined);
      connection = null;
    },
  };
}
