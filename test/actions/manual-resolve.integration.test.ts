// A manual Resolve and Reopen against the real evaluator: after a person resolves an incident whose rule still
// breaches, the evaluator opens a *new* incident on the first firing after the rate limit (Sentry's behaviour);
// Reopen brings the resolved one back only while the rule breaches. Changes reach the change hooks (the outbox).
import { afterEach, describe, expect, it } from 'vitest';
import { createAlertEvaluator } from '../../src/alerting/alert-evaluator.ts';
import type { CommandInput } from '../../src/command/model.ts';
import type { IncidentChange } from '../../src/lifecycle/change.ts';
import { readActivity } from '../../src/lifecycle/incident-rows.ts';
import { alertingDataset, MINUTE, T0, writeMinutes } from '../alerting/alerting-fixture.ts';
import { createTestApp, type TestApp } from '../support/test-app.ts';

let open: TestApp[] = [];
afterEach(async () => {
  for (const test of open) await test.close();
  open = [];
});

const at = (k: number) => T0 + k * MINUTE;
const TENANT = '111122223333444455';

async function setup() {
  let now = at(0);
  const changes: IncidentChange[] = [];
  const test = await createTestApp({
    dataset: alertingDataset(),
    now: () => now,
    changeHooks: [async (_connection, batch) => void changes.push(...batch)],
  });
  open.push(test);
  const evaluator = createAlertEvaluator(test.app, test.store.database, MINUTE);
  let delivery = 0;
  const act = (identifier: number, type: 'resolve' | 'reopen', cardVersion: number | null = null) =>
    test.app.dispatch({
      kind: 'incident.act',
      actor: {
        platform: 'discord',
        userId: '1300000000000000400',
        tenantId: TENANT,
        name: 'ana',
        defaultResponder: true,
      },
      ref: { organizationId: 'acme', identifier },
      action: { type },
      cardVersion,
      requestId: `delivery-${++delivery}`,
      card: 'discord:message:1',
    } satisfies CommandInput);
  const setNow = (ms: number) => {
    now = ms;
  };
  return { test, evaluator, changes, act, setNow };
}

describe('a manual resolve and the evaluator', () => {
  it('the evaluator opens a new incident after the rate limit when the rule still breaches', async () => {
    const { test, evaluator, changes, act, setNow } = await setup();
    await writeMinutes(test, Array(14).fill(101));
    await evaluator.evaluate(at(0));
    expect(test.app.repository.findIncident('acme', 43)?.incident.status).toBe('critical');

    setNow(at(1) + 5_000);
    const reply = await act(43, 'resolve');
    expect(reply).toMatchObject({ kind: 'action', outcome: { status: 'applied', action: 'resolve' } });
    const resolved = test.app.repository.findIncident('acme', 43)!.incident;
    expect(resolved).toMatchObject({ status: 'resolved', dateClosed: new Date(at(1) + 5_000).toISOString() });
    expect(resolved.triggers.every((row) => row.status === 'resolved')).toBe(true);
    expect(changes.at(-1)).toMatchObject({
      kind: 'resolved',
      from: 'critical',
      to: 'resolved',
      identifier: 43,
      snoozedUntil: null,
      by: { platform: 'discord', userId: '1300000000000000400', name: 'ana' },
    });

    // Still breaching: counted, but rate-limited for 10 minutes after the first incident's creation.
    for (let k = 1; k <= 10; k++) {
      const report = await evaluator.evaluate(at(k));
      expect(report.changes.filter((change) => change.kind === 'created')).toEqual([]);
    }
    const fired = await evaluator.evaluate(at(11));
    expect(fired.changes.map((c) => [c.kind, c.identifier, c.to])).toEqual([['created', 44, 'critical']]);
    expect(test.app.repository.findIncident('acme', 43)!.incident.status).toBe('resolved');

    // The old one cannot be reopened now: the rule's newer incident is the open one.
    setNow(at(11) + 5_000);
    expect(await act(43, 'reopen')).toMatchObject({
      kind: 'action',
      outcome: { status: 'rejected', reason: 'newer_incident_open' },
    });
  });

  it('Reopen brings a manually resolved incident back while its rule breaches, and the evaluator keeps it', async () => {
    const { test, evaluator, changes, act, setNow } = await setup();
    await writeMinutes(test, [101, 101, 101, 101]);
    await evaluator.evaluate(at(0));
    setNow(at(1) + 5_000);
    await act(43, 'resolve');
    setNow(at(2) + 5_000);
    const reply = await act(43, 'reopen');
    expect(reply).toMatchObject({ kind: 'action', outcome: { status: 'applied', action: 'reopen' } });
    expect(test.app.repository.findIncident('acme', 43)!.incident).toMatchObject({
      status: 'critical',
      dateClosed: null,
    });
    expect(changes.at(-1)).toMatchObject({ kind: 'reopened', from: 'resolved', to: 'critical' });
    const log = await test.store.database.withConnection((c) => readActivity(c, 5002));
    expect(log.slice(-2).map((entry) => [entry.type, entry.method ?? null, entry.to])).toEqual([
      ['status_changed', 'manual', 'resolved'],
      ['reopened', null, 'critical'],
    ]);
    // The evaluator treats it as its open incident again: no second one.
    const next = await evaluator.evaluate(at(3));
    expect(next.changes.filter((change) => change.kind === 'created')).toEqual([]);
  });

  it('Reopen is refused once the rule no longer breaches', async () => {
    const { test, evaluator, act, setNow } = await setup();
    await writeMinutes(test, [101, 101, 0, 0]);
    await evaluator.evaluate(at(0));
    setNow(at(1) + 5_000);
    await act(43, 'resolve');
    setNow(at(3));
    expect(await act(43, 'reopen')).toMatchObject({
      kind: 'action',
      outcome: { status: 'rejected', reason: 'not_breaching' },
    });
    expect(test.app.repository.findIncident('acme', 43)!.incident.status).toBe('resolved');
  });
});
