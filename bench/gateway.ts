// `npm run bench -- gateway`: the real discord.js gateway client against the loopback fake Discord
// (test/adapters/discord/gateway/fake-discord.ts) on the bench demo store. (a) latency: MESSAGE_CREATE sent by
// the fake → the reply's POST received by it, for 10-link messages, 20 a second; (b) throughput: a channel mix
// where one message in LINK_EVERY carries an incident link, sent as fast as the gateway takes them (a window of
// GATEWAY_WINDOW unanswered links in flight). Discord allows a bot 50 REST requests a second in all, and
// @discordjs/rest keeps to that (globalRequestsPerSecond), so replies alone can never exceed 50/s: messages
// without links are what lets a gateway handle more.
// GATEWAY_EVENTS (default 1,000,000; the 10,000,000 once that store is cached), GATEWAY_ROUNDS,
// GATEWAY_MESSAGES tune it. The metric cache is off, so every card is computed.
import { adapterContext } from '../src/adapter.ts';
import { discordSettings } from '../adapters/discord/config.ts';
import { startGateway } from '../adapters/discord/gateway/gateway.ts';
import { DEMO_TENANTS } from '../demo/generate.ts';
import { messagePayload, startFakeDiscord } from '../test/adapters/discord/gateway/fake-discord.ts';
import { benchIncidentRefs, openDemoApp } from './demo-store.ts';
import { type Figures, percentiles, printTable, round } from './results.ts';

const EVENTS = Number(process.env.GATEWAY_EVENTS ?? 1_000_000);
const ROUNDS = Number(process.env.GATEWAY_ROUNDS ?? 200);
const MESSAGES = Number(process.env.GATEWAY_MESSAGES ?? 2_000);
const WINDOW = Number(process.env.GATEWAY_WINDOW ?? 64);
const WARMUP = 10;
const LINK_EVERY = Number(process.env.GATEWAY_LINK_EVERY ?? 5);
/** Below Discord's global 50 requests/s, so that (a) measures our work, not the platform's rate limit. */
const LATENCY_PACE_MS = 50;
const CHANNELS = Array.from({ length: 16 }, (_, i) => String(1_200_000_000_000_000_000n + BigInt(i)));

export async function run(): Promise<Figures> {
  const guildId = DEMO_TENANTS.acme.discordGuildId;
  const fake = await startFakeDiscord({
    guilds: [{ id: guildId, channels: CHANNELS }],
    heartbeatIntervalMs: 5_000,
  });
  const demo = await openDemoApp(EVENTS, {
    env: {
      DISCORD_BOT_TOKEN: 'bench-bot-token',
      DISCORD_API_BASE_URL: fake.apiBaseUrl,
      DISCORD_GATEWAY: 'on',
      // The bench measures the gateway, not the per-channel flood protection.
      DISCORD_UNFURLS_PER_MINUTE: String(1_000_000),
      METRIC_CACHE_MS: '0',
      LOG_LEVEL: 'warn',
    },
  });
  const gateway = startGateway(adapterContext(demo.app), discordSettings(demo.app.config.env));
  try {
    const start = await gateway.started;
    if (!start.ok) throw new Error(start.reason);
    const incidents = benchIncidentRefs(demo.store).filter((ref) => ref.organizationId === 'acme');
    const publicUrl = demo.app.config.publicUrl;
    const link = (index: number) => {
      const ref = incidents[index % incidents.length]!;
      return `${publicUrl}/o/acme/incidents/${ref.identifier}`;
    };
    let nextId = 1_500_000_000_000_000_000n;
    const send = (content: string, channel: number) => {
      const id = String(nextId++);
      const sentAt = performance.now();
      fake.dispatch(
        'MESSAGE_CREATE',
        messagePayload({ id, channelId: CHANNELS[channel % CHANNELS.length]!, guildId, content }),
        guildId,
      );
      return { id, sentAt };
    };
    const replied = (count: number) => fake.waitForRequests(count, 30_000);

    // (a) one 10-link message at a time
    const latencies: number[] = [];
    let cursor = 0;
    for (let round = 0; round < WARMUP + ROUNDS; round++) {
      const content = Array.from({ length: 10 }, () => link(cursor++)).join(' ');
      const before = fake.messageRequests.length;
      const { sentAt } = send(content, round);
      const requests = await replied(before + 1);
      if (round >= WARMUP) latencies.push(requests[before]!.at - sentAt);
      const rest = LATENCY_PACE_MS - (performance.now() - sentAt);
      if (rest > 0) await new Promise((resolve) => setTimeout(resolve, rest));
    }
    const latency = percentiles(latencies);

    // (b) sustained: a chat mix, one message in LINK_EVERY with a link, WINDOW unanswered links in flight
    const base = fake.messageRequests.length;
    const linked = Math.ceil(MESSAGES / LINK_EVERY);
    const started = performance.now();
    let sent = 0;
    let linksSent = 0;
    while (sent < MESSAGES) {
      const answered = fake.messageRequests.length - base;
      while (sent < MESSAGES && linksSent - answered < WINDOW) {
        const withLink = sent % LINK_EVERY === 0;
        send(withLink ? `see ${link(cursor++)}` : `chatting about the deploy, message ${sent}`, sent++);
        if (withLink) linksSent++;
      }
      await new Promise((resolve) => setTimeout(resolve, 1));
      if (performance.now() - started > 120_000) break;
    }
    let errors = 0;
    try {
      await replied(base + linked);
    } catch {
      errors = linked - (fake.messageRequests.length - base);
    }
    const seconds = (performance.now() - started) / 1000;
    const perSecond = sent / seconds;
    const repliesPerSecond = (fake.messageRequests.length - base) / seconds;

    printTable(
      `gateway unfurls on duckdb, ${EVENTS.toLocaleString('en-US')} events (discord.js ↔ fake Discord)`,
      [
        [
          `(a) 10-link message → reply request: p50 / p99 / max ms (x${ROUNDS})`,
          `${latency.p50} / ${latency.p99} / ${latency.max}`,
        ],
        [
          `(b) messages handled per second (${MESSAGES}, 1 in ${LINK_EVERY} with a link)`,
          round(perSecond, 1),
        ],
        ['(b) unfurl replies per second (Discord allows 50 requests/s)', round(repliesPerSecond, 1)],
        ['(b) linked messages without a reply', errors],
      ],
    );
    return {
      'gateway.unfurl_p99_ms': latency.p99,
      'gateway.unfurl_p50_ms': latency.p50,
      'gateway.messages_per_s': round(perSecond, 1),
      'gateway.replies_per_s': round(repliesPerSecond, 1),
      'gateway.errors': errors,
    };
  } finally {
    await gateway.close();
    await demo.close();
    await fake.close();
  }
}
