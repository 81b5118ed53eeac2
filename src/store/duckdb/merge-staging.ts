// Moves staged rows into their table as an upsert by id: a re-imported id replaces its old row, and rows go in
// time order so that DuckDB's zone maps can skip most of the table for a metric window.
import type { DuckDBConnection } from '@duckdb/node-api';

/** Upserts in a transaction of its own; returns how many ids were new to the table. */
export async function mergeStaging(
  connection: DuckDBConnection,
  table: 'events' | 'sessions',
  staging: string,
): Promise<number> {
  await connection.run('BEGIN TRANSACTION');
  try {
    const added = await upsertStaged(connection, table, staging);
    await connection.run('COMMIT');
    return added;
  } catch (error) {
    await connection.run('ROLLBACK');
    throw error;
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
