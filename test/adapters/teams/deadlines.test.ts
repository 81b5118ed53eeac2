// The Teams adapter's own deadlines, as adapters/main.ts wires it: Teams shows an error when an invoke is not
// answered within 5 s, so a slow event store still gets a degraded card in time; an automatic refresh (someone
// merely looking at the card) gives up sooner than a person pressing Refresh. A fake clock decides how much
// time passes, so machine load cannot change the outcome. Also: the watcher list a refresh carries stays
// within the 60 users Teams refreshes for.
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  type GatedBackend,
  gatedBackend,
  settleIo,
  untilReal,
  useFakeDeadlineClock,
  useRealClock,
} from '../../support/fake-clock.ts';
import { type Answer, startTeamsHarness, type TeamsHarness } from './harness.ts';

/** Teams' own invoke limit, and the time the answer needs to get back (generous for a slow network). */
const TEAMS_INVOKE_LIMIT_MS = 5_000;
const NETWORK_ALLOWANCE_MS = 500;
const UNAVAILABLE = 'Metric unavailable (the event store did not answer in time)';

let harness: TeamsHarness;
let gate: GatedBackend;
beforeAll(async () => {
  harness = await startTeamsHarness(
    // The metric query may take longer than the invoke deadline; only the adapter's deadline is under test.
    { QUERY_TIMEOUT_MS: '60000' },
    {
      wrapBackend: (backend) => {
        gate = gatedBackend(backend);
        return gate;
      },
    },
  );
});
afterAll(async () => {
  gate.release();
  await harness?.close();
});

/** Posts with a token signed on the real clock, then switches to the fake one before the invoke runs. */
async function postOnFakeClock(name: string, value?: unknown): Promise<{ answer(): Answer | undefined }> {
  const activity = harness.fixture(name);
  if (value !== undefined) activity.value = value;
  const token = await harness.openId.sign('a3f1c2d4-5e6f-4a7b-8c9d-0e1f2a3b4c5d', activity.serviceUrl);
  useFakeDeadlineClock();
  const dispatched = harness.commands.length;
  let answer: Answer | undefined;
  void harness.post(activity, { token }).then((received) => {
    answer = received;
  });
  // The deadline starts as the command is dispatched; from then on only the fake clock moves it.
  await untilReal(() => harness.commands.length > dispatched);
  return { answer: () => answer };
}

describe('deadlines (fake clock, event store not answering)', () => {
  afterEach(() => useRealClock());

  it('a pressed Refresh waits for the value at least 3 s, and answers a degraded card before Teams’ 5 s', async () => {
    const posted = await postOnFakeClock('card-refresh-manual');
    await vi.advanceTimersByTimeAsync(3_000);
    await settleIo();
    expect(posted.answer()).toBeUndefined();
    await vi.advanceTimersByTimeAsync(TEAMS_INVOKE_LIMIT_MS - NETWORK_ALLOWANCE_MS - 3_000);
    await untilReal(() => posted.answer() !== undefined);
    const answer = posted.answer()!;
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ statusCode: 200, type: 'application/vnd.microsoft.card.adaptive' });
    expect(answer.text).toContain(UNAVAILABLE);
  });

  it('a link unfurl answers a degraded card before Teams’ 5 s', async () => {
    const posted = await postOnFakeClock('query-link-own-incident');
    await vi.advanceTimersByTimeAsync(TEAMS_INVOKE_LIMIT_MS - NETWORK_ALLOWANCE_MS);
    await untilReal(() => posted.answer() !== undefined);
    expect(posted.answer()!.status).toBe(200);
    expect(posted.answer()!.text).toContain(UNAVAILABLE);
  });

  it('an automatic refresh gives up sooner than a pressed one: answered by 2.5 s', async () => {
    const posted = await postOnFakeClock('card-refresh-automatic');
    await vi.advanceTimersByTimeAsync(2_500);
    await untilReal(() => posted.answer() !== undefined);
    expect(posted.answer()!.status).toBe(200);
    expect(posted.answer()!.text).toContain(UNAVAILABLE);
  });
});

describe('automatic refresh users (event store answering)', () => {
  beforeAll(() => gate.release());

  const sixty = Array.from({ length: 60 }, (_, i) => `29:watcher-${i}`);
  const refreshValue = (watchers: string[]) => ({
    action: {
      type: 'Action.Execute',
      id: 'refresh',
      verb: 'refresh',
      data: { refs: [{ organizationId: 'acme', identifier: 42 }], watchers },
    },
    trigger: 'manual',
  });

  it('a 61st person pressing Refresh joins, and the oldest watcher makes room', async () => {
    const activity = harness.fixture('card-refresh-manual');
    activity.value = refreshValue(sixty);
    const answer = await harness.post(activity);
    const card = (answer.body as { value: { refresh: { userIds: string[] } } }).value;
    expect(card.refresh.userIds).toHaveLength(60);
    expect(card.refresh.userIds[0]).toBe('29:watcher-1');
    expect(card.refresh.userIds.at(-1)).toBe((activity.from as { id: string }).id);
  });

  it('a card that claims more than 60 watchers is refused, not echoed', async () => {
    const activity = harness.fixture('card-refresh-manual');
    activity.value = refreshValue([...sixty, '29:watcher-60']);
    const answer = await harness.post(activity);
    expect(answer.body).toMatchObject({ statusCode: 400 });
  });
});
