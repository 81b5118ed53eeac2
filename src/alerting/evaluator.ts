// One evaluation tick: every enabled rule × project whose last processed tick is older, all their queries as one
// batch through the bulk runner, Sentry's semantics per pair, and one transaction for every incident and counter.
import type { DuckDBConnection } from '@duckdb/node-api';
import type { IncidentChange } from '../lifecycle/change.ts';
import { readOpenIncidents } from '../lifecycle/incident-rows.ts';
import type { IncidentLifecycle, IncidentTransaction } from '../lifecycle/lifecycle.ts';
import type { Logger } from '../log.ts';
import type { BulkRunner } from '../query/bulk-runner.ts';
import type { MetricQuery, MetricResult } from '../query/model.ts';
import type { Database } from '../store/duckdb/database.ts';
import type { AlertRule } from '../domain.ts';
import { closeIncident } from './close-incident.ts';
import {
  type EvaluatedIncident,
  readEvaluatedIncidents,
  recordEvaluatedIncident,
} from './evaluated-incidents.ts';
import { ruleQueries } from './rule-queries.ts';
import { readProjects, readRules, ruleProjects } from './rules.ts';
import {
  deleteRuleStates,
  type RuleProjectState,
  readRuleStates,
  ruleFingerprint,
  stateKey,
  writeRuleStates,
} from './rule-state.ts';
import { step, type TickValue } from './step.ts';
import { tickValue } from './tick-value.ts';

export type EvaluatorContext = {
  database: Database;
  /** The evaluator's own bulk runner: no cache (a tick wants fresh values), room for every rule of a tick. */
  runner: BulkRunner;
  lifecycle: IncidentLifecycle;
  intervalMs: number;
  logger?: Logger;
};

export type TickOptions = {
  organizationId?: string;
  ruleId?: number;
  /** false: the change hooks (notifications) do not run. */
  runHooks?: boolean;
  /** Run inside the caller's open transaction on this connection (dry runs roll it back). */
  within?: DuckDBConnection;
};

export type TickReport = {
  tick: number;
  /** (rule, project) pairs evaluated, skipped (no data, no baseline) and failed (query error). */
  evaluated: number;
  skipped: number;
  failed: number;
  changes: IncidentChange[];
};

type Pair = { rule: AlertRule; projectId: number; key: string; fingerprint: string };

export async function evaluateTick(
  ctx: EvaluatorContext,
  tick: number,
  options: TickOptions = {},
): Promise<TickReport> {
  const read = <T>(work: (c: DuckDBConnection) => Promise<T>) =>
    options.within ? work(options.within) : ctx.database.withConnection(work);
  const { rules, projects, states } = await read(async (c) => ({
    rules: await readRules(c),
    projects: await readProjects(c),
    states: await readRuleStates(c),
  }));
  const selected = rules.filter(
    (rule) =>
      (options.organizationId === undefined || rule.organizationId === options.organizationId) &&
      (options.ruleId === undefined || rule.id === options.ruleId),
  );
  const pairs: Pair[] = selected
    .filter((rule) => rule.enabled)
    .flatMap((rule) => {
      const fingerprint = ruleFingerprint(rule);
      return ruleProjects(rule, projects).map((projectId) => ({
        rule,
        projectId,
        key: stateKey(rule.id, projectId),
        fingerprint,
      }));
    })
    // A tick not later than the last processed one is ignored: no double processing after a restart or replay.
    .filter((pair) => (states.get(pair.key)?.lastTick ?? Number.NEGATIVE_INFINITY) < tick);

  const values = await queryValues(ctx, pairs, tick);
  const report: TickReport = { tick, evaluated: 0, skipped: 0, failed: 0, changes: [] };
  const gone = goneRuleIds(rules, states, options);

  await ctx.lifecycle.commit(
    async (tx) => {
      report.evaluated = report.skipped = report.failed = 0;
      await applyTick(tx, { pairs, values, tick, gone, rules, intervalMs: ctx.intervalMs, report });
      report.changes = [...tx.changes];
    },
    { runHooks: options.runHooks ?? true, within: options.within },
  );
  return report;
}

/** All queries of the tick in one call to the bulk runner; each pair gets its tick value or a failure. */
async function queryValues(ctx: EvaluatorContext, pairs: Pair[], tick: number) {
  const queries: MetricQuery[] = [];
  const slots = pairs.map((pair) => {
    const built = ruleQueries(pair.rule, pair.projectId, tick);
    if (!built.ok) {
      ctx.logger?.warn({ ruleId: pair.rule.id, error: built.error }, 'alert rule cannot be evaluated');
      return null;
    }
    queries.push(built.current);
    const current = queries.length - 1;
    if (built.previous) queries.push(built.previous);
    return { current, previous: built.previous ? queries.length - 1 : null };
  });
  const results: MetricResult[] = await ctx.runner.run(queries);
  return slots.map((slot, index): TickValue | null => {
    if (!slot) return null;
    const current = results[slot.current]!;
    const previous = slot.previous === null ? null : results[slot.previous]!;
    if (!current.ok || (previous && !previous.ok)) return null;
    return tickValue(pairs[index]!.rule, current.value, previous?.ok ? previous.value : null);
  });
}

/** Rules whose state remains but which no longer exist (within the tick's filter). */
function goneRuleIds(
  rules: AlertRule[],
  states: Map<string, RuleProjectState>,
  options: TickOptions,
): Set<number> {
  if (options.organizationId !== undefined) return new Set();
  const existing = new Set(rules.map((rule) => rule.id));
  return new Set(
    [...states.values()]
      .map((state) => state.ruleId)
      .filter((id) => !existing.has(id) && (options.ruleId === undefined || id === options.ruleId)),
  );
}

type TickWork = {
  pairs: Pair[];
  values: (TickValue | null)[];
  tick: number;
  gone: Set<number>;
  rules: AlertRule[];
  intervalMs: number;
  report: TickReport;
};

/** Inside the transaction: re-read what may have changed, then step and write every pair. */
async function applyTick(tx: IncidentTransaction, work: TickWork): Promise<void> {
  const { tick, report } = work;
  const at = new Date(tick).toISOString();
  const c = tx.connection;
  const states = await readRuleStates(c);
  const evaluated = await readEvaluatedIncidents(c, tick);
  const openOf = new Map<string, EvaluatedIncident>();
  for (const entry of evaluated) {
    if (entry.incident.status !== 'resolved') openOf.set(stateKey(entry.ruleId, entry.projectId), entry);
  }

  // Edited rules close every open incident of theirs (imported ones too) and count again from zero.
  const edited = new Set(
    work.pairs
      .filter((p) => (states.get(p.key)?.fingerprint ?? p.fingerprint) !== p.fingerprint)
      .map((p) => p.rule.id),
  );
  const closing = new Map<number, 'rule_updated' | 'rule_deleted'>([
    ...[...edited].map((id) => [id, 'rule_updated'] as const),
    ...[...work.gone].map((id) => [id, 'rule_deleted'] as const),
  ]);
  if (closing.size > 0) {
    const evaluatedIds = new Set(evaluated.map((e) => e.incident.id));
    for (const open of await readOpenIncidents(c)) {
      const method = closing.get(open.incident.alertRuleId);
      // A deleted rule's imported incidents are left alone: only the evaluator's own lose their source.
      if (!method || (method === 'rule_deleted' && !evaluatedIds.has(open.incident.id))) continue;
      await closeIncident(tx, open, method, at);
    }
    for (const [key, entry] of openOf) if (closing.has(entry.ruleId)) openOf.delete(key);
    await deleteRuleStates(
      c,
      [...states.values()].filter((s) => closing.has(s.ruleId)),
    );
  }

  const written: RuleProjectState[] = [];
  for (const [index, pair] of work.pairs.entries()) {
    const state = closing.has(pair.rule.id) ? undefined : states.get(pair.key);
    if (state && state.lastTick >= tick) continue;
    const value = work.values[index];
    if (value === null || value === undefined) {
      report.failed++;
      continue;
    }
    if (value.kind === 'skip') report.skipped++;
    else report.evaluated++;
    const open = openOf.get(pair.key) ?? null;
    const result = step({
      rule: pair.rule,
      tick,
      intervalMs: work.intervalMs,
      value,
      counters: state?.counters ?? {},
      open: open ? { ...open.incident, createdMs: open.createdMs } : null,
      lastCreatedWith: (triggerId) => latestCreatedWith(evaluated, pair, triggerId, open),
    });
    written.push({
      ruleId: pair.rule.id,
      projectId: pair.projectId,
      lastTick: tick,
      fingerprint: pair.fingerprint,
      counters: result.counters,
    });
    const transition = result.transition;
    if (!transition || !result.incident) continue;
    const { createdMs: _created, ...changed } = result.incident;
    const note = {
      kind: transition.kind,
      from: transition.from,
      at,
      value: transition.value,
      activity: transition.activity,
    };
    if (open) {
      await tx.update({ ...open.incident, ...changed }, open.version, note);
    } else {
      const created = await tx.create(
        {
          organizationId: pair.rule.organizationId,
          alertRuleId: pair.rule.id,
          title: pair.rule.name,
          projects: [pair.projectId],
          ...changed,
        },
        note,
      );
      await recordEvaluatedIncident(c, created.id, pair.rule.id, pair.projectId, tick);
    }
  }
  await writeRuleStates(c, written);
}

function latestCreatedWith(
  evaluated: EvaluatedIncident[],
  pair: Pair,
  triggerId: number,
  open: EvaluatedIncident | null,
): number | null {
  let latest: number | null = null;
  for (const entry of evaluated) {
    if (entry === open || entry.ruleId !== pair.rule.id || entry.projectId !== pair.projectId) continue;
    if (!entry.incident.triggers.some((row) => row.alertRuleTriggerId === triggerId)) continue;
    latest = Math.max(latest ?? entry.createdMs, entry.createdMs);
  }
  return latest;
}
