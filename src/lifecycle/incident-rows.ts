// Incident rows and their activity log in the DuckDB metadata file. Every update is a compare-and-set on the
// row's version, so a writer that read an older state fails instead of overwriting a newer one.
import type { DuckDBConnection } from '@duckdb/node-api';
import { Incident } from '../domain.ts';
import { Activity } from './activity.ts';

export type VersionedIncident = { incident: Incident; version: number };

export class VersionConflict extends Error {
  constructor(readonly incidentId: number) {
    super(`incident ${incidentId} changed since it was read`);
  }
}

export async function readIncident(
  connection: DuckDBConnection,
  incidentId: number,
): Promise<VersionedIncident | null> {
  const reader = await connection.runAndReadAll('SELECT body, version FROM incidents WHERE id = ?', [
    incidentId,
  ]);
  const row = reader.getRows()[0];
  return row ? toVersioned(row) : null;
}

/** Every incident that is not resolved (imported or evaluated): few, whatever the history's size. */
export async function readOpenIncidents(connection: DuckDBConnection): Promise<VersionedIncident[]> {
  const reader = await connection.runAndReadAll(
    `SELECT body, version FROM incidents WHERE json_extract_string(body, '$.status') <> 'resolved'`,
  );
  return reader.getRows().map(toVersioned);
}

function toVersioned(row: unknown[]): VersionedIncident {
  const version = Number(row[1] ?? 1);
  return { incident: { ...Incident.parse(JSON.parse(String(row[0]))), version }, version };
}

export async function insertIncident(connection: DuckDBConnection, incident: Incident): Promise<void> {
  await connection.run('INSERT INTO incidents (id, body, version) VALUES (?, ?, 1)', [
    incident.id,
    JSON.stringify({ ...incident, version: 1 }),
  ]);
}

/** Writes `incident` as version `expected + 1` if the stored row still has version `expected`. */
export async function updateIncident(
  connection: DuckDBConnection,
  incident: Incident,
  expected: number,
): Promise<number> {
  const version = expected + 1;
  const result = await connection.run(
    'UPDATE incidents SET body = ?, version = ? WHERE id = ? AND version = ?',
    [JSON.stringify({ ...incident, version }), version, incident.id, expected],
  );
  if (result.rowsChanged !== 1) throw new VersionConflict(incident.id);
  return version;
}

/** The next free incident id (global) and identifier (per organization), imported incidents included. */
export async function nextIncidentNumbers(
  connection: DuckDBConnection,
  organizationId: string,
): Promise<{ id: number; identifier: number }> {
  const reader = await connection.runAndReadAll(
    `SELECT (SELECT coalesce(max(id), 0) FROM incidents),
            (SELECT coalesce(max(json_extract(body, '$.identifier')::BIGINT), 0) FROM incidents
              WHERE json_extract_string(body, '$.organizationId') = ?)`,
    [organizationId],
  );
  const [id, identifier] = reader.getRows()[0] ?? [0, 0];
  return { id: Number(id) + 1, identifier: Number(identifier) + 1 };
}

export async function appendActivity(
  connection: DuckDBConnection,
  incidentId: number,
  entries: readonly Activity[],
): Promise<void> {
  if (entries.length === 0) return;
  const reader = await connection.runAndReadAll(
    'SELECT coalesce(max(seq), -1) FROM incident_activity WHERE incident_id = ?',
    [incidentId],
  );
  const first = Number(reader.getRows()[0]?.[0] ?? -1) + 1;
  await connection.run(
    `INSERT INTO incident_activity (incident_id, seq, body) VALUES ${entries.map(() => '(?, ?, ?)').join(', ')}`,
    entries.flatMap((entry, index) => [incidentId, first + index, JSON.stringify(entry)]),
  );
}

export async function readActivity(connection: DuckDBConnection, incidentId: number): Promise<Activity[]> {
  const reader = await connection.runAndReadAll(
    'SELECT body FROM incident_activity WHERE incident_id = ? ORDER BY seq',
    [incidentId],
  );
  return reader.getRows().map(([body]) => Activity.parse(JSON.parse(String(body))));
}

/** Several incidents in one read (a group of card actions). */
export async function readIncidents(
  connection: DuckDBConnection,
  ids: readonly number[],
): Promise<Map<number, VersionedIncident>> {
  if (ids.length === 0) return new Map();
  const reader = await connection.runAndReadAll(
    `SELECT body, version FROM incidents WHERE id IN (${ids.map(() => '?').join(', ')})`,
    [...ids],
  );
  const rows = reader.getRows().map(toVersioned);
  return new Map(rows.map((row) => [row.incident.id, row]));
}

/**
 * Compare-and-set of several incidents in one statement: each row is written as version `version` only if the
 * stored row is still at `expected`; if any is not, nothing is kept (the transaction is retried).
 */
export async function updateIncidents(
  connection: DuckDBConnection,
  rows: readonly { incident: Incident; expected: number; version: number }[],
): Promise<void> {
  if (rows.length === 0) return;
  const result = await connection.run(
    `UPDATE incidents SET body = v.body, version = v.version
       FROM (VALUES ${rows.map(() => '(?::BIGINT, ?::BIGINT, ?::VARCHAR, ?::BIGINT)').join(', ')}) AS v(id, expected, body, version)
      WHERE incidents.id = v.id AND incidents.version = v.expected`,
    rows.flatMap((row) => [
      row.incident.id,
      row.expected,
      JSON.stringify({ ...row.incident, version: row.version }),
      row.version,
    ]),
  );
  if (result.rowsChanged !== rows.length) throw new VersionConflict(rows[0]!.incident.id);
}

/** Activity entries of several incidents: one read of their last positions, one insert. */
export async function appendActivities(
  connection: DuckDBConnection,
  entries: readonly { incidentId: number; activity: Activity }[],
): Promise<void> {
  if (entries.length === 0) return;
  const ids = [...new Set(entries.map((entry) => entry.incidentId))];
  const reader = await connection.runAndReadAll(
    `SELECT incident_id, max(seq) FROM incident_activity WHERE incident_id IN (${ids.map(() => '?').join(', ')})
      GROUP BY incident_id`,
    ids,
  );
  const next = new Map(reader.getRows().map(([id, seq]) => [Number(id), Number(seq) + 1]));
  const params = entries.flatMap((entry) => {
    const seq = next.get(entry.incidentId) ?? 0;
    next.set(entry.incidentId, seq + 1);
    return [entry.incidentId, seq, JSON.stringify(entry.activity)];
  });
  await connection.run(
    `INSERT INTO incident_activity (incident_id, seq, body) VALUES ${entries.map(() => '(?, ?, ?)').join(', ')}`,
    params,
  );
}
