// Group commit on a real store: actions that share a transaction keep their own compare-and-set semantics, a
// repeated delivery in the same group is recorded once, and one failing action does not fail the others.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGroupCommit, type ActionRequest } from '../../src/actions/group-commit.ts';
import { readActivity, readIncident } from '../../src/lifecycle/incident-rows.ts';
import { checkoutDataset } from '../fixtures/checkout-dataset.ts';
import { createTestApp, type TestApp } from '../support/test-app.ts';

let test: TestApp;
beforeAll(async () => {
  test = await createTestApp({ dataset: checkoutDataset() });
});
afterAll(() => test.close());

const INCIDENT = 5001;
const stored = () => test.store.database.withConnection((c) => readIncident(c, INCIDENT));

/** Acknowledges as `name` if the incident is still at `cardVersion`; stale otherwise. */
function acknowledge(name: string, key: string, cardVersion: number, incidentId = INCIDENT): ActionRequest {
  const at = '2026-11-20T10:30:00.000Z';
  return {
    incidentId,
    key,
    history: false,
    decide(current, facts) {
      if (facts.seen) return { outcome: { status: 'duplicate' }, write: null };
      if (current.version !== cardVersion) return { outcome: { status: 'stale', latest: null }, write: null };
      const by = { platform: 'discord' as const, userId: name, name };
      return {
        outcome: { status: 'applied', action: 'acknowledge' },
        write: {
          incident: { ...current.incident, acknowledged: { by, at } },
          note: {
            kind: 'updated',
            from: current.incident.status,
            at,
            value: null,
            activity: [{ type: 'acknowledged', date: at, by }],
          },
        },
      };
    },
  };
}

describe('group commit', () => {
  it('five actions on one version at once (the first commits, the rest share the next transaction): one applies', async () => {
    const commits = createGroupCommit(test.app.lifecycle);
    const { version } = (await stored())!;
    const results = await Promise.all(
      ['a', 'b', 'c', 'd', 'e'].map((name) => commits.run(acknowledge(name, `k-${name}`, version))),
    );
    expect(results.map((result) => result.outcome.status)).toEqual([
      'applied',
      'stale',
      'stale',
      'stale',
      'stale',
    ]);
    expect((await stored())!.version).toBe(version + 1);
    expect(results[1]!.incident.version).toBe(version + 1);
  });

  it('the same delivery twice is recorded once; a failing action in a group fails alone', async () => {
    const commits = createGroupCommit(test.app.lifecycle);
    const { version } = (await stored())!;
    const [first, again, missing, next] = await Promise.allSettled([
      commits.run(acknowledge('f', 'k-same', version)),
      commits.run(acknowledge('f', 'k-same', version)),
      commits.run(acknowledge('g', 'k-missing', 1, 999_999)),
      commits.run(acknowledge('h', 'k-next', version + 1)),
    ]);
    expect(first).toMatchObject({ status: 'fulfilled', value: { outcome: { status: 'applied' } } });
    expect(again).toMatchObject({ status: 'fulfilled', value: { outcome: { status: 'duplicate' } } });
    expect(missing).toMatchObject({ status: 'rejected' });
    expect(next).toMatchObject({ status: 'fulfilled', value: { outcome: { status: 'applied' } } });
    const after = (await stored())!;
    expect(after.version).toBe(version + 2);
    expect(after.incident.acknowledged?.by.name).toBe('h');
    const log = await test.store.database.withConnection((c) => readActivity(c, INCIDENT));
    expect(log.slice(-2).map((entry) => entry.by?.name)).toEqual(['f', 'h']);
    expect(after.incident.recentActivity?.map((entry) => entry.by?.name)).toEqual(['f', 'h']);
  });
});
