// `npm run bench -- discord`: uniquely signed `/incident show` requests over the distinct bench incidents of
// the 1M-event demo store, 64 at a time for 15 s against the real server and Discord adapter; then signed PINGs
// the same way (the signature-bound ceiling). Loopback only; every loop is bounded by its phase's end time.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Pool } from 'undici';
import { createDiscordAdapter } from '../adapters/discord/index.ts';
import { DEMO_TENANTS } from '../demo/generate.ts';
import { startServer } from '../src/server.ts';
import { createDiscordSigner } from '../test/adapters/discord/signing.ts';
import { benchIncidentRefs, openDemoApp } from './demo-store.ts';
import { metricQueryOutcomes, runLoad } from './load.ts';
import { type Figures, percentiles, printTable, round } from './results.ts';

const CONCURRENCY = 64;
const PHASE_MS = 15_000;
const WARM_UP_MS = 2_000;
const APPLICATION_ID = '1300000000000000001';

export async function run(): Promise<Figures> {
  const signer = createDiscordSigner();
  const sink = await startRestSink();
  const demo = await openDemoApp(1_000_000, {
    env: {
      LOG_LEVEL: 'error',
      // Every show computes its card's metric: the figure is about distinct questions, not the value cache.
      METRIC_CACHE_MS: '0',
      DISCORD_PUBLIC_KEY: signer.publicKeyHex,
      DISCORD_APPLICATION_ID: APPLICATION_ID,
      DISCORD_API_BASE_URL: sink.url,
    },
  });
  const server = await startServer(demo.app, [createDiscordAdapter()], { port: 0, host: '127.0.0.1' });
  const pool = new Pool(server.url, { connections: CONCURRENCY, pipelining: 1 });
  try {
    const refs = benchIncidentRefs(demo.store);
    if (refs.length === 0) throw new Error('the demo store has no bench incidents');
    let sequence = 0;
    const showBody = () => {
      const ref = refs[sequence % refs.length]!;
      const guild = DEMO_TENANTS[ref.organizationId as keyof typeof DEMO_TENANTS].discordGuildId;
      return showInteraction(++sequence, guild, ref.identifier);
    };
    const classifyShow = (body: Answer): ShowOutcome | 'error' => {
      if (body.type === 5) return 'deferred';
      if (body.type !== 4 || !body.data?.embeds?.[0]) return 'error';
      return body.data.embeds[0].description?.includes('Metric unavailable') ? 'degraded' : 'ok';
    };
    // The first requests fault in DuckDB's pages and compile the hot paths: a short warm-up, not counted,
    // so the figures describe the steady state (the Teams bench does the same).
    await phase(pool, signer, showBody, classifyShow, WARM_UP_MS);
    const show = await phase(pool, signer, showBody, classifyShow);
    const ping = await phase(
      pool,
      signer,
      () => pingInteraction(++sequence),
      (body) => (body.type === 1 ? 'ok' : 'error'),
    );

    const showRate = show.requests / show.seconds;
    const pingRate = ping.requests / ping.seconds;
    const s = percentiles(show.latencies);
    const p = percentiles(ping.latencies);
    const errors = (show.outcomes.error ?? 0) + (ping.outcomes.error ?? 0);
    const queries = await metricQueryOutcomes(demo.app);
    printTable(
      `discord: signed requests x${CONCURRENCY} for ${PHASE_MS / 1000} s each, ${refs.length} distinct incidents`,
      [
        ['/incident show req/s', round(showRate, 1)],
        ['/incident show p50 / p99 / max ms', `${s.p50} / ${s.p99} / ${s.max}`],
        [
          '/incident show deferred / degraded cards',
          `${show.outcomes.deferred ?? 0} / ${show.outcomes.degraded ?? 0}`,
        ],
        ['metric queries by outcome', queries],
        ['PING req/s', round(pingRate, 1)],
        ['PING p50 / p99 / max ms', `${p.p50} / ${p.p99} / ${p.max}`],
        ['errors (show + PING)', errors],
        ['ratio show/PING', round(showRate / pingRate, 2)],
      ],
    );
    return {
      'discord.show_over_ping': round(showRate / pingRate, 2),
      'discord.p99_ms': s.p99,
      'discord.max_ms': Math.max(s.max, p.max),
      'discord.errors': errors,
      'discord.show_rps': round(showRate, 1),
      'discord.ping_rps': round(pingRate, 1),
      'discord.show_p50_ms': s.p50,
      'discord.ping_p99_ms': p.p99,
      'discord.deferred': show.outcomes.deferred ?? 0,
      'discord.degraded_cards': show.outcomes.degraded ?? 0,
    };
  } finally {
    await pool.close();
    await server.close();
    await demo.close();
    await sink.close();
  }
}

type ShowOutcome = 'ok' | 'deferred' | 'degraded';
type Answer = { type?: number; data?: { embeds?: { description?: string }[] } };

/** Signed requests at CONCURRENCY for PHASE_MS; `classify` reads the interaction response. */
function phase(
  pool: Pool,
  signer: ReturnType<typeof createDiscordSigner>,
  nextBody: () => string,
  classify: (answer: Answer) => ShowOutcome | 'error',
  durationMs = PHASE_MS,
) {
  return runLoad<ShowOutcome>({
    concurrency: CONCURRENCY,
    durationMs,
    async send() {
      const body = nextBody();
      const response = await pool.request({
        method: 'POST',
        path: '/discord/interactions',
        headers: signer.headers(body),
        body,
      });
      const answer = (await response.body.json()) as Answer;
      return response.statusCode === 200 ? classify(answer) : 'error';
    },
  });
}

export function showInteraction(sequence: number, guildId: string, identifier: number): string {
  const id = String(1_400_000_000_000_000_000n + BigInt(sequence));
  return JSON.stringify({
    type: 2,
    id,
    application_id: APPLICATION_ID,
    token: `bench-token-${id}`,
    guild_id: guildId,
    channel_id: '1300000000000000100',
    locale: 'en-US',
    member: { user: { id: '1300000000000000400', username: 'bench' }, permissions: '2248473465835073' },
    data: {
      id: '1300000000000000200',
      name: 'incident',
      type: 1,
      options: [{ name: 'show', type: 1, options: [{ name: 'id', type: 3, value: String(identifier) }] }],
    },
    version: 1,
  });
}

export function pingInteraction(sequence: number): string {
  const id = String(1_400_000_000_000_000_000n + BigInt(sequence));
  return JSON.stringify({
    type: 1,
    id,
    application_id: APPLICATION_ID,
    token: `bench-token-${id}`,
    version: 1,
  });
}

/** Where late replies would go: answers every edit with 200 and forgets it. */
export async function startRestSink(): Promise<{ url: string; close(): Promise<void> }> {
  const server = createServer((request, response) => {
    request.resume();
    request.on('end', () =>
      response.writeHead(200, { 'content-type': 'application/json' }).end('{"id":"1"}'),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/api`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
