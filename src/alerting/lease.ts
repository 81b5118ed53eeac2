// One evaluator per store. Across processes DuckDB's file lock already refuses a second opener; inside one
// process a second evaluator finds the lease of the first and stops with the reason. A lease left behind by a
// process that is gone (another process token: it cannot hold the file while we do) is taken over at once.
import { randomUUID } from 'node:crypto';
import type { Database } from '../store/duckdb/database.ts';

const PROCESS_TOKEN = `${process.pid}@${Math.round(performance.timeOrigin)}`;

export type Lease = { owner: string; renew(now: number): Promise<LeaseResult>; release(): Promise<void> };
export type LeaseResult = { ok: true } | { ok: false; reason: string };

export function createLease(database: Database, ttlMs: number): Lease {
  const owner = `${PROCESS_TOKEN}/${randomUUID()}`;
  return {
    owner,
    renew: (now) =>
      database.withConnection(async (connection) => {
        await connection.run('BEGIN TRANSACTION');
        try {
          const reader = await connection.runAndReadAll(
            'SELECT owner, expires_ms FROM evaluator_lease WHERE id = 1',
          );
          const [holder, expires] = reader.getRows()[0] ?? [];
          const held =
            holder !== undefined &&
            holder !== owner &&
            String(holder).startsWith(`${PROCESS_TOKEN}/`) &&
            Number(expires) > now;
          if (held) {
            await connection.run('ROLLBACK');
            return {
              ok: false,
              reason: `another alert evaluator in this process holds the store until ${new Date(Number(expires)).toISOString()}`,
            };
          }
          await connection.run('INSERT OR REPLACE INTO evaluator_lease VALUES (1, ?, ?)', [
            owner,
            now + ttlMs,
          ]);
          await connection.run('COMMIT');
          return { ok: true };
        } catch (error) {
          await connection.run('ROLLBACK').catch(() => undefined);
          throw error;
        }
      }),
    release: () =>
      database.withConnection(async (connection) => {
        await connection.run('DELETE FROM evaluator_lease WHERE id = 1 AND owner = ?', [owner]);
      }),
  };
}
