// End to end as `serve` wires it: events → an evaluator tick → the incident change and its outbox job committed
// together → the worker, woken after the commit → the loopback Discord, through the real notifier the adapter
// offers (settings from the environment, @discordjs/rest).
import { afterEach, describe, expect, it, vi } from 'vitest';
import { discordNotifier } from '../../adapters/discord/index.ts';
import { createAlertEvaluator } from '../../src/alerting/alert-evaluator.ts';
import { notificationHooks } from '../../src/notify/lifecycle-hooks.ts';
import { startNotifications } from '../../src/notify/start.ts';
import type { NotificationWorker } from '../../src/notify/worker.ts';
import { alertingDataset, MINUTE, T0, writeMinutes } from '../alerting/alerting-fixture.ts';
import { type FakeDiscordChannels, startFakeDiscordChannels } from '../support/fake-discord-channels.ts';
import { createTestApp, type TestApp } from '../support/test-app.ts';

const CHANNEL = '1100000000000000001';
const at = (k: number) => T0 + k * MINUTE;

let fake: FakeDiscordChannels;
let testApp: TestApp;
let worker: NotificationWorker;
afterEach(async () => {
  await worker?.stop();
  await testApp?.close();
  await fake?.close();
});

type Embed = { title: string };
const title = (body: Record<string, unknown>) => (body.embeds as Embed[])[0]!.title;

describe('an evaluator tick in a server with a subscribed Discord channel', () => {
  it('posts one card when the incident opens, edits and replies on escalation, edits on resolution', async () => {
    fake = await startFakeDiscordChannels({ channels: [CHANNEL] });
    const hooks = notificationHooks();
    testApp = await createTestApp({
      dataset: {
        ...alertingDataset(),
        subscriptions: [{ platform: 'discord', organizationId: 'acme', channelId: CHANNEL, ruleId: 201 }],
      },
      env: { DISCORD_BOT_TOKEN: 'test-bot-token', DISCORD_API_BASE_URL: fake.baseUrl },
      ...hooks,
    });
    worker = startNotifications(testApp.app, [discordNotifier]);
    hooks.attach(worker);
    const wake = vi.spyOn(worker, 'wake');
    const evaluator = createAlertEvaluator(testApp.app, testApp.store.database, MINUTE);
    const delivered = () =>
      vi.waitFor(async () => expect(await testApp.app.notifications.counts()).toMatchObject({ pending: 0 }), {
        timeout: 20_000,
        interval: 20,
      });
    // Warning (60 > 50), then critical (120 > 100), then resolved (5 < 10).
    await writeMinutes(testApp, [60, 120, 5]);

    const opened = await evaluator.evaluate(at(0));
    expect(opened.changes.map((change) => change.kind)).toEqual(['created']);
    expect(wake).toHaveBeenCalledTimes(1);
    await delivered();
    expect(fake.messages).toHaveLength(1);
    const [card] = fake.messages;
    expect(title(card!.body)).toBe('Warning: Checkout errors (live)');
    expect(card!.channelId).toBe(CHANNEL);

    await evaluator.evaluate(at(1));
    await delivered();
    expect(card!.edits.map(title)).toEqual(['Critical: Checkout errors (live)']);
    expect(fake.messages).toHaveLength(2);
    expect(fake.messages[1]!.body).toMatchObject({
      content: expect.stringMatching(/^Escalated to Critical: Checkout errors \(live\) \(#43\)/),
      message_reference: { message_id: card!.id },
    });

    await evaluator.evaluate(at(2));
    await delivered();
    expect(card!.edits.map(title)).toEqual([
      'Critical: Checkout errors (live)',
      'Resolved: Checkout errors (live)',
    ]);
    expect(fake.messages.at(-1)!.body).toMatchObject({ message_reference: { message_id: card!.id } });
    expect(fake.messages).toHaveLength(3);
    expect(fake.requests.filter((request) => request.method === 'POST')).toHaveLength(3);
    expect(await testApp.app.notifications.counts()).toEqual({ pending: 0, sent: 3, failed: 0 });
  }, 60_000);
});
