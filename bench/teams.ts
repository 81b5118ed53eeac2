// `npm run bench -- teams`: signed composeExtension/queryLink invokes (link unfurls) over the distinct bench
// incidents of the 1M-event demo store, 64 at a time for 15 s, through the real server, Teams adapter and
// botbuilder's JWT validation (keys from a loopback OpenID server). Loopback only; the loop is bounded by the
// phase's end time.
import { Pool } from 'undici';
import { teamsAdapter } from '../adapters/teams/index.ts';
import { DEMO_TENANTS } from '../demo/generate.ts';
import { startServer } from '../src/server.ts';
import { startOpenIdServer } from '../test/support/teams-openid.ts';
import { benchIncidentRefs, openDemoApp } from './demo-store.ts';
import { metricQueryOutcomes, runLoad } from './load.ts';
import { type Figures, percentiles, printTable, round } from './results.ts';

const CONCURRENCY = 64;
const PHASE_MS = 15_000;
const WARM_UP_MS = 2_000;
export const APP_ID = 'b7e3c1a2-4d5f-4e6a-8b9c-0d1e2f3a4b5c';
const PUBLIC_URL = 'https://incidents.example.com';
// Replies are never sent for invokes; the URL only has to match the token's serviceurl claim.
export const SERVICE_URL = 'https://smba.trafficmanager.net/amer/';

type Outcome = 'ok' | 'degraded';

export async function run(): Promise<Figures> {
  const openId = await startOpenIdServer();
  const demo = await openDemoApp(1_000_000, {
    env: {
      LOG_LEVEL: 'error',
      // Every unfurl computes its card's metric: the figure is about distinct questions, not the value cache.
      METRIC_CACHE_MS: '0',
      PUBLIC_URL,
      MICROSOFT_APP_ID: APP_ID,
      TEAMS_OPENID_METADATA_URL: openId.metadataUrl,
    },
  });
  const server = await startServer(demo.app, [teamsAdapter], { port: 0, host: '127.0.0.1' });
  const pool = new Pool(server.url, { connections: CONCURRENCY, pipelining: 1 });
  try {
    const refs = benchIncidentRefs(demo.store);
    if (refs.length === 0) throw new Error('the demo store has no bench incidents');
    // Teams reuses a channel token for its lifetime, so one token for the run is the realistic case; botbuilder
    // still verifies its signature and claims on every request.
    const authorization = `Bearer ${await openId.sign(APP_ID, SERVICE_URL)}`;
    let sequence = 0;
    const nextBody = () => {
      const ref = refs[sequence % refs.length]!;
      sequence += 1;
      const tenant = DEMO_TENANTS[ref.organizationId as keyof typeof DEMO_TENANTS].teamsTenantId;
      return queryLink(sequence, tenant, `${PUBLIC_URL}/o/${ref.organizationId}/incidents/${ref.identifier}`);
    };
    // The first requests fetch the signing keys, compile the hot paths and fault in DuckDB's pages; the
    // figures are about the steady state, so a short warm-up runs first and is not counted.
    await phase(pool, authorization, nextBody, WARM_UP_MS);
    const result = await phase(pool, authorization, nextBody, PHASE_MS);
    const rate = result.requests / result.seconds;
    const latency = percentiles(result.latencies);
    printTable(
      `teams: signed queryLink invokes x${CONCURRENCY} for ${PHASE_MS / 1000} s after ${WARM_UP_MS / 1000} s of warm-up, ${refs.length} distinct incidents`,
      [
        ['queryLink req/s', round(rate, 1)],
        ['queryLink p50 / p99 / max ms', `${latency.p50} / ${latency.p99} / ${latency.max}`],
        ['degraded cards (metric unavailable)', result.outcomes.degraded ?? 0],
        ['metric queries by outcome (warm-up included)', await metricQueryOutcomes(demo.app)],
        ['errors', result.outcomes.error ?? 0],
      ],
    );
    return {
      'teams.p99_ms': latency.p99,
      'teams.max_ms': latency.max,
      'teams.errors': result.outcomes.error ?? 0,
      'teams.rps': round(rate, 1),
      'teams.p50_ms': latency.p50,
      'teams.degraded_cards': result.outcomes.degraded ?? 0,
    };
  } finally {
    await pool.close();
    await server.close();
    await demo.close();
    await openId.close();
  }
}

function phase(pool: Pool, authorization: string, nextBody: () => string, durationMs: number) {
  return runLoad<Outcome>({
    concurrency: CONCURRENCY,
    durationMs,
    async send() {
      const response = await pool.request({
        method: 'POST',
        path: '/api/messages',
        headers: { 'content-type': 'application/json', authorization },
        body: nextBody(),
      });
      const text = await response.body.text();
      return response.statusCode === 200 ? check(text) : 'error';
    },
  });
}

function check(text: string): Outcome | 'error' {
  const body = JSON.parse(text) as { composeExtension?: { attachments?: { content?: unknown }[] } };
  const card = body.composeExtension?.attachments?.[0]?.content;
  if (!card) return 'error';
  return JSON.stringify(card).includes('Metric unavailable') ? 'degraded' : 'ok';
}

export function queryLink(sequence: number, tenantId: string, url: string): string {
  return JSON.stringify({
    type: 'invoke',
    name: 'composeExtension/queryLink',
    id: `f:bench-${sequence}`,
    timestamp: new Date().toISOString(),
    serviceUrl: SERVICE_URL,
    channelId: 'msteams',
    from: { id: '29:bench-user', name: 'Bench User', aadObjectId: '6b8a5d9c-1e2f-4a3b-9c8d-7e6f5a4b3c2d' },
    conversation: {
      isGroup: true,
      conversationType: 'channel',
      tenantId,
      id: '19:bench@thread.tacv2;messageid=1731236400000',
    },
    recipient: { id: `28:${APP_ID}`, name: 'Incident cards' },
    channelData: { tenant: { id: tenantId }, source: { name: 'compose' } },
    locale: 'en-US',
    value: { url },
  });
}
