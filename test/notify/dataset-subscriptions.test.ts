// Subscriptions in an imported dataset: a Discord channel id or a Teams conversation reference; a subscription
// without either is refused with the reason, and nothing is imported.
import { afterEach, expect, it } from 'vitest';
import { importDataset } from '../../src/store/import/import.ts';
import { CHANNEL, CHECKOUT_RULE_ID, notifyDataset } from '../fixtures/notify/dataset.ts';
import { createTestApp, type TestApp } from '../support/test-app.ts';

const TEAMS_CHANNEL = '19:8a2b4c6d8e0f4a1b9c3d5e7f9a1b3c5d@thread.tacv2';
const reference = {
  serviceUrl: 'https://smba.trafficmanager.net/amer/',
  channelId: 'msteams',
  conversation: { id: TEAMS_CHANNEL, conversationType: 'channel' },
};

let testApp: TestApp;
afterEach(() => testApp?.close());

it('imports Discord and Teams subscriptions, and re-importing keeps one of each', async () => {
  const dataset = {
    ...notifyDataset(1),
    subscriptions: [
      { platform: 'discord', organizationId: 'acme', channelId: CHANNEL, ruleId: CHECKOUT_RULE_ID },
      { platform: 'teams', organizationId: 'acme', conversation: reference, ruleId: null },
    ],
  };
  testApp = await createTestApp({ dataset });
  expect((await importDataset(testApp.store, dataset)).ok).toBe(true);
  const { notifications } = testApp.app;
  expect(await notifications.subscriptionsOf({ platform: 'discord', channelId: CHANNEL })).toMatchObject([
    { organizationId: 'acme', ruleId: CHECKOUT_RULE_ID, status: 'active', conversation: null },
  ]);
  expect(await notifications.subscriptionsOf({ platform: 'teams', channelId: TEAMS_CHANNEL })).toMatchObject([
    { ruleId: null, conversation: reference },
  ]);
});

it('refuses a subscription that names no channel', async () => {
  testApp = await createTestApp({ dataset: notifyDataset(1) });
  const outcome = await importDataset(testApp.store, {
    version: 1,
    subscriptions: [{ platform: 'discord', organizationId: 'acme', ruleId: null }],
  });
  expect(outcome).toMatchObject({
    ok: false,
    errors: [
      { reason: expect.stringContaining('needs a channelId (Discord) or a conversation reference (Teams)') },
    ],
  });
});
