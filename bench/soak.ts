// `npm run bench -- soak`: mixed traffic against one server for SOAK_SECONDS (default 600): signed Discord
// `/incident show` with unique interaction ids, PINGs, Teams link unfurls (signed queryLink invokes), Sentry
// envelopes stored through the ingestion routes, incident pages with unique URLs (signed links, and guessed or
// altered ones that must be refused), the home page and readiness. RSS and heap are sampled every second; after a
// warm-up (until the replay window is full, at least a fifth of the run) they must stay flat:
// `soak.rss_growth_pct` compares the last fifth with the first fifth after warm-up (averages),
// `soak.heap_floor_growth_pct` the lowest heap of each (what survives collections). The load generator shares the
// process, so its memory counts too.
import { Pool } from 'undici';
import { createDiscordAdapter } from '../adapters/discord/index.ts';
import { teamsAdapter } from '../adapters/teams/index.ts';
import { MAX_AGE_MS, MAX_FUTURE_MS } from '../adapters/discord/verify.ts';
import { DEMO_TENANTS } from '../demo/generate.ts';
import { createIngestion } from '../src/ingest/ingestion.ts';
import { appendKeyLog, newPublicKey } from '../src/keys/key-log.ts';
import { startServer } from '../src/server.ts';
import { createDiscordSigner } from '../test/adapters/discord/signing.ts';
import { startOpenIdServer } from '../test/support/teams-openid.ts';
import { envelopeOf } from './ingest.ts';
import { APP_ID as TEAMS_APP_ID, queryLink, SERVICE_URL } from './teams.ts';
import { benchIncidentRefs, openDemoApp } from './demo-store.ts';
import { pingInteraction, showInteraction, startRestSink } from './discord.ts';
import { runLoad } from './load.ts';
import { type Figures, percentiles, printTable, round } from './results.ts';

const CONCURRENCY = 16;
const REPLAY_WINDOW_MS = MAX_AGE_MS + MAX_FUTURE_MS;
const SAMPLE_MS = 1_000;
const APPLICATION_ID = '1300000000000000001';

const PUBLIC_URL = 'https://incidents.example.com';
const INGEST_PROJECT_ID = 11;

type Outcome = 'show' | 'ping' | 'unfurl' | 'stored' | 'page' | 'refused' | 'home' | 'ready';

export async function run(): Promise<Figures> {
  const seconds = Number(process.env.SOAK_SECONDS ?? 600);
  const signer = createDiscordSigner();
  const sink = await startRestSink();
  const openId = await startOpenIdServer();
  const demo = await openDemoApp(100_000, {
    env: {
      LOG_LEVEL: 'error',
      DISCORD_PUBLIC_KEY: signer.publicKeyHex,
      DISCORD_APPLICATION_ID: APPLICATION_ID,
      DISCORD_API_BASE_URL: sink.url,
      PUBLIC_URL,
      MICROSOFT_APP_ID: TEAMS_APP_ID,
      TEAMS_OPENID_METADATA_URL: openId.metadataUrl,
    },
  });
  const ingestKey = newPublicKey();
  await appendKeyLog(demo.dataDir, [
    {
      op: 'create',
      publicKey: ingestKey,
      organizationId: 'acme',
      projectId: INGEST_PROJECT_ID,
      name: 'soak',
      at: new Date().toISOString(),
    },
  ]);
  const server = await startServer(
    demo.app,
    [createDiscordAdapter(), teamsAdapter, () => createIngestion(demo.app, demo.store)],
    { port: 0, host: '127.0.0.1' },
  );
  const pool = new Pool(server.url, { connections: CONCURRENCY });
  const samples: { at: number; rss: number; heap: number }[] = [];
  const sample = () => {
    const memory = process.memoryUsage();
    samples.push({ at: performance.now(), rss: memory.rss, heap: memory.heapUsed });
  };
  const timer = setInterval(sample, SAMPLE_MS);
  try {
    const refs = benchIncidentRefs(demo.store);
    const teamsAuthorization = `Bearer ${await openId.sign(TEAMS_APP_ID, SERVICE_URL)}`;
    const ingestAuth = `Sentry sentry_key=${ingestKey}, sentry_version=7, sentry_client=soak/1.0`;
    let sequence = 0;
    const request = async (method: 'GET' | 'POST', path: string, body?: string, headers = {}) => {
      const response = await pool.request({ method, path, body, headers });
      await response.body.dump();
      return response.statusCode;
    };
    const kinds: (() => Promise<Outcome | 'error'>)[] = [
      async () => {
        const ref = refs[++sequence % refs.length]!;
        const guild = DEMO_TENANTS[ref.organizationId as keyof typeof DEMO_TENANTS].discordGuildId;
        const body = showInteraction(sequence, guild, ref.identifier);
        return (await request('POST', '/discord/interactions', body, signer.headers(body))) === 200
          ? 'show'
          : 'error';
      },
      async () => {
        const body = pingInteraction(++sequence);
        return (await request('POST', '/discord/interactions', body, signer.headers(body))) === 200
          ? 'ping'
          : 'error';
      },
      async () => {
        const ref = refs[++sequence % refs.length]!;
        const tenant = DEMO_TENANTS[ref.organizationId as keyof typeof DEMO_TENANTS].teamsTenantId;
        const url = `${PUBLIC_URL}/o/${ref.organizationId}/incidents/${ref.identifier}`;
        const status = await request('POST', '/api/messages', queryLink(sequence, tenant, url), {
          authorization: teamsAuthorization,
          'content-type': 'application/json',
        });
        return status === 200 ? 'unfurl' : 'error';
      },
      async () => {
        const status = await request('POST', `/api/${INGEST_PROJECT_ID}/envelope/`, envelopeOf(++sequence), {
          'x-sentry-auth': ingestAuth,
          'content-type': 'application/x-sentry-envelope',
        });
        return status === 200 ? 'stored' : 'error';
      },
      async () => {
        const ref = refs[++sequence % refs.length]!;
        const link = new URL(demo.app.pageLink(ref.organizationId, ref.identifier));
        // A unique URL each time (an extra parameter the signature does not cover).
        const status = await request('GET', `${link.pathname}${link.search}&n=${sequence}`);
        return status === 200 ? 'page' : 'error';
      },
      async () => {
        const status = await request('GET', `/o/acme/incidents/${++sequence}?exp=1&sig=${'A'.repeat(43)}`);
        return status === 403 || status === 404 ? 'refused' : 'error';
      },
      async () => ((await request('GET', '/')) === 200 ? 'home' : 'error'),
      async () => ((await request('GET', '/readyz')) === 200 ? 'ready' : 'error'),
    ];
    sample();
    const load = await runLoad<Outcome>({
      concurrency: CONCURRENCY,
      durationMs: seconds * 1000,
      send: () => kinds[Math.floor(Math.random() * kinds.length)]!(),
    });
    sample();
    const start = samples[0]!.at;
    const span = samples.at(-1)!.at - start;
    const window = (from: number, to: number) =>
      samples.filter((s) => s.at - start >= from * span && s.at - start <= to * span);
    const average = (rows: typeof samples, key: 'rss' | 'heap') =>
      rows.reduce((sum, row) => sum + row[key], 0) / Math.max(1, rows.length);
    // Warm-up lasts until the longest time-bounded memory is full: the Discord replay guard remembers interaction
    // ids for 5 minutes, so before that its share grows by design. At least a fifth of the run, at most three.
    const warmUp = Math.max(0.2, Math.min((REPLAY_WINDOW_MS + 30_000) / span, 0.6));
    const afterWarmUp = window(warmUp, warmUp + 0.2);
    const last = window(0.8, 1);
    const growth = (key: 'rss' | 'heap') =>
      round((100 * (average(last, key) - average(afterWarmUp, key))) / average(afterWarmUp, key), 1);
    // The heap swings with young garbage between collections (70–165 MB within seconds here); what a leak grows
    // is what survives them, the lowest sample of a window.
    const floor = (rows: typeof samples) => Math.min(...rows.map((row) => row.heap));
    const heapFloorGrowth = round((100 * (floor(last) - floor(afterWarmUp))) / floor(afterWarmUp), 1);
    const latency = percentiles(load.latencies);
    const figures: Figures = {
      'soak.rss_growth_pct': growth('rss'),
      'soak.heap_growth_pct': growth('heap'),
      'soak.heap_floor_growth_pct': heapFloorGrowth,
      'soak.requests': load.requests,
      'soak.rps': round(load.requests / load.seconds, 1),
      'soak.errors': load.outcomes.error ?? 0,
      'soak.p99_ms': latency.p99,
      'soak.rss_mb_end': round(samples.at(-1)!.rss / 1e6, 1),
      'soak.seconds': seconds,
    };
    printTable(`soak: ${seconds} s of mixed traffic, ${CONCURRENCY} at a time`, [
      ...Object.entries(figures).map(([name, value]): [string, number] => [name, value]),
      ...Object.entries(load.outcomes).map(([name, value]): [string, number] => [`outcome ${name}`, value]),
    ]);
    return figures;
  } finally {
    clearInterval(timer);
    await pool.close();
    await server.close();
    await demo.close();
    await sink.close();
    await openId.close();
  }
}
