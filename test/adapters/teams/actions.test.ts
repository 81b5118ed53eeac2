// Acting from a Teams card (Universal Actions `Action.Execute`) through the real route with signed Bot Framework
// tokens: allowed and refused users, a stale card, a repeated activity, data forged for another organization,
// two actions at once. Every card answer is checked against Adaptive Card 1.5 and the 28 KB limit.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readActivity, readIncident } from '../../../src/lifecycle/incident-rows.ts';
import { dataset as baseDataset, NOW } from '../../fixtures/teams/dataset.ts';
import { type Activity, startTeamsHarness, type TeamsHarness } from './harness.ts';
import { checkedCards } from './schemas.ts';

const MEGAN = '6b8a5d9c-1e2f-4a3b-9c8d-7e6f5a4b3c2d';
const ADELE = '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';
const OUTSIDER = 'ffffffff-0000-4000-8000-000000000001';

const dataset = structuredClone(baseDataset) as typeof baseDataset & { members: unknown[] };
dataset.installations[0] = { ...dataset.installations[0]!, responders: [MEGAN, ADELE] } as never;
dataset.members = [
  { id: 'm-megan', organizationId: 'acme', name: 'Megan B.', teamsAadObjectId: MEGAN },
  { id: 'm-lee', organizationId: 'acme', name: 'Lee Gu', email: 'lee@acme.example' },
];
const ids = { 42: 5001, 43: 5002 } as const;

type InvokeBody = { statusCode: number; type: string; value: unknown };

describe('acting from a Teams card', () => {
  let harness: TeamsHarness;
  let sequence = 0;
  const stored = (id: number) => harness.testApp.store.database.withConnection((c) => readIncident(c, id));
  const activity = (id: number) => harness.testApp.store.database.withConnection((c) => readActivity(c, id));

  function execute(
    verb: string,
    data: Record<string, unknown>,
    who: { aad: string; name: string },
    activityId?: string,
  ): Activity {
    const base = harness.fixture('card-refresh-manual');
    sequence += 1;
    return {
      ...base,
      id: activityId ?? `f:action-${sequence}`,
      from: { id: `29:${who.aad}`, name: who.name, aadObjectId: who.aad },
      value: { action: { type: 'Action.Execute', verb, data: { watchers: [], ...data } }, trigger: 'manual' },
    };
  }
  const on = (identifier: number, version: number, extra: Record<string, unknown> = {}) => ({
    refs: [{ organizationId: 'acme', identifier }],
    version,
    ...extra,
  });
  async function act(activity: Activity): Promise<InvokeBody> {
    const answer = await harness.post(activity);
    expect(answer.status).toBe(200);
    checkedCards(answer.body);
    return answer.body as InvokeBody;
  }

  beforeAll(async () => {
    harness = await startTeamsHarness({}, { dataset });
  });
  afterAll(() => harness?.close());

  it('Acknowledge returns the updated card: who (the member name) and when', async () => {
    const { version } = (await stored(ids[42]))!;
    const body = await act(execute('acknowledge', on(42, version), { aad: MEGAN, name: 'Megan Bowen' }));
    expect(body).toMatchObject({ statusCode: 200, type: 'application/vnd.microsoft.card.adaptive' });
    const text = JSON.stringify(body.value);
    expect(text).toContain('Acknowledged by Megan B. · just now');
    expect(text).not.toContain('"verb":"acknowledge"');
    expect(text).toContain(`"version":${version + 1}`);
    const after = (await stored(ids[42]))!;
    expect(after.incident.acknowledged).toEqual({
      by: { platform: 'teams', userId: MEGAN, name: 'Megan B.', memberId: 'm-megan' },
      at: new Date(NOW).toISOString(),
    });
    expect((await activity(ids[42])).at(-1)).toMatchObject({
      type: 'acknowledged',
      card: expect.stringMatching(/^teams:conversation:19:8a2b/),
    });
  });

  it('someone of the tenant who is not a listed responder is told so, only them; nothing changes', async () => {
    const before = await stored(ids[42]);
    for (const verb of ['resolve', 'assignMe', 'unassign']) {
      const body = await act(execute(verb, on(42, before!.version), { aad: OUTSIDER, name: 'Out Sider' }));
      expect(body).toMatchObject({ statusCode: 200, type: 'application/vnd.microsoft.activity.message' });
      expect(body.value).toMatch(/^Only the responders of your tenant can act on incidents/);
    }
    expect(await stored(ids[42])).toEqual(before);
  });

  it('Resolve closes it manually; a stale Acknowledge afterwards is not applied and says what changed', async () => {
    const { version } = (await stored(ids[42]))!;
    const resolved = await act(execute('resolve', on(42, version), { aad: ADELE, name: 'Adele Vance' }));
    const card = JSON.stringify(resolved.value);
    expect(card).toContain('Resolved: Checkout errors');
    expect(card).toContain('Resolved by Adele Vance · just now');
    const after = (await stored(ids[42]))!;
    expect(after.incident).toMatchObject({ status: 'resolved', dateClosed: new Date(NOW).toISOString() });
    expect((await activity(ids[42])).at(-1)).toMatchObject({ to: 'resolved', method: 'manual' });

    const stale = await act(execute('acknowledge', on(42, version), { aad: MEGAN, name: 'Megan Bowen' }));
    const staleText = JSON.stringify(stale.value);
    expect(staleText).toContain('Not applied: the card was out of date. Resolved by Adele Vance just now.');
    expect(staleText).toContain('Resolved: Checkout errors');
    expect(await stored(ids[42])).toEqual(after);
  });

  it('the same activity delivered twice is recorded once', async () => {
    const { version } = (await stored(ids[42]))!;
    const again = execute(
      'assign',
      on(42, version, { assignee: 'm-lee' }),
      { aad: MEGAN, name: 'M' },
      'f:dup',
    );
    const first = await act(again);
    const second = await act(again);
    expect(JSON.stringify(first.value)).toContain('Assigned to Lee Gu');
    expect(JSON.stringify(second.value)).toContain('Assigned to Lee Gu');
    expect((await stored(ids[42]))!.version).toBe(version + 1);
    expect((await activity(ids[42])).filter((entry) => entry.type === 'assigned')).toHaveLength(1);
  });

  it('snoozes notifications from the choice set', async () => {
    const { version } = (await stored(ids[43]))!;
    // 43 is resolved by its rule: Snooze is not offered, Reopen neither (the rule resolved it).
    const refused = await act(execute('reopen', on(43, version), { aad: MEGAN, name: 'M' }));
    expect(JSON.stringify(refused.value)).toContain(
      'Not applied: only an incident a person resolved can be reopened',
    );
    const body = await act(
      execute('snooze', on(43, version, { snoozeHours: '24' }), { aad: MEGAN, name: 'M' }),
    );
    expect(JSON.stringify(body.value)).toContain('Notifications snoozed until 12:00 UTC');
    expect((await stored(ids[43]))!.incident.snoozedUntil).toBe('2026-11-21T12:00:00.000Z');
  });

  it('Action.Execute data naming another organization is refused and changes nothing there', async () => {
    const globex = await stored(7001);
    const forged = { refs: [{ organizationId: 'globex', identifier: 7 }], version: globex!.version };
    const answer = await harness.post(execute('resolve', forged, { aad: MEGAN, name: 'M' }));
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ type: 'application/vnd.microsoft.activity.message' });
    expect(JSON.stringify(answer.body)).toContain('No incident globex #7 in Acme');
    expect(await stored(7001)).toEqual(globex);
  });

  it('two actions at once on one version: exactly one wins, the other gets the card with its result', async () => {
    const { version } = (await stored(ids[42]))!;
    const answers = await Promise.all([
      act(execute('unassign', on(42, version), { aad: MEGAN, name: 'M' })),
      act(execute('assignMe', on(42, version), { aad: ADELE, name: 'Adele Vance' })),
    ]);
    expect((await stored(ids[42]))!.version).toBe(version + 1);
    const notes = answers.map((answer) => JSON.stringify(answer.value).includes('Not applied'));
    expect(notes.sort()).toEqual([false, true]);
  });
});
