// `incident-cards rules list|enable|disable`: which alert rules the evaluator runs.
import { parseArgs } from 'node:util';
import { readRules, setRuleEnabled } from '../alerting/rules.ts';
import type { AlertRule } from '../domain.ts';
import { type CliIo, EXIT, storeConfig, UsageError, withApp } from './context.ts';

export const RULES_LIST_USAGE = `usage: incident-cards rules list [--org <id>] [--json] [--data-dir DIR]

Lists the alert rules (all organizations, or one): id, organization, enabled, aggregate over window, thresholds.`;

export const RULES_SWITCH_USAGE = `usage: incident-cards rules enable|disable <org> <ruleId> [--data-dir DIR]

A disabled rule is not evaluated; its open incidents stay as they are. Enabling it again resumes its counters.`;

export async function rulesListCommand(args: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      org: { type: 'string' },
      json: { type: 'boolean' },
      'data-dir': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    io.stdout(RULES_LIST_USAGE);
    return EXIT.ok;
  }
  return withApp(io, storeConfig(io, values['data-dir']), async ({ store }) => {
    const rules = (await store.database.withConnection(readRules)).filter(
      (rule) => values.org === undefined || rule.organizationId === values.org,
    );
    if (values.json) io.stdout(JSON.stringify({ rules }));
    else if (rules.length === 0) io.stdout('no alert rules');
    else for (const rule of rules) io.stdout(describeRule(rule));
    return EXIT.ok;
  });
}

export function rulesSwitchCommand(enabled: boolean) {
  return async (args: string[], io: CliIo): Promise<number> => {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: { 'data-dir': { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    });
    if (values.help) {
      io.stdout(RULES_SWITCH_USAGE);
      return EXIT.ok;
    }
    const [organizationId, id] = positionals;
    const ruleId = Number(id);
    if (!organizationId || !Number.isSafeInteger(ruleId) || ruleId <= 0 || positionals.length !== 2) {
      throw new UsageError(`rules ${enabled ? 'enable' : 'disable'} needs <org> <ruleId>`);
    }
    return withApp(io, storeConfig(io, values['data-dir']), async ({ store }) => {
      const result = await store.database.withConnection((c) =>
        setRuleEnabled(c, organizationId, ruleId, enabled),
      );
      if (!result.ok) {
        io.stderr(result.reason);
        return EXIT.usage;
      }
      io.stdout(
        `rule ${ruleId} (${result.rule.name}) ${result.changed ? 'is now' : 'was already'} ${enabled ? 'enabled' : 'disabled'}`,
      );
      return EXIT.ok;
    });
  };
}

function describeRule(rule: AlertRule): string {
  const op = rule.thresholdType === 'above' ? '>' : '<';
  const triggers = [...rule.triggers]
    .sort((a, b) => a.alertThreshold - b.alertThreshold)
    .map((t) => `${t.label} ${op} ${t.alertThreshold}`)
    .join(', ');
  const extras = [
    rule.resolveThreshold === null ? null : `resolve ${rule.resolveThreshold}`,
    rule.thresholdPeriod > 1 ? `period ${rule.thresholdPeriod}` : null,
    rule.comparisonDelta === null ? null : `vs ${rule.comparisonDelta} s earlier`,
  ].filter(Boolean);
  return (
    `${String(rule.id).padStart(6)}  ${rule.organizationId}  ${rule.enabled ? 'enabled ' : 'disabled'}  ` +
    `${rule.name}: ${rule.aggregate} over ${rule.timeWindow} s; ${triggers}${extras.length ? `; ${extras.join(', ')}` : ''}`
  );
}
