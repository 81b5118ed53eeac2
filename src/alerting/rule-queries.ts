// The metric queries of one (rule, project) at a tick: the window [t − timeWindow, t), and for percent-change
// rules the same window comparisonDelta earlier. Same compiled aggregate and search as the cards.
import { compileRule } from '../query/compile-rule.ts';
import type { MetricQuery } from '../query/model.ts';
import type { AlertRule } from '../domain.ts';

export type RuleQueries =
  | { ok: true; current: MetricQuery; previous: MetricQuery | null }
  | { ok: false; error: string };

export function ruleQueries(rule: AlertRule, projectId: number, tick: number): RuleQueries {
  const compiled = compileRule(rule);
  if (!compiled.ok) return compiled;
  const window = (end: number): MetricQuery => ({
    dataset: rule.dataset,
    aggregate: compiled.aggregate,
    filter: compiled.filter,
    projectIds: [projectId],
    environment: rule.environment,
    start: end - rule.timeWindow * 1000,
    end,
  });
  return {
    ok: true,
    current: window(tick),
    previous: rule.comparisonDelta === null ? null : window(tick - rule.comparisonDelta * 1000),
  };
}
