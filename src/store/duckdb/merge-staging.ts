// Moves staged rows into their table as an upsert by id: a re-imported id replaces its old row, and rows go in
// time order so that DuckDB's zone maps can skip most of the table for a metric window.
import {
  type DuckDBAppender,
  type DuckDBConnection,
  DuckDBDataChunk,
  type DuckDBType,
} from '@duckdb/node-api';
import type { Cell } from './rows.ts';

/** A DuckDB data chunk holds at most 2,048 rows. */
const CHUNK_ROWS = 2048;

/** `upsertRows` in a transaction of its own. */
export async function mergeRows<Row>(
  connection: DuckDBConnection,
  table: 'events' | 'sessions',
  rows: readonly Row[],
  types: DuckDBType[],
  toCells: (row: Row) => Cell[],
): Promise<number> {
  if (rows.length === 0) return 0;
  await connection.run('BEGIN TRANSACTION');
  try {
    const added = await upsertRows(connection, table, rows, types, toCells);
    await connection.run('COMMIT');
    return added;
  } catch (error) {
    await connection.run('ROLLBACK');
    throw error;
  }
}

/** Stages the rows and upserts them, inside the caller's transaction; returns how many ids were new to the table. */
export async function upsertRows<Row>(
  connection: DuckDBConnection,
  table: 'events' | 'sessions',
  rows: readonly Row[],
  types: DuckDBType[],
  toCells: (row: Row) => Cell[],
): Promise<number> {
  if (rows.length === 0) return 0;
  const staging = await stageRows(connection, table, rows, types, toCells);
  const added = await upsertStaged(connection, table, staging);
  await connection.run(`DROP TABLE ${staging}`);
  return added;
}

/** Appends rows column by column into a fresh temporary table shaped like `table`; returns its name. */
async function stageRows<Row>(
  connection: DuckDBConnection,
  table: 'events' | 'sessions',
  rows: readonly Row[],
  types: DuckDBType[],
  toCells: (row: Row) => Cell[],
): Promise<string> {
  const staging = `staging_${table}`;
  await connection.run(`CREATE OR REPLACE TEMP TABLE ${staging} AS SELECT * FROM ${table} LIMIT 0`);
  const appender = await connection.createAppender(staging, 'main', 'temp');
  appendRows(appender, rows, types, toCells);
  appender.closeSync();
  return staging;
}

/** Appends rows column by column, a data chunk at a time (the appender still holds them until flushed). */
export function appendRows<Row>(
  appender: DuckDBAppender,
  rows: readonly Row[],
  types: DuckDBType[],
  toCells: (row: Row) => Cell[],
): void {
  for (let start = 0; start < rows.length; start += CHUNK_ROWS) {
    const count = Math.min(CHUNK_ROWS, rows.length - start);
    const columns: Cell[][] = types.map(() => new Array<Cell>(count));
    for (let offset = 0; offset < count; offset++) {
      const cells = toCells(rows[start + offset]!);
      for (let column = 0; column < cells.length; column++) columns[column]![offset] = cells[column]!;
    }
    const chunk = DuckDBDataChunk.create(types, count);
    chunk.setColumns(columns);
    appender.appendDataChunk(chunk);
  }
}

/** The upsert itself, inside the caller's transaction. */
export async function upsertStaged(
  connection: DuckDBConnection,
  table: 'events' | 'sessions',
  staging: string,
): Promise<number> {
  const duplicates = await connection.runAndReadAll(`SELECT count(*) - count(DISTINCT id) FROM ${staging}`);
  const source =
    Number(duplicates.getRows()[0]?.[0] ?? 0) > 0
      ? `(SELECT * FROM ${staging} QUALIFY row_number() OVER (PARTITION BY id ORDER BY ts DESC) = 1)`
      : staging;
  const deleted = await connection.runAndReadAll(
    `DELETE FROM ${table} WHERE id IN (SELECT id FROM ${staging})`,
  );
  const inserted = await connection.runAndReadAll(`INSERT INTO ${table} SELECT * FROM ${source} ORDER BY ts`);
  return Number(inserted.getRows()[0]?.[0] ?? 0) - Number(deleted.getRows()[0]?.[0] ?? 0);
}
