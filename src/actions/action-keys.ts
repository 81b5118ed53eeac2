// Idempotency of card actions: the platform's delivery id is stored with the change it made, in the same
// transaction, so a retried or double-clicked delivery finds it and changes nothing.
import type { DuckDBConnection } from '@duckdb/node-api';

export async function seenActionKey(connection: DuckDBConnection, key: string): Promise<boolean> {
  const reader = await connection.runAndReadAll('SELECT 1 FROM incident_action_keys WHERE request_key = ?', [
    key,
  ]);
  return reader.getRows().length > 0;
}

export async function recordActionKey(
  connection: DuckDBConnection,
  key: string,
  incidentId: number,
  version: number,
  at: string,
): Promise<void> {
  await connection.run('INSERT INTO incident_action_keys VALUES (?, ?, ?, ?)', [
    key,
    incidentId,
    version,
    at,
  ]);
}
