// Which incidents the evaluator opened, per (rule, project): the open one it keeps changing, and the recent
// ones the rate limit looks at. Imported incidents are not in here: the evaluator never moves them by ticks.
import type { DuckDBConnection } from '@duckdb/node-api';
import type { VersionedIncident } from '../lifecycle/incident-rows.ts';
import { Incident } from '../domain.ts';
import { RATE_LIMIT_MS } from './step.ts';

export type EvaluatedIncident = VersionedIncident & { ruleId: number; projectId: number; createdMs: number };

/** Open evaluated incidents, and every one created within the rate-limit period before `since`. */
export async function readEvaluatedIncidents(
  connection: DuckDBConnection,
  since: number,
): Promise<EvaluatedIncident[]> {
  const reader = await connection.runAndReadAll(
    `SELECT e.rule_id, e.project_id, e.created_ms, i.body, i.version
       FROM evaluated_incidents e JOIN incidents i ON i.id = e.incident_id
      WHERE e.created_ms >= ? OR json_extract_string(i.body, '$.status') <> 'resolved'`,
    [since - RATE_LIMIT_MS],
  );
  return reader.getRows().map(([ruleId, projectId, createdMs, body, version]) => ({
    ruleId: Number(ruleId),
    projectId: Number(projectId),
    createdMs: Number(createdMs),
    incident: { ...Incident.parse(JSON.parse(String(body))), version: Number(version) },
    version: Number(version),
  }));
}

export async function recordEvaluatedIncident(
  connection: DuckDBConnection,
  incidentId: number,
  ruleId: number,
  projectId: number,
  createdMs: number,
): Promise<void> {
  await connection.run('INSERT INTO evaluated_incidents VALUES (?, ?, ?, ?)', [
    incidentId,
    ruleId,
    projectId,
    createdMs,
  ]);
}
