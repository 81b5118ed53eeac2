// The hook the incident store runs inside the transaction that writes incident rows: the jobs for every
// matching subscription are written on the same connection, so a change and its notifications commit together.
import type { DuckDBConnection } from '@duckdb/node-api';
import type { IncidentChange } from '../lifecycle/change.ts';
import { planJobs } from './plan.ts';
import { readSubscriptions } from './subscription-rows.ts';

/** Rows per INSERT: a tick of 1,000 changes stays a handful of statements. */
const ROWS_PER_INSERT = 250;
const COLUMNS = 19;

/** Writes the outbox jobs of `changes` (one per change and channel); returns how many were new. */
export async function enqueueNotifications(
  connection: DuckDBConnection,
  changes: readonly IncidentChange[],
  now: number = Date.now(),
): Promise<number> {
  if (changes.length === 0) return 0;
  const organizations = [...new Set(changes.map((change) => change.organizationId))];
  const subscriptions = await readSubscriptions(connection, { organizations, activeOnly: true });
  const jobs = planJobs(changes, subscriptions);
  let written = 0;
  for (let start = 0; start < jobs.length; start += ROWS_PER_INSERT) {
    const chunk = jobs.slice(start, start + ROWS_PER_INSERT);
    const placeholders = chunk.map(() => `(${Array(COLUMNS).fill('?').join(', ')})`).join(', ');
    const params = chunk.flatMap(({ dedupeKey, platform, channelId, change }) => [
      dedupeKey,
      platform,
      channelId,
      change.organizationId,
      change.incidentId,
      change.identifier,
      change.alertRuleId,
      change.kind,
      change.from,
      change.to,
      change.version,
      change.at,
      change.value,
      'pending',
      'card',
      0,
      now,
      now,
      change.snoozedUntil,
    ]);
    const result = await connection.run(
      `INSERT INTO notification_outbox (dedupe_key, platform, channel_id, organization_id, incident_id, identifier,
         rule_id, kind, from_status, to_status, incident_version, change_at, value, state, step, attempts,
         next_attempt_at, created_at, snoozed_until)
       VALUES ${placeholders}
       ON CONFLICT DO NOTHING`,
      params,
    );
    written += Number(result.rowsChanged);
  }
  return written;
}
