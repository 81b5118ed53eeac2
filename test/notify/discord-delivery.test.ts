// Incident changes → cards in Discord channels through the persisted outbox, against a loopback Discord that
// receives what @discordjs/rest really sends.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { enqueueNotifications } from '../../src/notify/enqueue.ts';
import {
  BURST_RULE_BASE,
  CHANNEL,
  CHECKOUT_RULE_ID,
  OTHER_CHANNEL,
  QUEUE_RULE_ID,
} from '../fixtures/notify/dataset.ts';
import { change, type DiscordNotifyHarness, startDiscordNotifyHarness } from './discord-harness.ts';

let harness: DiscordNotifyHarness;
afterEach(() => harness?.close());

const subscribe = (channelId: string, ruleId: number | null = null) =>
  harness.store.subscribe(
    { platform: 'discord', organizationId: 'acme', channelId, conversation: null, ruleId },
    new Date().toISOString(),
  );

type Embed = { title: string; fields: { name: string; value: string }[] };
const embedOf = (body: Record<string, unknown>) => (body.embeds as Embed[])[0]!;

describe('an incident followed by one channel', () => {
  it('posts one card when it opens, edits it and replies when it escalates, edits it again when it resolves', async () => {
    harness = await startDiscordNotifyHarness();
    await subscribe(CHANNEL);
    const worker = harness.worker();

    await harness.commit([change(1, 'created', 'warning', 12)]);
    await worker.runUntilIdle();
    expect(harness.fake.messages).toHaveLength(1);
    const [card] = harness.fake.messages;
    expect(embedOf(card!.body).title).toBe('Warning: Checkout errors');
    expect(card!.body).toMatchObject({ enforce_nonce: true, nonce: expect.any(String) });

    await harness.commit([change(1, 'escalated', 'critical', 25)]);
    await worker.runUntilIdle();
    expect(harness.fake.messages).toHaveLength(2);
    expect(card!.edits.map((edit) => embedOf(edit).title)).toEqual(['Critical: Checkout errors']);
    const reply = harness.fake.messages[1]!;
    expect(reply.body).toMatchObject({
      content: 'Escalated to Critical: Checkout errors (#1).',
      message_reference: { message_id: card!.id },
      allowed_mentions: { parse: [] },
    });

    await harness.commit([change(1, 'resolved', 'resolved', 1)]);
    await worker.runUntilIdle();
    const resolved = embedOf(card!.edits[1]!);
    expect(resolved.title).toBe('Resolved: Checkout errors');
    expect(resolved.fields.find((field) => field.name === 'Resolved')?.value).toMatch(
      /^2026-11-20 12:0\d:00 UTC: the value went back to 1 \(below the resolve threshold 2\)$/,
    );
    expect(harness.fake.messages.at(-1)!.body).toMatchObject({
      content: 'Resolved: Checkout errors (#1): the value went back to 1 (below the resolve threshold 2).',
      message_reference: { message_id: card!.id },
    });
    expect(harness.fake.messages).toHaveLength(3);
    expect(await harness.store.counts()).toEqual({ pending: 0, sent: 3, failed: 0 });
  });

  it('a de-escalation only edits the card', async () => {
    harness = await startDiscordNotifyHarness();
    await subscribe(CHANNEL);
    const worker = harness.worker();
    await harness.commit([change(1, 'created', 'critical')]);
    await worker.runUntilIdle();
    await harness.commit([change(1, 'deescalated', 'warning')]);
    await worker.runUntilIdle();
    expect(harness.fake.messages).toHaveLength(1);
    expect(embedOf(harness.fake.messages[0]!.edits[0]!).title).toBe('Warning: Checkout errors');
  });
});

describe('several subscriptions', () => {
  it('make one card per channel, all kept in step; another rule and other organizations get nothing', async () => {
    harness = await startDiscordNotifyHarness({ channels: [CHANNEL, OTHER_CHANNEL] });
    await subscribe(CHANNEL, null);
    await subscribe(CHANNEL, CHECKOUT_RULE_ID);
    await subscribe(OTHER_CHANNEL, CHECKOUT_RULE_ID);
    await harness.store.subscribe(
      {
        platform: 'discord',
        organizationId: 'acme',
        channelId: '1100000000000000003',
        conversation: null,
        ruleId: QUEUE_RULE_ID,
      },
      new Date().toISOString(),
    );
    const worker = harness.worker();
    expect(await harness.commit([change(1, 'created', 'warning')])).toBe(2);
    await worker.runUntilIdle();
    await harness.commit([change(1, 'escalated', 'critical')]);
    await worker.runUntilIdle();
    const cards = harness.fake.messages.filter((message) => message.body.embeds);
    expect(cards.map((message) => message.channelId).sort()).toEqual([CHANNEL, OTHER_CHANNEL]);
    for (const card of cards)
      expect(card.edits.map((edit) => embedOf(edit).title)).toEqual(['Critical: Checkout errors']);
  });

  it('a rolled-back change leaves no jobs behind', async () => {
    harness = await startDiscordNotifyHarness();
    await subscribe(CHANNEL);
    const connection = await harness.testApp.store.database.dedicatedConnection();
    await connection.run('BEGIN TRANSACTION');
    expect(await enqueueNotifications(connection, [change(1, 'created', 'warning')])).toBe(1);
    await connection.run('ROLLBACK');
    connection.closeSync();
    expect(await harness.store.counts()).toEqual({ pending: 0, sent: 0, failed: 0 });
  });

  it('enqueuing the same change twice writes its jobs once', async () => {
    harness = await startDiscordNotifyHarness();
    await subscribe(CHANNEL);
    const opened = change(1, 'created', 'warning');
    expect(await harness.commit([opened])).toBe(1);
    expect(await harness.commit([opened])).toBe(0);
  });
});

describe('when Discord pushes back', () => {
  it('waits out a 429 Retry-After and then posts exactly once', async () => {
    harness = await startDiscordNotifyHarness();
    await subscribe(CHANNEL);
    harness.fake.script([{ status: 429, retryAfterSeconds: 1 }]);
    await harness.commit([change(1, 'created', 'warning')]);
    await harness.worker().runUntilIdle();
    const [limited, posted] = harness.fake.requests;
    expect([limited?.status, posted?.status]).toEqual([429, 200]);
    expect(posted!.at - limited!.at).toBeGreaterThanOrEqual(950);
    expect(harness.fake.messages).toHaveLength(1);
    expect((await harness.metrics.retried.get()).values[0]?.value).toBe(1);
  });

  it('keeps retrying through a run of 500s and delivers once it is back', async () => {
    harness = await startDiscordNotifyHarness();
    await subscribe(CHANNEL);
    harness.fake.script(Array.from({ length: 4 }, () => ({ status: 500 })));
    await harness.commit([change(1, 'created', 'warning')]);
    const worker = harness.worker();
    worker.start();
    await vi.waitFor(() => expect(harness.fake.messages).toHaveLength(1), { timeout: 10_000 });
    await worker.stop();
    expect(harness.fake.requests.map((request) => request.status)).toEqual([500, 500, 500, 500, 200]);
    const [job] = await harness.store.list({});
    expect(job).toMatchObject({ state: 'sent', attempts: 4, lastError: expect.stringContaining('500') });
  });

  it('marks the subscription broken when the channel is deleted, and stops sending there', async () => {
    harness = await startDiscordNotifyHarness();
    await subscribe(CHANNEL);
    const worker = harness.worker();
    await harness.commit([change(1, 'created', 'warning')]);
    await worker.runUntilIdle();
    harness.fake.deleteChannel(CHANNEL);
    await harness.commit([change(1, 'escalated', 'critical')]);
    await worker.runUntilIdle();
    const [subscription] = await harness.store.subscriptionsOf({ platform: 'discord', channelId: CHANNEL });
    expect(subscription).toMatchObject({
      status: 'broken',
      brokenReason: expect.stringContaining('Unknown Channel'),
    });
    expect(await harness.store.counts()).toEqual({ pending: 0, sent: 1, failed: 1 });
    expect(await harness.commit([change(1, 'resolved', 'resolved')])).toBe(0);
  });
});

describe('a deleted card', () => {
  it('is replaced by a fresh card (10008 Unknown Message), which later changes edit', async () => {
    harness = await startDiscordNotifyHarness();
    await subscribe(CHANNEL);
    const worker = harness.worker();
    await harness.commit([change(1, 'created', 'warning')]);
    await worker.runUntilIdle();
    const [deleted] = harness.fake.messages;
    harness.fake.deleteMessage(deleted!.id);

    await harness.commit([change(1, 'escalated', 'critical')]);
    await worker.runUntilIdle();
    const [fresh, reply] = harness.fake.messages;
    expect(fresh!.id).not.toBe(deleted!.id);
    expect(embedOf(fresh!.body).title).toBe('Critical: Checkout errors');
    expect(reply!.body).toMatchObject({ message_reference: { message_id: fresh!.id } });
    expect(harness.fake.requests.filter((r) => r.status === 404)).toHaveLength(1);

    await harness.commit([change(1, 'resolved', 'resolved')]);
    await worker.runUntilIdle();
    expect(embedOf(fresh!.edits[0]!).title).toBe('Resolved: Checkout errors');
    expect(await harness.store.counts()).toEqual({ pending: 0, sent: 3, failed: 0 });
    const [subscription] = await harness.store.subscriptionsOf({ platform: 'discord', channelId: CHANNEL });
    expect(subscription).toMatchObject({ status: 'active' });
  });
});

describe('a crash', () => {
  it('between the commit and the send: the next worker on the same store delivers once', async () => {
    harness = await startDiscordNotifyHarness();
    await subscribe(CHANNEL);
    const first = harness.worker();
    first.start();
    await first.stop();
    await harness.commit([change(1, 'created', 'warning')]);
    expect(harness.fake.requests).toHaveLength(0);
    await harness.worker().runUntilIdle();
    expect(harness.fake.messages).toHaveLength(1);
  });

  it('after Discord took the post but before it was recorded: the repeated post returns the same message', async () => {
    harness = await startDiscordNotifyHarness();
    await subscribe(CHANNEL);
    const crashing = harness.worker({
      senders: {
        discord: {
          ...harness.sender,
          async post(target, card, nonce) {
            await harness.sender.post(target, card, nonce);
            throw new Error('killed before recording the message id');
          },
        },
      },
    });
    await harness.commit([change(1, 'created', 'warning')]);
    await crashing.runUntilIdle();
    expect(await harness.store.counts()).toMatchObject({ pending: 1, sent: 0 });
    const restarted = harness.worker();
    restarted.start();
    await vi.waitFor(async () => expect(await harness.store.counts()).toMatchObject({ pending: 0, sent: 1 }));
    await restarted.stop();
    await harness.commit([change(1, 'escalated', 'critical')]);
    await harness.worker().runUntilIdle();
    const cards = harness.fake.messages.filter((message) => message.body.embeds);
    expect(cards).toHaveLength(1);
    expect(cards[0]!.edits).toHaveLength(1);
    expect(harness.fake.requests.filter((request) => request.method === 'POST')).toHaveLength(3);
  });
});

describe('a burst', () => {
  it('delivers 1,000 incidents opening in one tick, one channel each, never faster than the platform allows', async () => {
    const channels = Array.from({ length: 1000 }, (_, index) =>
      String(1_200_000_000_000_000_000n + BigInt(index)),
    );
    // Ten times Discord's rates on both sides, so the same property takes a tenth of the time.
    harness = await startDiscordNotifyHarness({
      incidents: 1000,
      rulePerIncident: true,
      channels,
      globalPerSecond: 500,
      sender: { rates: { globalRequestsPerSecond: 500, notificationsPerSecond: 450 } },
    });
    for (const [index, channelId] of channels.entries())
      await subscribe(channelId, BURST_RULE_BASE + index + 1);
    const changes = channels.map((_, index) => ({
      ...change(index + 1, 'created', 'warning'),
      alertRuleId: BURST_RULE_BASE + index + 1,
    }));
    expect(await harness.commit(changes)).toBe(1000);
    await harness.worker({ concurrency: 64 }).runUntilIdle();
    expect(harness.fake.globalLimited()).toBe(0);
    expect(new Set(harness.fake.messages.map((message) => message.channelId)).size).toBe(1000);
    expect(harness.fake.messages).toHaveLength(1000);
    expect(await harness.store.counts()).toEqual({ pending: 0, sent: 1000, failed: 0 });
  }, 120_000);
});
