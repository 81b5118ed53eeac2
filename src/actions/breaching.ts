// Which of a rule's triggers breach right now for one project: Reopen is allowed only while the rule still
// breaches. The same queries and threshold semantics as the evaluator's tick, at the latest whole interval.
import { breaches } from '../alerting/thresholds.ts';
import { ruleQueries } from '../alerting/rule-queries.ts';
import { tickValue } from '../alerting/tick-value.ts';
import type { AlertRule } from '../domain.ts';
import type { BulkRunner } from '../query/bulk-runner.ts';

/** Trigger ids that breach now; null when the value cannot be computed (the answer is "unavailable"). */
export async function breachingTriggers(
  runner: BulkRunner,
  rule: AlertRule,
  projectId: number,
  at: number,
  signal?: AbortSignal,
): Promise<number[] | null> {
  const built = ruleQueries(rule, projectId, at);
  if (!built.ok) return null;
  const [current, previous] = await Promise.all([
    runner.load(built.current, signal),
    built.previous ? runner.load(built.previous, signal) : Promise.resolve(null),
  ]);
  if (!current.ok || (previous && !previous.ok)) return null;
  const value = tickValue(rule, current.value, previous?.ok ? previous.value : null);
  if (value.kind === 'skip') return [];
  return rule.triggers.filter((trigger) => breaches(rule, trigger, value.value)).map((trigger) => trigger.id);
}
