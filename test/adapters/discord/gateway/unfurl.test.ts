// Link unfurls end to end: the fake Discord dispatches messages over a real WebSocket, the real discord.js
// client receives them, and the replies it sends through REST are checked against Discord's OpenAPI schema.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { QueryBackend } from '../../../../src/query/backend.ts';
import { expectValidCreateMessage, expectValidEditMessage } from '../discord-schemas.ts';
import type { RecordedMessageRequest } from './fake-discord.ts';
import {
  ACME_CHANNELS,
  ACME_GUILD,
  EXTRA_IDENTIFIERS,
  GLOBEX_CHANNEL,
  GLOBEX_GUILD,
  type GatewayHarness,
  link,
  startGatewayHarness,
  UNKNOWN_CHANNEL,
  UNKNOWN_GUILD,
} from './gateway-harness.ts';

// biome-ignore lint/suspicious/noExplicitAny: bodies are checked against Discord's schema first, then read freely
type Body = any;

const AUTHOR = '1300000000000000200';
const [
  channelOne,
  channelTen,
  channelEleven,
  channelQuiet,
  channelEdit,
  channelDelete,
  channelRate,
  channelIds,
] = ACME_CHANNELS;

function expectValid(request: RecordedMessageRequest): Body {
  if (request.method === 'POST') expectValidCreateMessage(request.body);
  if (request.method === 'PATCH') expectValidEditMessage(request.body);
  return request.body;
}

/** The requests that answer message `id` (the POST replying to it, and what later targets that reply). */
function requestsFor(harness: GatewayHarness, id: string): RecordedMessageRequest[] {
  const post = harness.fake.messageRequests.find(
    (request) => request.method === 'POST' && (request.body as Body).message_reference?.message_id === id,
  );
  if (!post) return [];
  return harness.fake.messageRequests.filter(
    (request) => request === post || (request.method !== 'POST' && request.messageId === post.messageId),
  );
}

async function until<T>(probe: () => T | undefined | false, what: string, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`no ${what} within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

const replyTo = (harness: GatewayHarness, id: string, count = 1) =>
  until(() => requestsFor(harness, id).length >= count && requestsFor(harness, id), `reply to ${id}`);

/** Card links are signed (issue 17): the page link, then its expiry and signature. */
const signed = (organizationId: string, identifier: number) =>
  expect.stringMatching(
    new RegExp(`^${link(organizationId, identifier).replace(/[.?/]/g, '\\$&')}\\?exp=\\d+&sig=[\\w-]{43}$`),
  );

const links = (identifiers: readonly number[]) =>
  identifiers.map((identifier) => link('acme', identifier)).join(' ');

describe('messages with incident links', () => {
  let harness: GatewayHarness;
  let clock = Date.parse('2026-11-20T12:00:00Z');
  beforeAll(async () => {
    harness = await startGatewayHarness({ now: () => clock });
    expect(await harness.gateway.started).toEqual({ ok: true, shards: 1 });
  });
  afterAll(() => harness.close());

  it('discovers the gateway through DISCORD_API_BASE_URL and identifies with the three intents', () => {
    expect(harness.fake.gatewayBotRequests()).toBeGreaterThanOrEqual(1);
    // Guilds (1) | GuildMessages (512) | MessageContent (32768)
    expect(harness.fake.identifies).toEqual([
      { intents: 1 | 512 | 32768, shard: [0, 1], token: 'test-bot-token' },
    ]);
  });

  it('answers one link with one reply carrying its live card, Refresh, Open and Dismiss', async () => {
    const id = harness.send({
      channelId: channelOne!,
      guildId: ACME_GUILD,
      content: `see ${link('acme', 42)}`,
    });
    const [request] = await replyTo(harness, id);
    expect(request).toMatchObject({
      method: 'POST',
      channelId: channelOne,
      authorization: 'Bot test-bot-token',
    });
    const body = expectValid(request!);
    expect(body.message_reference).toEqual({ message_id: id, fail_if_not_exists: true });
    expect(body.allowed_mentions).toEqual({ parse: [], replied_user: false });
    expect(body.embeds).toHaveLength(1);
    expect(body.embeds[0]).toMatchObject({ url: signed('acme', 42), title: 'Critical: Checkout errors' });
    expect(body.content).toBeUndefined();
    expect(body.components[0].components.map((button: Body) => button.custom_id ?? button.url)).toEqual([
      'ic1:r:acme:42',
      signed('acme', 42),
      `ic1:x:${AUTHOR}`,
    ]);
  });

  it('answers ten links with ten cards in one reply', async () => {
    const ten = [42, 43, 44, 45, ...EXTRA_IDENTIFIERS.slice(0, 6)];
    const id = harness.send({ channelId: channelTen!, guildId: ACME_GUILD, content: links(ten) });
    const [request] = await replyTo(harness, id);
    const body = expectValid(request!);
    const shown = body.embeds.map((embed: Body) => embed.url);
    // Whatever does not fit Discord's 6,000 characters is listed as a link under the cards.
    const spilled = [...(body.content ?? '').matchAll(/\[#(\d+)\]/g)].map((match) => Number(match[1]));
    expect([...shown.map((url: string) => Number(url.split('?')[0]!.split('/').pop())), ...spilled]).toEqual(
      ten,
    );
    expect(body.components[0].components[0].custom_id).toBe(`ic1:r:acme:${ten.join('.')}`);
  });

  it('answers eleven links with the first ten and "and 1 more"', async () => {
    const eleven = [42, 43, 44, 45, ...EXTRA_IDENTIFIERS.slice(0, 7)];
    const id = harness.send({ channelId: channelEleven!, guildId: ACME_GUILD, content: links(eleven) });
    const [request] = await replyTo(harness, id);
    const body = expectValid(request!);
    expect(body.content).toMatch(/…and 1 more$/);
    expect(body.components[0].components[0].custom_id).toBe(`ic1:r:acme:${eleven.slice(0, 10).join('.')}`);
  });

  it('ignores bots, webhooks, other organizations and guilds without an organization', async () => {
    const quiet = [
      harness.send({
        channelId: channelQuiet!,
        guildId: ACME_GUILD,
        content: link('acme', 42),
        author: { id: '1300000000000000300', bot: true },
      }),
      harness.send({
        channelId: channelQuiet!,
        guildId: ACME_GUILD,
        content: link('acme', 42),
        webhookId: '1300000000000000400',
      }),
      harness.send({
        channelId: channelQuiet!,
        guildId: ACME_GUILD,
        content: `${link('globex', 7)} https://globex.sentry.io/alerts/rules/details/3/?alert=7`,
      }),
      harness.send({ channelId: GLOBEX_CHANNEL, guildId: GLOBEX_GUILD, content: link('acme', 42) }),
      harness.send({ channelId: UNKNOWN_CHANNEL, guildId: UNKNOWN_GUILD, content: link('acme', 42) }),
      harness.send({
        channelId: channelQuiet!,
        guildId: ACME_GUILD,
        content: `${link('acme', 9999)} and #42`,
      }),
    ];
    // Messages of one connection arrive in order: once the next one is answered, the ones before were handled.
    const marker = harness.send({ channelId: channelQuiet!, guildId: ACME_GUILD, content: link('acme', 43) });
    await replyTo(harness, marker);
    for (const id of quiet) expect(requestsFor(harness, id)).toEqual([]);
    const globex = harness.send({
      channelId: GLOBEX_CHANNEL,
      guildId: GLOBEX_GUILD,
      content: link('globex', 7),
    });
    const [request] = await replyTo(harness, globex);
    expect(expectValid(request!).embeds[0].url).toEqual(signed('globex', 7));
  });

  it('edits the reply when the message is edited, and deletes it when no link remains', async () => {
    const fields = { channelId: channelEdit!, guildId: ACME_GUILD };
    const id = harness.send({ ...fields, content: link('acme', 42) });
    const [post] = await replyTo(harness, id);
    // Discord also sends an update when it resolves the link's embed: same links, nothing to do.
    harness.update({ ...fields, id, content: link('acme', 42) });
    harness.update({ ...fields, id, content: `${link('acme', 42)} ${link('acme', 43)}` });
    const [, patch] = await replyTo(harness, id, 2);
    expect(patch).toMatchObject({ method: 'PATCH', channelId: channelEdit, messageId: post!.messageId });
    const body = expectValid(patch!);
    expect(body.embeds.map((embed: Body) => embed.url)).toEqual([signed('acme', 42), signed('acme', 43)]);
    expect(body.content).toBe('');
    harness.update({ ...fields, id, content: 'never mind' });
    const [, , deletion] = await replyTo(harness, id, 3);
    expect(deletion).toMatchObject({ method: 'DELETE', messageId: post!.messageId });
    expect(requestsFor(harness, id)).toHaveLength(3);
  });

  it('deletes the reply when the message is deleted', async () => {
    const id = harness.send({ channelId: channelDelete!, guildId: ACME_GUILD, content: link('acme', 44) });
    const [post] = await replyTo(harness, id);
    harness.remove(id, channelDelete!, ACME_GUILD);
    const [, deletion] = await replyTo(harness, id, 2);
    expect(deletion).toMatchObject({
      method: 'DELETE',
      channelId: channelDelete,
      messageId: post!.messageId,
    });
  });

  it('stops unfurling in a channel after ten replies in a minute, and starts again a minute later', async () => {
    const ids = Array.from({ length: 11 }, () =>
      harness.send({ channelId: channelRate!, guildId: ACME_GUILD, content: link('acme', 45) }),
    );
    const other = harness.send({ channelId: channelOne!, guildId: ACME_GUILD, content: link('acme', 45) });
    await replyTo(harness, other);
    await until(() => ids.slice(0, 10).every((id) => requestsFor(harness, id).length === 1), 'ten replies');
    expect(requestsFor(harness, ids[10]!)).toEqual([]);
    clock += 60_000;
    const later = harness.send({ channelId: channelRate!, guildId: ACME_GUILD, content: link('acme', 45) });
    await replyTo(harness, later);
  });

  it('counts #<identifier> only where the channel opted in', async () => {
    const before = harness.send({ channelId: channelIds!, guildId: ACME_GUILD, content: 'is #42 back?' });
    await harness.test.app.unfurlSettings.set({
      platform: 'discord',
      tenantId: ACME_GUILD,
      channelId: channelIds!,
      enabled: true,
      identifiers: true,
    });
    const after = harness.send({ channelId: channelIds!, guildId: ACME_GUILD, content: 'is #42 back?' });
    const [request] = await replyTo(harness, after);
    expect(expectValid(request!).embeds[0].url).toEqual(signed('acme', 42));
    expect(requestsFor(harness, before)).toEqual([]);
  });

  it('stays quiet where unfurls are switched off', async () => {
    await harness.test.app.unfurlSettings.set({
      platform: 'discord',
      tenantId: ACME_GUILD,
      channelId: channelQuiet!,
      enabled: false,
      identifiers: false,
    });
    const off = harness.send({ channelId: channelQuiet!, guildId: ACME_GUILD, content: link('acme', 42) });
    const marker = harness.send({ channelId: channelOne!, guildId: ACME_GUILD, content: link('acme', 43) });
    await replyTo(harness, marker);
    expect(requestsFor(harness, off)).toEqual([]);
  });

  it('resumes after a RECONNECT and answers the messages sent meanwhile', async () => {
    const identified = harness.fake.identifies.length;
    harness.fake.requestReconnect();
    const id = harness.send({ channelId: channelOne!, guildId: ACME_GUILD, content: link('acme', 43) });
    await harness.fake.waitForSessions(1);
    await replyTo(harness, id);
    expect(harness.fake.resumes).toHaveLength(1);
    expect(harness.fake.identifies).toHaveLength(identified);
    const next = harness.send({ channelId: channelOne!, guildId: ACME_GUILD, content: link('acme', 44) });
    await replyTo(harness, next);
  });

  it('keeps the connection alive with heartbeats', async () => {
    await until(() => harness.fake.heartbeats() >= 1, 'heartbeat', 5_000);
  });
});

describe('an event store that is down', () => {
  let harness: GatewayHarness;
  beforeAll(async () => {
    const failing = (backend: QueryBackend): QueryBackend =>
      Object.assign(Object.create(backend) as QueryBackend, {
        async runMetrics() {
          throw new Error('event store unreachable');
        },
      });
    harness = await startGatewayHarness({ wrapBackend: failing });
    await harness.gateway.started;
  });
  afterAll(() => harness.close());

  it('still replies, with cards that say the metric is unavailable', async () => {
    const id = harness.send({ channelId: channelOne!, guildId: ACME_GUILD, content: links([42, 43]) });
    const [request] = await replyTo(harness, id);
    const body = expectValid(request!);
    expect(body.embeds).toHaveLength(2);
    for (const embed of body.embeds) expect(JSON.stringify(embed)).toMatch(/Metric unavailable/);
  });
});
