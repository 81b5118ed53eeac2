// One transaction for a whole import on the embedded store: the files DuckDB reads itself, the rows JS
// validated and the metadata all commit together or not at all. A process killed mid-import (SIGKILL, power)
// leaves an uncommitted transaction, which DuckDB drops when the file is opened again: the store is as before.
import type { DuckDBConnection } from '@duckdb/node-api';
import type { EventRow, SessionRow } from '../../query/backend.ts';
import type { Database } from './database.ts';
import { upsertRows } from './merge-staging.ts';
import { upsertNdjsonEvents } from './ndjson-events.ts';
import { EVENT_TYPES, eventCells, SESSION_TYPES, sessionCells } from './rows.ts';

export type ImportTransaction = {
  /** Each resolves to how many ids the rows add to their table. */
  upsertNdjsonFile(file: string, digest: string): Promise<number>;
  writeEvents(rows: readonly EventRow[]): Promise<number>;
  writeSessions(rows: readonly SessionRow[]): Promise<number>;
  /** Runs `last` (the metadata) in the same transaction, then commits; rolls back if either fails. */
  commit(last: (connection: DuckDBConnection) => Promise<void>): Promise<void>;
  rollback(): Promise<void>;
};

export async function beginImportTransaction(database: Database): Promise<ImportTransaction> {
  const connection = await database.dedicatedConnection();
  await connection.run('BEGIN TRANSACTION');
  // One connection runs one statement at a time; file loads start while JS still validates, so queue them.
  let tail: Promise<unknown> = Promise.resolve();
  const serially = <T>(work: () => Promise<T>): Promise<T> => {
    const run = tail.then(work, work);
    tail = run.catch(() => undefined);
    return run;
  };
  let finished = false;
  const finish = async (statement: 'COMMIT' | 'ROLLBACK') => {
    if (finished) return;
    finished = true;
    try {
      await connection.run(statement);
    } finally {
      connection.closeSync();
    }
  };
  return {
    upsertNdjsonFile: (file, digest) => serially(() => upsertNdjsonEvents(connection, file, digest)),
    writeEvents: (rows) => serially(() => upsertRows(connection, 'events', rows, EVENT_TYPES, eventCells)),
    writeSessions: (rows) =>
      serially(() => upsertRows(connection, 'sessions', rows, SESSION_TYPES, sessionCells)),
    // Inside the metadata write lane: no other metadata writer commits between our upsert and our commit.
    commit: (last) =>
      serially(() =>
        database.write(async () => {
          try {
            await last(connection);
          } catch (error) {
            await finish('ROLLBACK').catch(() => undefined);
            throw error;
          }
          await finish('COMMIT');
        }),
      ),
    rollback: () => serially(() => finish('ROLLBACK')),
  };
}
