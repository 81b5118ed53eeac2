// The evaluator's memory per (rule, project): counters, the last processed tick and the rule definition they
// were counted for. Stored with the incidents it changes, so a restart neither double-fires nor loses a resolve.
import { createHash } from 'node:crypto';
import type { DuckDBConnection } from '@duckdb/node-api';
import type { AlertRule } from '../domain.ts';
import type { Counters } from './step.ts';

export type RuleProjectState = {
  ruleId: number;
  projectId: number;
  lastTick: number;
  /** The rule's definition when the counters were counted; a different one means the rule was edited. */
  fingerprint: string;
  counters: Counters;
};

export const stateKey = (ruleId: number, projectId: number) => `${ruleId}/${projectId}`;

/** What makes an evaluation: editing any of it closes open incidents (rule_updated). Name and enabled do not. */
export function ruleFingerprint(rule: AlertRule): string {
  const definition = [
    rule.dataset,
    rule.aggregate,
    rule.query,
    rule.environment,
    rule.timeWindow,
    [...rule.projects].sort((a, b) => a - b),
    rule.thresholdType,
    rule.resolveThreshold,
    rule.thresholdPeriod,
    rule.comparisonDelta,
    [...rule.triggers].sort((a, b) => a.id - b.id).map((t) => [t.id, t.label, t.alertThreshold]),
  ];
  return createHash('sha1').update(JSON.stringify(definition)).digest('base64url').slice(0, 16);
}

export async function readRuleStates(connection: DuckDBConnection): Promise<Map<string, RuleProjectState>> {
  const reader = await connection.runAndReadAll(
    'SELECT rule_id, project_id, last_tick_ms, fingerprint, counters FROM alert_rule_state',
  );
  const states = new Map<string, RuleProjectState>();
  for (const [ruleId, projectId, lastTick, fingerprint, counters] of reader.getRows()) {
    const state: RuleProjectState = {
      ruleId: Number(ruleId),
      projectId: Number(projectId),
      lastTick: Number(lastTick),
      fingerprint: String(fingerprint),
      counters: JSON.parse(String(counters)) as Counters,
    };
    states.set(stateKey(state.ruleId, state.projectId), state);
  }
  return states;
}

const CHUNK = 2_000;

/**
 * Upserts as literal VALUES: numbers, base64url fingerprints and JSON of numbers only, so quoting the JSON is the
 * one escape needed; thousands of bound parameters cost DuckDB more than parsing them inline.
 */
export async function writeRuleStates(
  connection: DuckDBConnection,
  states: readonly RuleProjectState[],
): Promise<void> {
  for (let i = 0; i < states.length; i += CHUNK) {
    const values = states
      .slice(i, i + CHUNK)
      .map(
        (s) =>
          `(${int(s.ruleId)}, ${int(s.projectId)}, ${int(s.lastTick)}, '${s.fingerprint.replaceAll("'", "''")}', ` +
          `'${JSON.stringify(s.counters).replaceAll("'", "''")}')`,
      )
      .join(', ');
    await connection.run(`INSERT OR REPLACE INTO alert_rule_state VALUES ${values}`);
  }
}

export async function deleteRuleStates(
  connection: DuckDBConnection,
  keys: readonly { ruleId: number; projectId: number }[],
): Promise<void> {
  for (const { ruleId, projectId } of keys) {
    await connection.run('DELETE FROM alert_rule_state WHERE rule_id = ? AND project_id = ?', [
      ruleId,
      projectId,
    ]);
  }
}

function int(value: number): string {
  if (!Number.isSafeInteger(value)) throw new Error(`not an integer: ${value}`);
  return String(value);
}
