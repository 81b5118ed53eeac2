// Where an import writes. The embedded store takes everything in one transaction (duckdb/import-transaction.ts):
// an import stopped at any point leaves the store as before. ClickHouse has no transaction across inserts: its
// rows go first and the metadata last, so a stopped import leaves rows that no incident refers to yet, and running
// it again replaces them (ids are upserted) — docs/clickhouse.md says so.
import { beginImportTransaction, type ImportTransaction } from '../duckdb/import-transaction.ts';
import type { Store } from '../store.ts';

/** What an import writes through. `readsFiles`: the backend reads an NDJSON events file itself; else JS hands it rows. */
export type ImportWriter = ImportTransaction & { readsFiles: boolean };

export async function openImportWriter(store: Store): Promise<ImportWriter> {
  if (store.backend.name === 'duckdb') {
    return { readsFiles: true, ...(await beginImportTransaction(store.database)) };
  }
  const { backend, database } = store;
  let wroteRows = false;
  return {
    readsFiles: false,
    upsertNdjsonFile: () => Promise.reject(new Error(`the ${backend.name} backend does not read files`)),
    writeEvents: (rows) => {
      wroteRows ||= rows.length > 0;
      return backend.writeEvents(rows);
    },
    writeSessions: (rows) => {
      wroteRows ||= rows.length > 0;
      return backend.writeSessions(rows);
    },
    async commit(last) {
      if (wroteRows) await backend.compact();
      await database.write(async (connection) => {
        await connection.run('BEGIN TRANSACTION');
        try {
          await last(connection);
          await connection.run('COMMIT');
        } catch (error) {
          await connection.run('ROLLBACK');
          throw error;
        }
      });
    },
    rollback: async () => undefined,
  };
}
