// One evaluation of one (rule, project) at one tick: Sentry's subscription processor as a pure function of the
// value, the counters and the open incident. No I/O: the evaluator loads the inputs and commits the result.
import type { Activity } from '../lifecycle/activity.ts';
import type { IncidentChangeKind } from '../lifecycle/change.ts';
import type { AlertRule, IncidentStatus, IncidentTrigger } from '../domain.ts';
import { breaches, isCritical, recovers, triggersInOrder } from './thresholds.ts';

/** Consecutive breaching (alert) and recovered (resolve) evaluations per trigger id. */
export type Counters = Record<string, { alert: number; resolve: number }>;

/** The parts of an open incident the semantics read and change. */
export type IncidentState = {
  status: IncidentStatus;
  dateStarted: string;
  dateClosed: string | null;
  triggers: IncidentTrigger[];
  /** When it was created (tick time, ms): the rate limit measures from here. */
  createdMs: number;
};

/** A value to evaluate, or a tick that is skipped (resetting the counters or leaving them as they are). */
export type TickValue = { kind: 'value'; value: number } | { kind: 'skip'; resetCounters: boolean };

export type StepInput = {
  rule: Pick<AlertRule, 'thresholdType' | 'resolveThreshold' | 'triggers' | 'thresholdPeriod' | 'timeWindow'>;
  tick: number;
  intervalMs: number;
  value: TickValue;
  counters: Counters;
  open: IncidentState | null;
  /** Creation time (ms) of the latest earlier incident of this (rule, project) with a row for the trigger. */
  lastCreatedWith(triggerId: number): number | null;
};

export type Transition = {
  kind: IncidentChangeKind;
  from: IncidentStatus | null;
  to: IncidentStatus;
  value: number;
  activity: Activity[];
};

export type StepResult = {
  counters: Counters;
  /** The incident after this tick: the open one (new or changed), or the one that just resolved. */
  incident: IncidentState | null;
  transition: Transition | null;
};

/** Sentry's ALERT_TRIGGER_RATE_LIMIT: no new incident (or re-fire of a trigger) within 10 minutes of creation. */
export const RATE_LIMIT_MS = 600_000;

export function step(input: StepInput): StepResult {
  const { rule, tick, value } = input;
  if (value.kind === 'skip') {
    // Crash-rate rules without sessions reset every counter; percent-change rules without a baseline keep them.
    return { counters: value.resetCounters ? {} : input.counters, incident: input.open, transition: null };
  }
  const v = value.value;
  const period = rule.thresholdPeriod;
  const at = new Date(tick).toISOString();
  const counters: Counters = {};
  let incident: IncidentState | null = input.open ? structuredClone(input.open) : null;
  const before = incident?.status ?? null;
  let triggersChanged = false;

  for (const trigger of triggersInOrder(rule)) {
    const count = { ...(input.counters[trigger.id] ?? { alert: 0, resolve: 0 }) };
    counters[trigger.id] = count;
    const row = () => incident?.triggers.find((r) => r.alertRuleTriggerId === trigger.id);

    // Alert branch: count consecutive breaches while the trigger is not active on the open incident.
    if (breaches(rule, trigger, v) && row()?.status !== 'active') {
      count.alert += 1;
      if (!rateLimited(input, incident, trigger.id) && count.alert >= period) {
        count.alert = 0;
        incident ??= newIncident(input);
        activate(incident, trigger.id, at);
        triggersChanged = true;
      }
    } else {
      count.alert = 0;
    }

    // Resolve branch, on the incident as the alert branch left it.
    if (recovers(rule, trigger, v) && row()?.status === 'active') {
      count.resolve += 1;
      if (count.resolve >= period) {
        count.resolve = 0;
        row()!.status = 'resolved';
        row()!.dateModified = at;
        triggersChanged = true;
      }
    } else {
      count.resolve = 0;
    }
  }

  if (!incident || !triggersChanged) return { counters, incident, transition: null };
  const after = statusOf(incident, rule.triggers);
  incident.status = after;
  if (after === 'resolved') incident.dateClosed = startOfBreach(input);
  return { counters, incident, transition: describe(input, before, after, v, at) };
}

/**
 * Counted but not fired: the latest incident of this (rule, project) with a row for this trigger was created 10
 * minutes ago or less. The alert counter keeps its count, so the trigger fires on the first tick after the limit.
 */
function rateLimited(input: StepInput, open: IncidentState | null, triggerId: number): boolean {
  const onOpen = open?.triggers.some((r) => r.alertRuleTriggerId === triggerId) ? open.createdMs : null;
  const created = onOpen ?? input.lastCreatedWith(triggerId);
  return created !== null && input.tick - created <= RATE_LIMIT_MS;
}

/** Sentry backdates the start to the first breaching window: thresholdPeriod − 1 ticks before this one. */
function startOfBreach(input: StepInput): string {
  const { rule, tick, intervalMs } = input;
  return new Date(tick - rule.timeWindow * 1000 - intervalMs * (rule.thresholdPeriod - 1)).toISOString();
}

function newIncident(input: StepInput): IncidentState {
  return {
    status: 'open',
    dateStarted: startOfBreach(input),
    dateClosed: null,
    triggers: [],
    createdMs: input.tick,
  };
}

function activate(incident: IncidentState, triggerId: number, at: string) {
  const row = incident.triggers.find((r) => r.alertRuleTriggerId === triggerId);
  if (row) {
    row.status = 'active';
    row.dateModified = at;
  } else incident.triggers.push({ alertRuleTriggerId: triggerId, status: 'active', dateModified: at });
}

/** Critical if a critical row is active, else warning if any other row is; resolved when none is. */
function statusOf(incident: IncidentState, triggers: StepInput['rule']['triggers']): IncidentStatus {
  const active = incident.triggers.filter((r) => r.status === 'active');
  if (active.length === 0) return 'resolved';
  const critical = active.some((r) => {
    const trigger = triggers.find((t) => t.id === r.alertRuleTriggerId);
    return trigger ? isCritical(trigger) : false;
  });
  return critical ? 'critical' : 'warning';
}

const RANK: Record<IncidentStatus, number> = { open: 0, resolved: 0, warning: 1, critical: 2 };

function describe(
  input: StepInput,
  before: IncidentStatus | null,
  after: IncidentStatus,
  value: number,
  at: string,
): Transition {
  if (before === null) {
    const started = startOfBreach(input);
    return {
      kind: 'created',
      from: null,
      to: after,
      value,
      activity: [
        { type: 'detected', date: started },
        { type: 'created', date: at },
        { type: 'status_changed', date: at, from: 'open', to: after, value },
      ],
    };
  }
  if (before === after) return { kind: 'updated', from: before, to: after, value, activity: [] };
  const kind: IncidentChangeKind =
    after === 'resolved' ? 'resolved' : RANK[after] > RANK[before] ? 'escalated' : 'deescalated';
  const activity: Activity = { type: 'status_changed', date: at, from: before, to: after, value };
  if (after === 'resolved') activity.method = 'rule_trigger';
  return { kind, from: before, to: after, value, activity: [activity] };
}
