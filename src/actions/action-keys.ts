// Idempotency of card actions: the platform's delivery id is stored with the change it made, in the same
// transaction, so a retried or double-clicked delivery finds it and changes nothing.
import type { DuckDBConnection } from '@duckdb/node-api';

export async function readActionKeys(
  connection: DuckDBConnection,
  keys: readonly string[],
): Promise<Set<string>> {
  if (keys.length === 0) return new Set();
  const reader = await connection.runAndReadAll(
    `SELECT request_key FROM incident_action_keys WHERE request_key IN (${keys.map(() => '?').join(', ')})`,
    [...keys],
  );
  return new Set(reader.getRows().map(([key]) => String(key)));
}

export async function recordActionKeys(
  connection: DuckDBConnection,
  rows: readonly { key: string; incidentId: number; version: number; at: string }[],
): Promise<void> {
  if (rows.length === 0) return;
  await connection.run(
    `INSERT INTO incident_action_keys VALUES ${rows.map(() => '(?, ?, ?, ?)').join(', ')}`,
    rows.flatMap((row) => [row.key, row.incidentId, row.version, row.at]),
  );
}
