// A signed interaction verifies again for as long as its timestamp is accepted; each id is answered once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createReplayGuard } from '../../../adapters/discord/replay-guard.ts';
import { MAX_AGE_MS, MAX_FUTURE_MS } from '../../../adapters/discord/verify.ts';
import { type Harness, startHarness } from './discord-harness.ts';
import { fixture } from './fixtures.ts';

describe('a replayed signed interaction (real HTTP)', () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness();
  });
  afterAll(() => harness.close());

  it('answers the first request and refuses the same signed id again with 409, without acting twice', async () => {
    const payload = fixture('slash-show-in-installed-guild');
    const first = await harness.post(payload);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ type: 4 });
    const replay = await harness.post(payload);
    expect(replay).toEqual({ status: 409, body: { error: expect.stringContaining('already answered') } });
    // A new interaction (its own id) is answered as usual.
    expect((await harness.post(fixture('slash-show-in-installed-guild'))).status).toBe(200);
  });

  it('answers a PING every time (it has no effect to repeat)', async () => {
    const ping = { type: 1, id: '1300000000000009999', application_id: '1', token: 't', version: 1 };
    expect((await harness.post(ping)).body).toEqual({ type: 1 });
    expect((await harness.post(ping)).body).toEqual({ type: 1 });
  });
});

describe('the replay guard', () => {
  it('remembers an id for the whole signature window, then forgets it', () => {
    let now = 0;
    const guard = createReplayGuard({ now: () => now });
    expect(guard.firstTime('a')).toBe(true);
    now += MAX_AGE_MS + MAX_FUTURE_MS - 1;
    expect(guard.firstTime('a')).toBe(false);
    now += 1;
    expect(guard.firstTime('a')).toBe(true);
  });

  it('stays bounded: past its size the oldest ids go first', () => {
    const guard = createReplayGuard({ now: () => 0, maxIds: 3 });
    for (const id of ['a', 'b', 'c', 'd']) expect(guard.firstTime(id)).toBe(true);
    expect(guard.firstTime('d')).toBe(false);
    expect(guard.firstTime('a')).toBe(true);
  });
});
