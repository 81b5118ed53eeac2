// The alert rules and projects the evaluator needs, read straight from the metadata tables (the snapshot
// repository may lag behind an import by another process), and the enable/disable switch.
import type { DuckDBConnection } from '@duckdb/node-api';
import { AlertRule, Project } from '../domain.ts';

export async function readRules(connection: DuckDBConnection): Promise<AlertRule[]> {
  const reader = await connection.runAndReadAll('SELECT body FROM alert_rules ORDER BY id');
  return reader.getRows().map(([body]) => AlertRule.parse(JSON.parse(String(body))));
}

export async function readProjects(connection: DuckDBConnection): Promise<Project[]> {
  const reader = await connection.runAndReadAll('SELECT body FROM projects ORDER BY id');
  return reader.getRows().map(([body]) => Project.parse(JSON.parse(String(body))));
}

/**
 * The projects a rule is evaluated for: its own (those of its organization), else every project of the
 * organization — the same scope the cards use, so no rule reaches another tenant's events.
 */
export function ruleProjects(rule: AlertRule, projects: readonly Project[]): number[] {
  const own = projects.filter((p) => p.organizationId === rule.organizationId);
  const listed = own.filter((p) => rule.projects.includes(p.id));
  return (listed.length > 0 ? listed : own).map((p) => p.id);
}

export type SetEnabledResult =
  | { ok: true; rule: AlertRule; changed: boolean }
  | { ok: false; reason: string };

export async function setRuleEnabled(
  connection: DuckDBConnection,
  organizationId: string,
  ruleId: number,
  enabled: boolean,
): Promise<SetEnabledResult> {
  const reader = await connection.runAndReadAll('SELECT body FROM alert_rules WHERE id = ?', [ruleId]);
  const body = reader.getRows()[0]?.[0];
  const rule = body === undefined ? null : AlertRule.parse(JSON.parse(String(body)));
  if (!rule || rule.organizationId !== organizationId) {
    return { ok: false, reason: `organization "${organizationId}" has no alert rule ${ruleId}` };
  }
  if (rule.enabled === enabled) return { ok: true, rule, changed: false };
  const next = { ...rule, enabled };
  await connection.run('UPDATE alert_rules SET body = ? WHERE id = ?', [JSON.stringify(next), ruleId]);
  return { ok: true, rule: next, changed: true };
}
