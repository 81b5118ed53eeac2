// Subscriptions in an imported dataset: a Discord channel id or a Teams conversation reference, of an organization
// and rule that exist; a subscription without a channel or with a wrong reference is refused with the reason (at
// its line, from a file), and nothing is imported.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { formatError } from '../../src/store/import/errors.ts';
import { importDataset, importFiles } from '../../src/store/import/import.ts';
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

it('checks that a subscription names an existing organization and a rule of that organization, at its line', async () => {
  testApp = await createTestApp({ dataset: notifyDataset(1) });
  const file = join(testApp.dataDir, 'subscriptions.json');
  // One key per line, so each problem's line is easy to read off.
  const lines = [
    '{',
    '  "version": 1,',
    '  "organizations": [{ "id": "globex", "name": "Globex" }],',
    '  "alertRules": [{ "id": 301, "organizationId": "globex", "name": "Globex errors", "dataset": "events",',
    '    "aggregate": "count()", "query": "", "timeWindow": 600, "thresholdType": "above",',
    '    "resolveThreshold": null, "triggers": [{ "id": 3001, "label": "critical", "alertThreshold": 5 }] }],',
    '  "subscriptions": [',
    `    { "platform": "discord", "organizationId": "acme", "channelId": "${CHANNEL}", "ruleId": ${CHECKOUT_RULE_ID} },`,
    `    { "platform": "discord", "organizationId": "nowhere", "channelId": "${CHANNEL}", "ruleId": null },`,
    `    { "platform": "discord", "organizationId": "acme", "channelId": "${CHANNEL}", "ruleId": 999 },`,
    `    { "platform": "discord", "organizationId": "acme", "channelId": "${CHANNEL}", "ruleId": 301 }`,
    '  ]',
    '}',
  ];
  await writeFile(file, lines.join('\n'));
  const outcome = await importFiles(testApp.store, [file]);
  expect(outcome.ok).toBe(false);
  if (outcome.ok) return;
  expect(outcome.errors.map(formatError)).toEqual([
    `${file}:9: subscriptions.1.organizationId: unknown organization "nowhere"`,
    `${file}:10: subscriptions.2.ruleId: unknown alert rule 999`,
    `${file}:11: subscriptions.3.ruleId: alert rule 301 belongs to "globex"`,
  ]);
  expect(
    await testApp.app.notifications.subscriptionsOf({ platform: 'discord', channelId: CHANNEL }),
  ).toEqual([]);
});
