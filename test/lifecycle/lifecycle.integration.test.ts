// The incident lifecycle on a real store: change hooks commit (or roll back) with the incident rows, and a
// compare-and-set miss is retried from a fresh read.
import { afterEach, describe, expect, it } from 'vitest';
import { createAlertEvaluator } from '../../src/alerting/alert-evaluator.ts';
import type { IncidentChange } from '../../src/lifecycle/change.ts';
import type { ChangeHook } from '../../src/lifecycle/hooks.ts';
import { readIncident, updateIncident, VersionConflict } from '../../src/lifecycle/incident-rows.ts';
import { createTestApp, type TestApp } from '../support/test-app.ts';
import { alertingDataset, MINUTE, T0, writeMinutes } from '../alerting/alerting-fixture.ts';

let open: TestApp[] = [];
afterEach(async () => {
  for (const test of open) await test.close();
  open = [];
});

async function setup(hooks: ChangeHook[]) {
  const test = await createTestApp({ dataset: alertingDataset(), changeHooks: hooks });
  open.push(test);
  await test.store.database.withConnection((c) =>
    c.run('CREATE TABLE IF NOT EXISTS test_outbox (incident_id BIGINT, kind VARCHAR, version BIGINT)'),
  );
  return test;
}

const outbox = (test: TestApp) =>
  test.store.database.withConnection(async (c) =>
    (await c.runAndReadAll('SELECT incident_id, kind, version FROM test_outbox ORDER BY version')).getRows(),
  );

describe('change hooks', () => {
  it('run on the transaction that writes the incident, with every change of it', async () => {
    const seen: IncidentChange[][] = [];
    const test = await setup([
      async (connection, changes) => {
        seen.push(changes);
        for (const change of changes) {
          await connection.run('INSERT INTO test_outbox VALUES (?, ?, ?)', [
            change.incidentId,
            change.kind,
            change.version,
          ]);
        }
      },
    ]);
    await writeMinutes(test, [101, 5]);
    const evaluator = createAlertEvaluator(test.app, test.store.database, MINUTE);
    await evaluator.evaluate(T0);
    await evaluator.evaluate(T0 + MINUTE);
    expect(seen.map((changes) => changes.map((c) => c.kind))).toEqual([['created'], ['resolved']]);
    const id = seen[0]![0]!.incidentId;
    expect((await outbox(test)).map((row) => row.map(Number).slice(0, 1).concat(Number(row[2])))).toEqual([
      [id, 1],
      [id, 2],
    ]);
  });

  it('roll the incident back when a hook fails, so the change happens again on the next tick', async () => {
    let fail = true;
    const test = await setup([
      async () => {
        if (fail) throw new Error('outbox is full');
      },
    ]);
    await writeMinutes(test, [101, 101]);
    const evaluator = createAlertEvaluator(test.app, test.store.database, MINUTE);
    await expect(evaluator.evaluate(T0)).rejects.toThrow('outbox is full');
    expect(test.app.repository.findIncident('acme', 43)).toBeNull();
    fail = false;
    const next = await evaluator.evaluate(T0 + MINUTE);
    expect(next.changes.map((c) => [c.kind, c.identifier])).toEqual([['created', 43]]);
  });

  it('do not run for a replay without --notify', async () => {
    const calls: number[] = [];
    const test = await setup([async (_c, changes) => void calls.push(changes.length)]);
    await writeMinutes(test, [101]);
    const evaluator = createAlertEvaluator(test.app, test.store.database, MINUTE);
    await evaluator.replay({ from: T0, to: T0 });
    expect(calls).toEqual([]);
  });
});

describe('compare-and-set', () => {
  it('refuses a write from a stale version', async () => {
    const test = await setup([]);
    await test.store.database.withConnection(async (c) => {
      const stored = (await readIncident(c, 5001))!;
      expect(stored.version).toBe(1);
      await updateIncident(c, { ...stored.incident, title: 'first' }, 1);
      await expect(updateIncident(c, { ...stored.incident, title: 'second' }, 1)).rejects.toBeInstanceOf(
        VersionConflict,
      );
      expect((await readIncident(c, 5001))!).toMatchObject({ version: 2, incident: { title: 'first' } });
    });
  });

  it('retries the whole transaction from a fresh read when another writer committed in between', async () => {
    const test = await setup([]);
    const other = await test.store.database.dedicatedConnection();
    let attempts = 0;
    try {
      await test.app.lifecycle.commit(async (tx) => {
        attempts++;
        const stored = (await readIncident(tx.connection, 5001))!;
        if (attempts === 1) {
          // Another writer commits a newer version after this transaction read the row.
          const fresh = (await readIncident(other, 5001))!;
          await updateIncident(other, { ...fresh.incident, title: 'renamed elsewhere' }, fresh.version);
        }
        await tx.update({ ...stored.incident, status: 'warning' }, stored.version, {
          kind: 'deescalated',
          from: 'critical',
          at: new Date(T0).toISOString(),
          value: null,
          activity: [],
        });
      });
    } finally {
      other.closeSync();
    }
    expect(attempts).toBe(2);
    const stored = await test.store.database.withConnection((c) => readIncident(c, 5001));
    expect(stored).toMatchObject({ version: 3, incident: { status: 'warning', title: 'renamed elsewhere' } });
  });
});
