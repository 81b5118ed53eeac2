// `/incident subscribe|unsubscribe|subscriptions` through the real signed route: who may, what is stored, what
// the channel sees, and rule autocomplete.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from '../adapters/discord/discord-harness.ts';

const CHANNEL = '1300000000000000100';
const MANAGE_CHANNELS = '16';
const READ_ONLY = '2248473465835073';

const base = JSON.parse(
  readFileSync(new URL('../fixtures/discord/slash-help.json', import.meta.url), 'utf8'),
) as Record<string, unknown> & { member: Record<string, unknown>; data: Record<string, unknown> };

let interactionId = 1_300_000_000_000_001_000n;

function slash(sub: string, options: { rule?: string; permissions?: string; focused?: boolean } = {}) {
  interactionId += 1n;
  const ruleOption =
    options.rule === undefined
      ? []
      : [{ name: 'rule', type: 3, value: options.rule, focused: options.focused }];
  return {
    ...base,
    id: String(interactionId),
    type: options.focused ? 4 : 2,
    member: { ...base.member, permissions: options.permissions ?? MANAGE_CHANNELS },
    data: { ...base.data, options: [{ name: sub, type: 1, options: ruleOption }] },
  };
}

let harness: Harness;
beforeAll(async () => {
  harness = await startHarness();
});
afterAll(() => harness.close());

describe('/incident subscribe', () => {
  it('refuses members without Manage Channels, only to them, and stores nothing', async () => {
    const answer = await harness.post(slash('subscribe', { permissions: READ_ONLY }));
    expect(answer.body.data.flags).toBe(64);
    expect(answer.body.data.content).toMatch(/Only members with Manage Channels in this channel/);
    expect(
      await harness.test.app.notifications.subscriptionsOf({ platform: 'discord', channelId: CHANNEL }),
    ).toEqual([]);
  });

  it('subscribes the channel to one rule by name, then to every rule, and lists both', async () => {
    const one = await harness.post(slash('subscribe', { rule: 'checkout errors' }));
    expect(one.body.data.flags).toBeUndefined();
    expect(one.body.data.embeds[0].description).toMatch(
      /now gets a card for every incident of "Checkout errors"/,
    );
    await harness.post(slash('subscribe'));
    const list = await harness.post(slash('subscriptions', { permissions: READ_ONLY }));
    expect(list.body.data.embeds[0].description).toBe('• Checkout errors\n• every alert rule');
    const stored = await harness.test.app.notifications.subscriptionsOf({
      platform: 'discord',
      channelId: CHANNEL,
    });
    expect(stored.map((s) => [s.organizationId, s.ruleId, s.status])).toEqual([
      ['acme', 101, 'active'],
      ['acme', null, 'active'],
    ]);
  });

  it('names an unknown rule instead of guessing, and never another organization’s rule', async () => {
    const answer = await harness.post(slash('subscribe', { rule: 'Storefront errors' }));
    expect(answer.body.data).toMatchObject({
      flags: 64,
      content: expect.stringMatching(/^No alert rule "Storefront errors" in Acme\./),
    });
  });

  it('unsubscribes by rule id', async () => {
    const answer = await harness.post(slash('unsubscribe', { rule: '101' }));
    expect(answer.body.data.embeds[0].description).toBe(
      'This channel no longer follows "Checkout errors".\n• every alert rule',
    );
  });

  it('suggests the organization’s rules while typing', async () => {
    const answer = await harness.post(slash('subscribe', { rule: 'check', focused: true }));
    expect(answer.body).toEqual({
      type: 8,
      data: {
        choices: [
          { name: 'Checkout errors', value: '101' },
          { name: 'Slow checkout', value: '102' },
        ],
      },
    });
  });
});
