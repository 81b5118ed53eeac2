// Group commit for card actions. A DuckDB commit and each point statement cost about a millisecond of CPU, so the
// actions that arrive while one transaction runs share the next one, and its reads and writes are one statement
// per kind (incidents, keys, activity) for the whole group. Each action keeps its own compare-and-set semantics:
// they are decided one after another against the state the earlier ones left (a second action on the same incident
// finds the version moved and is "stale"; a repeated delivery finds its key). A conflict with another writer
// retries the whole group from a fresh read (the lifecycle does); a group that fails otherwise is retried one
// action at a time, so one action's failure cannot fail the others.
import type { Incident } from '../domain.ts';
import type { VersionedIncident } from '../lifecycle/incident-rows.ts';
import { readActivity, readIncidents, readOpenIncidents } from '../lifecycle/incident-rows.ts';
import type { ChangeNote, IncidentLifecycle, IncidentTransaction } from '../lifecycle/lifecycle.ts';
import { withRecentActivity } from '../lifecycle/recent-activity.ts';
import { readActionKeys, recordActionKeys } from './action-keys.ts';
import type { ActionOutcome } from './model.ts';

/** What the decision may depend on besides the incident's current state. */
export type ActionFacts = {
  /** This delivery (its idempotency key) was already applied. */
  seen: boolean;
  /** Reopen only: the last close was a person's. */
  closedManually: boolean;
  /** Reopen only: a newer incident of the same rule and project is open. */
  newerOpen: boolean;
};

export type ActionDecision = {
  outcome: ActionOutcome;
  write: { incident: Incident; note: ChangeNote } | null;
};

export type ActionRequest = {
  incidentId: number;
  key: string;
  /** Reopen: the facts that need the activity log and the open incidents. */
  history: boolean;
  decide(current: VersionedIncident, facts: ActionFacts): ActionDecision;
};

export type ActionResult = { outcome: ActionOutcome; incident: Incident };

export type GroupCommit = { run(request: ActionRequest): Promise<ActionResult> };

type Item = {
  request: ActionRequest;
  resolve: (result: ActionResult) => void;
  reject: (error: unknown) => void;
};

/** At most this many actions in one transaction: bounds the work a retry repeats. */
const MAX_GROUP = 64;

export function createGroupCommit(lifecycle: IncidentLifecycle): GroupCommit {
  const pending: Item[] = [];
  let draining = false;

  async function commit(group: Item[]): Promise<void> {
    try {
      const results = await lifecycle.commit((tx) =>
        applyGroup(
          tx,
          group.map((item) => item.request),
        ),
      );
      for (const [index, item] of group.entries()) item.resolve(results[index]!);
    } catch (error) {
      if (group.length === 1) group[0]!.reject(error);
      else for (const item of group) await commit([item]);
    }
  }

  async function drain(): Promise<void> {
    if (draining) return;
    draining = true;
    try {
      while (pending.length > 0) await commit(pending.splice(0, MAX_GROUP));
    } finally {
      draining = false;
    }
  }

  return {
    run(request) {
      return new Promise<ActionResult>((resolve, reject) => {
        pending.push({ request, resolve, reject });
        void drain();
      });
    },
  };
}

async function applyGroup(tx: IncidentTransaction, requests: ActionRequest[]): Promise<ActionResult[]> {
  const c = tx.connection;
  const state = await readIncidents(c, [...new Set(requests.map((request) => request.incidentId))]);
  const seen = await readActionKeys(
    c,
    requests.map((request) => request.key),
  );
  const closedHere = new Map<number, boolean>();
  const entries: { incident: Incident; expected: number; note: ChangeNote }[] = [];
  const keys: { key: string; incidentId: number; version: number; at: string }[] = [];
  const results: ActionResult[] = [];
  for (const request of requests) {
    const current = state.get(request.incidentId);
    if (!current) throw new Error(`incident ${request.incidentId} is not in the store`);
    const history = request.history
      ? {
          closedManually: closedHere.get(request.incidentId) ?? (await closedManually(c, request.incidentId)),
          newerOpen: await newerOpen(c, current.incident),
        }
      : { closedManually: false, newerOpen: false };
    const decision = request.decide(current, { seen: seen.has(request.key), ...history });
    if (!decision.write) {
      results.push({ outcome: decision.outcome, incident: current.incident });
      continue;
    }
    const { note } = decision.write;
    const version = current.version + 1;
    const incident = { ...withRecentActivity(decision.write.incident, note.activity), version };
    entries.push({ incident, expected: current.version, note });
    keys.push({ key: request.key, incidentId: incident.id, version, at: note.at });
    state.set(incident.id, { incident, version });
    seen.add(request.key);
    if (incident.status === 'resolved') {
      closedHere.set(
        incident.id,
        note.activity.some((entry) => entry.method === 'manual'),
      );
    }
    results.push({ outcome: decision.outcome, incident });
  }
  await tx.updateMany(entries);
  await recordActionKeys(c, keys);
  return results;
}

/** The last close was a person's: its status_changed entry says method manual. */
async function closedManually(
  connection: IncidentTransaction['connection'],
  incidentId: number,
): Promise<boolean> {
  const activity = await readActivity(connection, incidentId);
  const close = activity.findLast((entry) => entry.type === 'status_changed' && entry.to === 'resolved');
  return close?.method === 'manual';
}

/** A newer open incident of the same rule and project: the evaluator already opened a new one. */
async function newerOpen(
  connection: IncidentTransaction['connection'],
  incident: Incident,
): Promise<boolean> {
  const open = await readOpenIncidents(connection);
  return open.some(
    ({ incident: other }) =>
      other.identifier > incident.identifier &&
      other.alertRuleId === incident.alertRuleId &&
      other.projects.some((project) => incident.projects.includes(project)),
  );
}
