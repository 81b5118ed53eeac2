// `@bot subscribe` in a Teams channel stores the channel's conversation reference; incident changes then reach
// it as proactive messages through botbuilder (continueConversationAsync, updateActivity, thread replies),
// received by the loopback Bot Connector.
import { afterEach, describe, expect, it } from 'vitest';
import { createTeamsSender } from '../../adapters/teams/deliver.ts';
import { TEAMS_SETTINGS } from '../../adapters/teams/config.ts';
import { teamsAuth } from '../../adapters/teams/verify.ts';
import { loadSection } from '../../src/config.ts';
import type { IncidentChange } from '../../src/lifecycle/change.ts';
import { createLogger } from '../../src/log.ts';
import { enqueueNotifications } from '../../src/notify/enqueue.ts';
import { findIncidentIn } from '../../src/notify/find-incident.ts';
import { createNotificationWorker } from '../../src/notify/worker.ts';
import { importDataset } from '../../src/store/import/import.ts';
import { APP_ID, startTeamsHarness, type TeamsHarness } from '../adapters/teams/harness.ts';

const CHANNEL = '19:8a2b4c6d8e0f4a1b9c3d5e7f9a1b3c5d@thread.tacv2';
/** `from.aadObjectId` of the message fixtures. */
const MEGAN_AAD_ID = '6b8a5d9c-1e2f-4a3b-9c8d-7e6f5a4b3c2d';
const ACME_TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';

let harness: TeamsHarness;
afterEach(() => harness?.close());

function say(text: string, fixture = 'message-incident-42-in-channel') {
  const activity = harness.fixture(fixture);
  const mentioned = Array.isArray(activity.entities) && activity.entities.some((e) => e.type === 'mention');
  return harness.post({ ...activity, text: mentioned ? `<at>Incident cards</at> ${text}` : text });
}

let version = 100;
function change(kind: IncidentChange['kind'], to: IncidentChange['to']): IncidentChange {
  version += 1;
  return {
    organizationId: 'acme',
    incidentId: 5001,
    identifier: 42,
    alertRuleId: 101,
    kind,
    from: null,
    to,
    version,
    at: '2026-11-20T12:00:00Z',
    value: null,
    snoozedUntil: null,
    by: null,
  };
}

async function deliver(changes: IncidentChange[]) {
  const { app, store } = harness.testApp;
  const connection = await store.database.dedicatedConnection();
  await connection.run('BEGIN TRANSACTION');
  await enqueueNotifications(connection, changes);
  await connection.run('COMMIT');
  connection.closeSync();
  const settings = loadSection(TEAMS_SETTINGS, app.config.env);
  if (!settings.ok) throw new Error(settings.reason);
  const auth = teamsAuth(settings.value);
  if (!auth.ok || auth.auth.mode !== 'jwt') throw new Error('the harness runs Teams with an app id');
  await createNotificationWorker({
    store: app.notifications,
    senders: { teams: createTeamsSender(auth.auth.authentication, APP_ID) },
    cards: app.cards,
    findIncident: findIncidentIn(app.repository),
    logger: createLogger('silent'),
  }).runUntilIdle();
}

const cardTitle = (activity: Record<string, unknown>) =>
  // biome-ignore lint/suspicious/noExplicitAny: the Adaptive Card body is read freely after the schema tests
  (activity.attachments as any)[0].content.body[0].items[0].text as string;

describe('a Teams channel subscribed with @bot subscribe', () => {
  it('stores the channel reference, then gets one card, edited in place with a reply in its thread', async () => {
    harness = await startTeamsHarness();
    await say('subscribe Checkout errors');
    const confirmation = harness.connector.calls.at(-1)!;
    expect(JSON.stringify(confirmation.activity)).toContain(
      'now gets a card for every incident of \\"Checkout errors\\"',
    );
    const [subscription] = await harness.testApp.app.notifications.subscriptionsOf({
      platform: 'teams',
      channelId: CHANNEL,
    });
    expect(subscription).toMatchObject({ ruleId: 101, conversation: { conversation: { id: CHANNEL } } });
    const before = harness.connector.calls.length;

    await deliver([change('created', 'warning')]);
    const [post] = harness.connector.calls.slice(before);
    expect(post).toMatchObject({ method: 'POST', conversationId: CHANNEL, activityId: null });
    expect(cardTitle(post!.activity)).toBe('Warning: Checkout errors');

    await deliver([change('escalated', 'critical')]);
    const [edit, reply] = harness.connector.calls.slice(before + 1);
    expect(edit).toMatchObject({ method: 'PUT', conversationId: CHANNEL, activityId: 'sent-2' });
    expect(cardTitle(edit!.activity)).toBe('Critical: Checkout errors');
    expect(reply).toMatchObject({
      method: 'POST',
      activityId: 'sent-2',
      activity: { text: 'Escalated to Critical: Checkout errors (#42).' },
    });
  });

  it('marks the subscription broken when the connector says the conversation is gone', async () => {
    harness = await startTeamsHarness();
    await say('subscribe');
    harness.connector.failWith(404);
    await deliver([change('created', 'critical')]);
    const list = await harness.testApp.app.notifications.subscriptionsOf({
      platform: 'teams',
      channelId: CHANNEL,
    });
    expect(list).toMatchObject([
      { ruleId: null, status: 'broken', brokenReason: expect.stringContaining('404') },
    ]);
    harness.connector.failWith(null);
    await say('subscriptions');
    expect(JSON.stringify(harness.connector.calls.at(-1)!.activity)).toContain('Broken: 404');
  });

  it('refuses to subscribe a personal chat', async () => {
    harness = await startTeamsHarness();
    await say('subscribe', 'message-list-in-personal-chat');
    expect(JSON.stringify(harness.connector.calls.at(-1)!.activity)).toContain(
      'Subscribe in a channel or group chat',
    );
  });

  it("lets only the installation's subscribers change subscriptions when it lists them", async () => {
    harness = await startTeamsHarness();
    const installation = { platform: 'teams', tenantId: ACME_TENANT, organizationId: 'acme' };
    const restrict = async (subscribers: string[]) => {
      const imported = await importDataset(harness.testApp.store, {
        version: 1,
        installations: [{ ...installation, subscribers }],
      });
      expect(imported.ok).toBe(true);
      await harness.testApp.app.repository.reload();
    };
    const stored = () =>
      harness.testApp.app.notifications.subscriptionsOf({ platform: 'teams', channelId: CHANNEL });

    await restrict(['someone-else-aad-id']);
    await say('subscribe');
    expect(JSON.stringify(harness.connector.calls.at(-1)!.activity)).toContain(
      'lets only the people it lists',
    );
    expect(await stored()).toEqual([]);
    await say('subscriptions');
    expect(JSON.stringify(harness.connector.calls.at(-1)!.activity)).toContain('follows no alert rules');

    await restrict(['someone-else-aad-id', MEGAN_AAD_ID]);
    await say('subscribe');
    expect(await stored()).toMatchObject([{ ruleId: null, status: 'active' }]);
  });
});

describe('a Teams subscription imported by channel id', () => {
  it('is delivered with the reference the bot kept when it was added to the team', async () => {
    harness = await startTeamsHarness();
    const installed = harness.fixture('installation-update-added-to-team');
    await harness.post(installed);
    const imported = await importDataset(harness.testApp.store, {
      version: 1,
      subscriptions: [{ platform: 'teams', organizationId: 'acme', channelId: CHANNEL, ruleId: null }],
    });
    expect(imported.ok).toBe(true);
    const before = harness.connector.calls.length;
    await deliver([change('created', 'warning')]);
    const [post] = harness.connector.calls.slice(before);
    expect(post).toMatchObject({ method: 'POST', conversationId: CHANNEL, activityId: null });
    expect(cardTitle(post!.activity)).toBe('Warning: Checkout errors');
  });
});
