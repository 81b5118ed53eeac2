// Commits incident changes: the rows, their activity and whatever the registered hooks add (the outbox) in one
// transaction, retried from a fresh read when another writer changed an incident in between.
import type { DuckDBConnection } from '@duckdb/node-api';
import type { Database } from '../store/duckdb/database.ts';
import type { Incident, Person } from '../domain.ts';
import { withRecentActivity } from './recent-activity.ts';
import type { Activity } from './activity.ts';
import type { IncidentChange, IncidentChangeKind } from './change.ts';
import type { AfterCommit, ChangeHook } from './hooks.ts';
import {
  appendActivities,
  appendActivity,
  insertIncident,
  nextIncidentNumbers,
  updateIncident,
  updateIncidents,
  VersionConflict,
} from './incident-rows.ts';

/** What a change records beyond the incident itself. */
export type ChangeNote = {
  kind: IncidentChangeKind;
  from: Incident['status'] | null;
  at: string;
  value: number | null;
  activity: Activity[];
  /** The person acting (src/actions/); absent for the evaluator. */
  by?: Person;
};

/** The writes of one transaction; reads go through `connection` and see the transaction's own writes. */
export type IncidentTransaction = {
  connection: DuckDBConnection;
  /** Gives a new incident its id and identifier and stores it (version 1). */
  create(incident: Omit<Incident, 'id' | 'identifier'>, note: ChangeNote): Promise<Incident>;
  /**
   * Stores a changed incident if it is still at version `expected`; else the whole transaction is retried.
   * Returns it as stored (new version, recent activity).
   */
  update(incident: Incident, expected: number, note: ChangeNote): Promise<Incident>;
  /**
   * Several changes in a few statements (a group of card actions): each entry is one change, the incident as it
   * is after it and the version it applies to. Entries of one incident follow each other (expected 3, 4, …);
   * only the last state is stored, compare-and-set on the first version. The incidents are stored as given
   * (their recentActivity already kept up to date by the caller).
   */
  updateMany(entries: readonly { incident: Incident; expected: number; note: ChangeNote }[]): Promise<void>;
  readonly changes: readonly IncidentChange[];
};

export type CommitOptions = {
  /** false: the registered hooks do not run (a replay without --notify). */
  runHooks?: boolean;
  /** Use this connection, already inside a transaction the caller owns (a dry run that rolls back at the end). */
  within?: DuckDBConnection;
};

export type IncidentLifecycle = {
  commit<T>(work: (tx: IncidentTransaction) => Promise<T>, options?: CommitOptions): Promise<T>;
};

const ATTEMPTS = 5;

export function createIncidentLifecycle(
  database: Database,
  hooks: readonly ChangeHook[],
  afterCommit?: AfterCommit,
): IncidentLifecycle {
  async function attempt<T>(
    connection: DuckDBConnection,
    work: (tx: IncidentTransaction) => Promise<T>,
    runHooks: boolean,
  ): Promise<{ result: T; changes: readonly IncidentChange[] }> {
    const tx = transaction(connection);
    const result = await work(tx);
    if (runHooks && tx.changes.length > 0) {
      for (const hook of hooks) await hook(connection, [...tx.changes]);
    }
    return { result, changes: tx.changes };
  }

  return {
    async commit(work, options = {}) {
      const runHooks = options.runHooks ?? true;
      if (options.within) return (await attempt(options.within, work, runHooks)).result;
      for (let tries = 1; ; tries++) {
        try {
          const done = await database.withConnection(async (connection) => {
            await connection.run('BEGIN TRANSACTION');
            try {
              const attempted = await attempt(connection, work, runHooks);
              await connection.run('COMMIT');
              return attempted;
            } catch (error) {
              await connection.run('ROLLBACK');
              throw error;
            }
          });
          if (runHooks && done.changes.length > 0) afterCommit?.(done.changes);
          return done.result;
        } catch (error) {
          if (!isConflict(error) || tries >= ATTEMPTS) throw error;
        }
      }
    },
  };
}

/** A CAS miss, or DuckDB's own write-write conflict between two open transactions on one row. */
function isConflict(error: unknown): boolean {
  return error instanceof VersionConflict || /conflict/i.test((error as Error)?.message ?? '');
}

function transaction(connection: DuckDBConnection): IncidentTransaction {
  const changes: IncidentChange[] = [];
  const record = (incident: Incident, version: number, note: ChangeNote) =>
    changes.push({
      organizationId: incident.organizationId,
      incidentId: incident.id,
      identifier: incident.identifier,
      alertRuleId: incident.alertRuleId,
      kind: note.kind,
      from: note.from,
      to: incident.status,
      version,
      at: note.at,
      value: note.value,
      snoozedUntil: incident.snoozedUntil ?? null,
      by: note.by ?? null,
    });
  return {
    connection,
    changes,
    async create(draft, note) {
      const numbers = await nextIncidentNumbers(connection, draft.organizationId);
      const incident: Incident = withRecentActivity({ ...draft, ...numbers }, note.activity);
      await insertIncident(connection, incident);
      await appendActivity(connection, incident.id, note.activity);
      record(incident, 1, note);
      return { ...incident, version: 1 };
    },
    async update(changed, expected, note) {
      const incident = withRecentActivity(changed, note.activity);
      const version = await updateIncident(connection, incident, expected);
      await appendActivity(connection, incident.id, note.activity);
      record(incident, version, note);
      return { ...incident, version };
    },
    async updateMany(entries) {
      const rows = new Map<number, { incident: Incident; expected: number; version: number }>();
      for (const { incident, expected } of entries) {
        const row = rows.get(incident.id);
        if (row && row.version !== expected) throw new VersionConflict(incident.id);
        rows.set(incident.id, { incident, expected: row?.expected ?? expected, version: expected + 1 });
      }
      await updateIncidents(connection, [...rows.values()]);
      await appendActivities(
        connection,
        entries.flatMap(({ incident, note }) =>
          note.activity.map((activity) => ({ incidentId: incident.id, activity })),
        ),
      );
      for (const { incident, expected, note } of entries) record(incident, expected + 1, note);
    },
  };
}
