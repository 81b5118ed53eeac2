// Writes imported incidents beside the evaluated ones. An import carries a version (default 1); it replaces a
// stored incident only when its version is not older, so re-importing a dataset never undoes what the
// evaluator (or a person) changed since: each such change bumps the stored version.
import type { DuckDBConnection } from '@duckdb/node-api';
import type { Incident } from '../domain.ts';

const CHUNK = 500;

export async function upsertImportedIncidents(
  connection: DuckDBConnection,
  incidents: readonly Incident[],
): Promise<void> {
  for (let i = 0; i < incidents.length; i += CHUNK) {
    const rows = incidents.slice(i, i + CHUNK);
    await connection.run(
      `INSERT INTO incidents (id, body, version) VALUES ${rows.map(() => '(?, ?, ?)').join(', ')}
       ON CONFLICT (id) DO UPDATE SET body = excluded.body, version = excluded.version
       WHERE excluded.version >= incidents.version`,
      rows.flatMap((incident) => [incident.id, JSON.stringify(incident), incident.version ?? 1]),
    );
  }
}
