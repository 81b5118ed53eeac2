// The evaluator through real parts: a DuckDB store in a temp dir, the import path, the bulk runner, the
// snapshot repository the cards read.
import { afterEach, describe, expect, it } from 'vitest';
import { openApp } from '../../src/app-factory.ts';
import { createAlertEvaluator } from '../../src/alerting/alert-evaluator.ts';
import { loadConfig } from '../../src/config.ts';
import { createLogger } from '../../src/log.ts';
import { readActivity } from '../../src/lifecycle/incident-rows.ts';
import { importDataset } from '../../src/store/import/import.ts';
import { createTestApp, type TestApp } from '../support/test-app.ts';
import { alertingDataset, MINUTE, T0, writeErrors, writeMinutes } from './alerting-fixture.ts';

let open: TestApp[] = [];
afterEach(async () => {
  for (const test of open) await test.close();
  open = [];
});

async function setup(rule: Record<string, unknown> = {}) {
  const test = await createTestApp({ dataset: alertingDataset(rule) });
  open.push(test);
  return { test, evaluator: createAlertEvaluator(test.app, test.store.database, MINUTE) };
}

const at = (k: number) => T0 + k * MINUTE;
const iso = (ms: number) => new Date(ms).toISOString();

describe('the evaluator on a real store', () => {
  it('opens a critical incident with the next identifier, its triggers and activity, then resolves it', async () => {
    const { test, evaluator } = await setup();
    await writeMinutes(test, [101, 5]);
    const first = await evaluator.evaluate(at(0) + 12_345);
    expect(first.changes.map((c) => [c.kind, c.from, c.to, c.identifier, c.value, c.version])).toEqual([
      ['created', null, 'critical', 43, 101, 1],
    ]);
    const record = test.app.repository.findIncident('acme', 43);
    expect(record?.incident).toMatchObject({
      status: 'critical',
      dateStarted: iso(at(0) - MINUTE),
      dateClosed: null,
      projects: [11],
      title: 'Checkout errors (live)',
    });
    expect(record?.incident.triggers).toEqual([
      { alertRuleTriggerId: 2002, status: 'active', dateModified: iso(at(0)) },
      { alertRuleTriggerId: 2001, status: 'active', dateModified: iso(at(0)) },
    ]);
    expect(first.incidents[0]!.activity).toEqual([
      { type: 'detected', date: iso(at(0) - MINUTE) },
      { type: 'created', date: iso(at(0)) },
      { type: 'status_changed', date: iso(at(0)), value: 101 },
    ]);

    const second = await evaluator.evaluate(at(1));
    expect(second.changes.map((c) => [c.kind, c.from, c.to, c.version])).toEqual([
      ['resolved', 'critical', 'resolved', 2],
    ]);
    expect(test.app.repository.findIncident('acme', 43)?.incident).toMatchObject({
      status: 'resolved',
      dateClosed: iso(at(1) - MINUTE),
    });
    const activity = await test.store.database.withConnection((c) =>
      readActivity(c, second.changes[0]!.incidentId),
    );
    expect(activity.at(-1)).toEqual({
      type: 'status_changed',
      date: iso(at(1)),
      from: 'critical',
      to: 'resolved',
      value: 5,
      method: 'rule_trigger',
    });
    // The imported incident of the same rule is not the evaluator's: ticks leave it as it was.
    expect(test.app.repository.findIncident('acme', 42)?.incident.status).toBe('critical');
  });

  it('gives each project of a rule its own counters and incident (scenario 10)', async () => {
    const { test, evaluator } = await setup({ projects: [11, 12], thresholdPeriod: 2 });
    await writeMinutes(test, [101, 101, 0], 11);
    await writeMinutes(test, [0, 101, 101], 12);
    const report = await evaluator.replay({ from: at(0), to: at(2) });
    expect(report.ticks).toBe(3);
    expect(report.changes.map((c) => [c.kind, c.identifier, c.at])).toEqual([
      ['created', 43, iso(at(1))],
      ['created', 44, iso(at(2))],
    ]);
    expect(report.incidents.map((i) => [i.identifier, i.status])).toEqual([
      [43, 'critical'],
      [44, 'critical'],
    ]);
    expect(test.app.repository.findIncident('acme', 44)?.incident.projects).toEqual([12]);
  });

  it('processes a tick at most once per (rule, project)', async () => {
    const { test, evaluator } = await setup();
    await writeMinutes(test, [101]);
    expect((await evaluator.evaluate(at(0))).changes).toHaveLength(1);
    const again = await evaluator.evaluate(at(0) + 30_000);
    expect(again.reports[0]).toMatchObject({ evaluated: 0, changes: [] });
    const earlier = await evaluator.replay({ from: at(-3), to: at(0) });
    expect(earlier.changes).toEqual([]);
  });

  it('ignores events that arrive after their tick was evaluated (no back-fill)', async () => {
    const { test, evaluator } = await setup();
    expect((await evaluator.evaluate(at(0))).changes).toEqual([]);
    // 500 errors inside tick 0's window, written late.
    await writeErrors(test, at(0) - MINUTE, 500);
    expect((await evaluator.evaluate(at(0))).changes).toEqual([]);
    // Tick 1's window [t0, t1) does not hold them: nothing fires.
    expect((await evaluator.evaluate(at(1))).changes).toEqual([]);
  });

  it('counts late events on the next tick whose window holds them', async () => {
    const { test, evaluator } = await setup({ timeWindow: 300 });
    expect((await evaluator.evaluate(at(0))).changes).toEqual([]);
    await writeErrors(test, at(0) - MINUTE, 150);
    const next = await evaluator.evaluate(at(1));
    expect(next.changes.map((c) => [c.kind, c.to, c.value])).toEqual([['created', 'critical', 150]]);
  });

  it('keeps a threshold period across a restart of the app', async () => {
    const dataset = alertingDataset({ thresholdPeriod: 2 });
    const test = await createTestApp({ dataset });
    open.push(test);
    await writeMinutes(test, [101, 101]);
    const before = createAlertEvaluator(test.app, test.store.database, MINUTE);
    expect((await before.evaluate(at(0))).changes).toEqual([]);
    await test.app.close();

    const config = loadConfig({ LOG_LEVEL: 'silent', DATA_DIR: test.dataDir, METRIC_CACHE_MS: '0' });
    if (!config.ok) throw new Error(config.reason);
    const reopened = await openApp(config.config, { logger: createLogger('silent') });
    if (!reopened.ok) throw new Error(reopened.reason);
    test.app = reopened.app;
    test.store = reopened.store;
    const after = createAlertEvaluator(reopened.app, reopened.store.database, MINUTE);
    // The tick before the restart is not processed twice, and its count of 1 is still there.
    expect((await after.evaluate(at(0))).changes).toEqual([]);
    const fired = await after.evaluate(at(1));
    expect(fired.changes.map((c) => [c.kind, c.to])).toEqual([['created', 'critical']]);
    expect(fired.incidents[0]!.dateStarted).toBe(iso(at(1) - 2 * MINUTE));
  });

  it('closes open incidents of an edited rule with rule_updated, imported ones included, and counts again', async () => {
    const { test, evaluator } = await setup();
    await writeMinutes(test, [101, 101]);
    await evaluator.evaluate(at(0));
    const edited = await importDataset(test.store, alertingDataset({ query: 'level:fatal' }));
    expect(edited.ok).toBe(true);
    const report = await evaluator.evaluate(at(1));
    expect(report.changes.map((c) => [c.identifier, c.kind, c.from, c.to]).sort()).toEqual([
      [42, 'resolved', 'critical', 'resolved'],
      [43, 'resolved', 'critical', 'resolved'],
    ]);
    const closed = test.app.repository.findIncident('acme', 43)!.incident;
    expect(closed.dateClosed).toBe(iso(at(1)));
    expect(closed.triggers.every((t) => t.status === 'resolved')).toBe(true);
    const activity = await test.store.database.withConnection((c) => readActivity(c, closed.id));
    expect(activity.at(-1)).toMatchObject({
      method: 'rule_updated',
      note: 'Resolved because the alert rule was changed',
      to: 'resolved',
    });
  });

  it('an import never clobbers an incident the evaluator changed later; a newer version does', async () => {
    const { test, evaluator } = await setup();
    await evaluator.evaluate(at(0));
    await importDataset(test.store, alertingDataset({ environment: null }));
    await evaluator.evaluate(at(1)); // closes incident 42 (rule_updated): version 2
    expect(test.app.repository.findIncident('acme', 42)?.incident.status).toBe('resolved');

    const stale = await importDataset(test.store, alertingDataset({ environment: null }));
    expect(stale.ok).toBe(true);
    expect(test.app.repository.findIncident('acme', 42)?.incident.status).toBe('resolved');

    const dataset = alertingDataset({ environment: null });
    dataset.incidents = [{ ...dataset.incidents[0]!, version: 3 } as (typeof dataset.incidents)[0]];
    expect((await importDataset(test.store, dataset)).ok).toBe(true);
    expect(test.app.repository.findIncident('acme', 42)?.incident.status).toBe('critical');
  });

  it('closes the open incident of a deleted rule and forgets its counters', async () => {
    const { test, evaluator } = await setup();
    await writeMinutes(test, [101]);
    await evaluator.evaluate(at(0));
    await test.store.database.withConnection((c) => c.run('DELETE FROM alert_rules WHERE id = 201'));
    const report = await evaluator.evaluate(at(1));
    expect(report.changes.map((c) => [c.identifier, c.kind])).toEqual([[43, 'resolved']]);
    const activity = await test.store.database.withConnection((c) =>
      readActivity(c, report.changes[0]!.incidentId),
    );
    expect(activity.at(-1)).toMatchObject({ method: 'rule_deleted' });
    const states = await test.store.database.withConnection(
      async (c) => (await c.runAndReadAll('SELECT count(*) FROM alert_rule_state')).getRows()[0]![0],
    );
    expect(Number(states)).toBe(0);
  });

  it('does not evaluate a disabled rule and leaves its open incident as it is', async () => {
    const { test, evaluator } = await setup();
    await writeMinutes(test, [101, 0, 0]);
    await evaluator.evaluate(at(0));
    await importDataset(test.store, alertingDataset({ enabled: false }));
    expect((await evaluator.evaluate(at(1))).changes).toEqual([]);
    expect(test.app.repository.findIncident('acme', 43)?.incident.status).toBe('critical');
    await importDataset(test.store, alertingDataset({ enabled: true }));
    expect((await evaluator.evaluate(at(2))).changes.map((c) => c.kind)).toEqual(['resolved']);
  });

  it('a dry-run replay prints the would-be incidents and writes nothing', async () => {
    const { test, evaluator } = await setup();
    await writeMinutes(test, [0, 120, 60, 5]);
    const report = await evaluator.replay({ from: at(0), to: at(3), dryRun: true });
    expect(report.ticks).toBe(4);
    expect(report.incidents).toEqual([
      expect.objectContaining({
        identifier: 43,
        status: 'resolved',
        dateStarted: iso(at(0)),
        dateClosed: iso(at(2)),
      }),
    ]);
    expect(report.changes.map((c) => c.kind)).toEqual(['created', 'deescalated', 'resolved']);
    expect(test.app.repository.findIncident('acme', 43)).toBeNull();
    const rows = await test.store.database.withConnection(
      async (c) =>
        (
          await c.runAndReadAll(
            'SELECT (SELECT count(*) FROM alert_rule_state) + (SELECT count(*) FROM incident_activity)',
          )
        ).getRows()[0]![0],
    );
    expect(Number(rows)).toBe(0);
    // The real replay then does exactly what the dry run said.
    const real = await evaluator.replay({ from: at(0), to: at(3) });
    expect(real.incidents).toEqual(report.incidents);
  });
});
