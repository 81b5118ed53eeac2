// The Discord adapter as adapters/main.ts wires it (no deadline override): Discord closes an interaction after
// 3 s, so a reply still running must be deferred in time for the answer to cross the network; one that is
// ready sooner is answered directly. Timed on a fake clock, so machine load cannot change the outcome.
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  type GatedBackend,
  gatedBackend,
  settleIo,
  untilReal,
  useFakeDeadlineClock,
  useRealClock,
} from '../../support/fake-clock.ts';
import { type Harness, startHarness } from './discord-harness.ts';
import { fixture } from './fixtures.ts';

/** Discord's own limit, and the time the answer needs to get there (generous for a slow network). */
const DISCORD_CLOSES_AFTER_MS = 3_000;
const NETWORK_ALLOWANCE_MS = 500;

describe('the default Discord deadline', () => {
  let harness: Harness;
  let gate: GatedBackend;

  beforeAll(async () => {
    harness = await startHarness({
      // The metric query itself may take longer than the interaction deadline; only the deadline is under test.
      env: { QUERY_TIMEOUT_MS: '60000' },
      wrapBackend: (backend) => {
        gate = gatedBackend(backend);
        return gate;
      },
    });
  });
  afterEach(() => useRealClock());
  afterAll(async () => {
    gate.release();
    await harness.close();
  });

  const deferred = async () =>
    (await harness.test.app.metrics.registry.getSingleMetricAsString('incident_cards_deferred_replies_total'))
      .split('\n')
      .some((line) => /platform="discord"} [1-9]/.test(line));

  it('defers a reply still running after 1.5 s, early enough for Discord’s 3 s', async () => {
    useFakeDeadlineClock();
    let answer: { status: number; body: { type: number } } | undefined;
    void harness.post(fixture('slash-show-in-installed-guild')).then((received) => {
      answer = received;
    });
    await untilReal(() => gate.calls() > 0);
    // Deferring at once would cost a second round trip for every card: it waits a good while first.
    await vi.advanceTimersByTimeAsync(1_500);
    await settleIo();
    expect(answer).toBeUndefined();
    expect(await deferred()).toBe(false);
    await vi.advanceTimersByTimeAsync(DISCORD_CLOSES_AFTER_MS - NETWORK_ALLOWANCE_MS - 1_500);
    await settleIo();
    expect(await deferred()).toBe(true);
    await untilReal(() => answer !== undefined);
    expect(answer).toEqual({ status: 200, body: { type: 5 } });
  });
});
