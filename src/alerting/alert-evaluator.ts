// The evaluator as the server and the CLI use it: one tick now (or at a time), a replay over a range, and what
// changed, described as `alerts … --json` prints it (docs/alerting.md).
import type { App } from '../app.ts';
import type { IncidentChange } from '../lifecycle/change.ts';
import { readActivity, readIncident } from '../lifecycle/incident-rows.ts';
import type { BackendName, QueryBackend } from '../query/backend.ts';
import { createBulkRunner } from '../query/bulk-runner.ts';
import type { Database } from '../store/duckdb/database.ts';
import type { IncidentTrigger } from '../domain.ts';
import type { DuckDBConnection } from '@duckdb/node-api';
import { type EvaluatorContext, evaluateTick, type TickReport } from './evaluator.ts';
import { floorToTick, ticksBetween } from './ticks.ts';

export type ChangedIncident = {
  organizationId: string;
  identifier: number;
  alertRuleId: number;
  status: string;
  dateStarted: string;
  dateClosed: string | null;
  triggers: IncidentTrigger[];
  activity: { type: string; date: string; value?: number | null; actor?: string }[];
};

export type RunReport = {
  ticks: number;
  incidents: ChangedIncident[];
  changes: IncidentChange[];
  reports: TickReport[];
};

export type ReplayOptions = {
  from: number;
  to: number;
  organizationId?: string;
  ruleId?: number;
  dryRun?: boolean;
  notify?: boolean;
};

export type AlertEvaluator = {
  readonly intervalMs: number;
  readonly backend: BackendName;
  /** One tick at `at` rounded down to the interval; notifications run (the change hooks). */
  evaluate(at: number): Promise<RunReport>;
  replay(options: ReplayOptions): Promise<RunReport>;
};

/** Bigger than any tick: a tick's queries all wait in the runner at once. */
const MAX_WAITING = 10_000_000;
const TICK_QUERY_TIMEOUT_MS = 60_000;

export function createAlertEvaluator(
  app: Pick<App, 'lifecycle' | 'repository' | 'logger' | 'metrics'> & { backend: QueryBackend },
  database: Database,
  intervalMs: number,
  options: { maxBatch?: number } = {},
): AlertEvaluator {
  const runner = createBulkRunner({
    backend: app.backend,
    cacheMs: 0,
    maxWaiting: MAX_WAITING,
    maxBatch: options.maxBatch ?? 256,
    timeoutMs: TICK_QUERY_TIMEOUT_MS,
    metrics: app.metrics,
    logger: app.logger.child({ component: 'alerting-runner' }),
  });
  const ctx: EvaluatorContext = {
    database,
    runner,
    lifecycle: app.lifecycle,
    intervalMs,
    logger: app.logger.child({ component: 'evaluator' }),
  };

  async function finish(reports: TickReport[], connection?: DuckDBConnection): Promise<RunReport> {
    const changes = reports.flatMap((report) => report.changes);
    const ids = [...new Set(changes.map((change) => change.incidentId))];
    const describe = (c: DuckDBConnection) => describeIncidents(c, ids);
    const incidents = connection ? await describe(connection) : await database.withConnection(describe);
    return { ticks: reports.length, incidents, changes, reports };
  }

  return {
    intervalMs,
    backend: app.backend.name,
    async evaluate(at) {
      const report = await evaluateTick(ctx, floorToTick(at, intervalMs));
      if (report.changes.length > 0) await app.repository.reload();
      return finish([report]);
    },
    async replay({ from, to, organizationId, ruleId, dryRun = false, notify = false }) {
      const ticks = ticksBetween(from, to, intervalMs);
      const filter = { organizationId, ruleId, runHooks: notify && !dryRun };
      if (!dryRun) {
        const reports: TickReport[] = [];
        for (const tick of ticks) reports.push(await evaluateTick(ctx, tick, filter));
        if (reports.some((report) => report.changes.length > 0)) await app.repository.reload();
        return finish(reports);
      }
      // A dry run is the same replay in one transaction that is rolled back: what it prints is exactly what a
      // real replay would write.
      const connection = await database.dedicatedConnection();
      try {
        await connection.run('BEGIN TRANSACTION');
        const reports: TickReport[] = [];
        for (const tick of ticks)
          reports.push(await evaluateTick(ctx, tick, { ...filter, within: connection }));
        return await finish(reports, connection);
      } finally {
        await connection.run('ROLLBACK').catch(() => undefined);
        connection.closeSync();
      }
    },
  };
}

async function describeIncidents(connection: DuckDBConnection, ids: number[]): Promise<ChangedIncident[]> {
  const described: ChangedIncident[] = [];
  for (const id of ids) {
    const stored = await readIncident(connection, id);
    if (!stored) continue;
    const { incident } = stored;
    const activity = await readActivity(connection, id);
    described.push({
      organizationId: incident.organizationId,
      identifier: incident.identifier,
      alertRuleId: incident.alertRuleId,
      status: incident.status,
      dateStarted: incident.dateStarted,
      dateClosed: incident.dateClosed,
      triggers: incident.triggers,
      activity: activity.map((entry) => ({
        type: entry.type,
        date: entry.date,
        ...(entry.value !== undefined ? { value: entry.value } : {}),
        ...(entry.actor !== undefined ? { actor: entry.actor } : {}),
      })),
    });
  }
  return described;
}
