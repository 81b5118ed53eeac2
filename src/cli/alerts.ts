// `incident-cards alerts evaluate|replay`: evaluation ticks from the command line, as the server runs them.
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { type AlertEvaluator, createAlertEvaluator, type RunReport } from '../alerting/alert-evaluator.ts';
import type { Config } from '../config.ts';
import { notificationHooks } from '../notify/lifecycle-hooks.ts';
import { type CliIo, EXIT, storeConfig, UsageError, withApp } from './context.ts';

export const ALERTS_EVALUATE_USAGE = `usage: incident-cards alerts evaluate [--at <ISO time>] [--json] [--data-dir DIR]

Runs one evaluation tick at --at (default now), rounded down to ALERT_EVAL_INTERVAL_S (60 s; also when the
server's evaluator is off), applies the changes (notifications included) and prints what changed.
A tick not later than one already processed for a rule changes nothing.
--json prints {"ticks": 1, "incidents": [...]}: the incidents created or changed.`;

export const ALERTS_REPLAY_USAGE = `usage: incident-cards alerts replay --from <ISO> --to <ISO> [--org <id>] [--rule <id>] [--dry-run]
                                   [--notify] [--json] [--data-dir DIR]

Runs every tick t with from ≤ t ≤ to, in order, as the server would have: a backfill, or with --dry-run a
backtest ("how often would this rule have fired in the last 14 days?") that writes nothing and prints the
would-be incidents. Notifications are sent only with --notify. Ticks already processed for a rule are skipped,
so a dry run of a rule that is live tells about the time before it; use it on a new or edited rule.
--json prints {"ticks": N, "incidents": [...]}.`;

const IsoTime = z.iso.datetime({ offset: true });

function time(flag: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  if (!IsoTime.safeParse(text).success)
    throw new UsageError(`${flag} must be an ISO-8601 time, not "${text}"`);
  return Date.parse(text);
}

function intervalMs(config: Config): number {
  return (config.alertEvalIntervalS > 0 ? config.alertEvalIntervalS : 60) * 1000;
}

export async function alertsEvaluateCommand(args: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      at: { type: 'string' },
      json: { type: 'boolean' },
      'data-dir': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    io.stdout(ALERTS_EVALUATE_USAGE);
    return EXIT.ok;
  }
  const at = time('--at', values.at) ?? Date.now();
  return withEvaluator(io, values['data-dir'], async (evaluator) =>
    print(io, await evaluator.evaluate(at), values.json === true, false),
  );
}

export async function alertsReplayCommand(args: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      from: { type: 'string' },
      to: { type: 'string' },
      org: { type: 'string' },
      rule: { type: 'string' },
      'dry-run': { type: 'boolean' },
      notify: { type: 'boolean' },
      json: { type: 'boolean' },
      'data-dir': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    io.stdout(ALERTS_REPLAY_USAGE);
    return EXIT.ok;
  }
  const from = time('--from', values.from);
  const to = time('--to', values.to);
  if (from === undefined || to === undefined) throw new UsageError('replay needs --from and --to');
  if (to < from) throw new UsageError('--to is before --from');
  const ruleId = values.rule === undefined ? undefined : Number(values.rule);
  if (ruleId !== undefined && !(Number.isSafeInteger(ruleId) && ruleId > 0))
    throw new UsageError(`--rule must be a rule id, not "${values.rule}"`);
  if (values['dry-run'] && values.notify) throw new UsageError('--notify cannot be combined with --dry-run');
  return withEvaluator(io, values['data-dir'], async (evaluator) => {
    const report = await evaluator.replay({
      from,
      to,
      organizationId: values.org,
      ruleId,
      dryRun: values['dry-run'] === true,
      notify: values.notify === true,
    });
    return print(io, report, values.json === true, values['dry-run'] === true);
  });
}

function withEvaluator(
  io: CliIo,
  dataDir: string | undefined,
  work: (evaluator: AlertEvaluator) => Promise<number>,
): Promise<number> {
  const config = storeConfig(io, dataDir);
  // The outbox hook is registered always; a replay without --notify commits without running it. The jobs are
  // delivered by the next running server.
  const { changeHooks } = notificationHooks();
  return withApp(
    io,
    config,
    ({ app, store }) => work(createAlertEvaluator(app, store.database, intervalMs(config))),
    { changeHooks },
  );
}

function print(io: CliIo, report: RunReport, json: boolean, dryRun: boolean): number {
  if (json) {
    io.stdout(JSON.stringify({ ticks: report.ticks, incidents: report.incidents }));
    return EXIT.ok;
  }
  for (const change of report.changes) {
    const value = change.value === null ? '' : ` (value ${change.value})`;
    io.stdout(
      `${change.at}  ${change.organizationId}#${change.identifier}  rule ${change.alertRuleId}  ${change.kind}: ` +
        `${change.from ?? 'new'} → ${change.to}${value}`,
    );
  }
  const failed = report.reports.reduce((sum, r) => sum + r.failed, 0);
  io.stdout(
    `${report.ticks} tick${report.ticks === 1 ? '' : 's'}, ${report.changes.length} change${report.changes.length === 1 ? '' : 's'} ` +
      `on ${report.incidents.length} incident${report.incidents.length === 1 ? '' : 's'}` +
      (failed > 0 ? `, ${failed} evaluations failed (see logs)` : '') +
      (dryRun ? ' (dry run: nothing written)' : ''),
  );
  return EXIT.ok;
}
