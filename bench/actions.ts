// `npm run bench -- actions`: acting from cards on the 1M-event demo store, 64 in flight for 15 s per platform
// through the real server: signed Discord button clicks (Assign to me / Unassign, answered with UPDATE_MESSAGE)
// and Teams Action.Execute invokes with botbuilder's JWT validation. Each click carries the version its incident's
// card last showed (as a person clicking a fresh card would), so nearly every click is applied: a compare-and-set
// commit through the lifecycle, the activity row, the idempotency key and the recomputed card. Loopback only.
import { startRestSink } from './discord.ts';
import { Pool } from 'undici';
import { createDiscordAdapter } from '../adapters/discord/index.ts';
import { teamsAdapter } from '../adapters/teams/index.ts';
import { DEMO_TENANTS } from '../demo/generate.ts';
import { startServer } from '../src/server.ts';
import { createDiscordSigner } from '../test/adapters/discord/signing.ts';
import { startOpenIdServer } from '../test/support/teams-openid.ts';
import { benchIncidentRefs, type DemoApp, openDemoApp } from './demo-store.ts';
import { runLoad } from './load.ts';
import { type Figures, percentiles, printTable, round } from './results.ts';

const CONCURRENCY = 64;
const PHASE_MS = 15_000;
const WARM_UP_MS = 2_000;
const APPLICATION_ID = '1300000000000000001';
const APP_ID = 'b7e3c1a2-4d5f-4e6a-8b9c-0d1e2f3a4b5c';
const SERVICE_URL = 'https://smba.trafficmanager.net/amer/';
const MANAGE_MESSAGES = String(1 << 13);

type Ref = { organizationId: keyof typeof DEMO_TENANTS; identifier: number };
type Seen = { version: number; assigned: boolean };
type Outcome = 'applied' | 'stale' | 'deferred';

export async function run(): Promise<Figures> {
  const signer = createDiscordSigner();
  const openId = await startOpenIdServer();
  const sink = await startRestSink();
  const demo = await openDemoApp(1_000_000, {
    env: {
      LOG_LEVEL: 'error',
      METRIC_CACHE_MS: '0',
      DISCORD_PUBLIC_KEY: signer.publicKeyHex,
      DISCORD_APPLICATION_ID: APPLICATION_ID,
      DISCORD_API_BASE_URL: sink.url,
      MICROSOFT_APP_ID: APP_ID,
      TEAMS_OPENID_METADATA_URL: openId.metadataUrl,
    },
  });
  const server = await startServer(demo.app, [createDiscordAdapter(), teamsAdapter], {
    port: 0,
    host: '127.0.0.1',
  });
  const pool = new Pool(server.url, { connections: CONCURRENCY, pipelining: 1 });
  try {
    const refs = benchIncidentRefs(demo.store) as Ref[];
    if (refs.length === 0) throw new Error('the demo store has no bench incidents');
    const seen = new Map(refs.map((ref) => [key(ref), current(demo, ref)]));
    let sequence = 0;
    let picked = 0;
    const pick = () => refs[picked++ % refs.length]!;

    const discordClick = async (): Promise<Outcome | 'error'> => {
      const ref = pick();
      const state = seen.get(key(ref))!;
      const body = click(++sequence, ref, state);
      const response = await pool.request({
        method: 'POST',
        path: '/discord/interactions',
        headers: signer.headers(body),
        body,
      });
      const answer = (await response.body.json()) as DiscordAnswer;
      if (response.statusCode !== 200) return 'error';
      if (answer.type === 6) return 'deferred';
      if (answer.type !== 7) return 'error';
      return remember(seen, ref, JSON.stringify(answer.data), DISCORD_CARD, state);
    };
    const authorization = `Bearer ${await openId.sign(APP_ID, SERVICE_URL)}`;
    const teamsExecute = async (): Promise<Outcome | 'error'> => {
      const ref = pick();
      const state = seen.get(key(ref))!;
      const response = await pool.request({
        method: 'POST',
        path: '/api/messages',
        headers: { 'content-type': 'application/json', authorization },
        body: execute(++sequence, ref, state),
      });
      const text = await response.body.text();
      if (response.statusCode !== 200 || !text.includes('application/vnd.microsoft.card.adaptive'))
        return 'error';
      return remember(seen, ref, text, TEAMS_CARD, state);
    };

    await runLoad({ concurrency: CONCURRENCY, durationMs: WARM_UP_MS, send: discordClick });
    const discord = await runLoad({ concurrency: CONCURRENCY, durationMs: PHASE_MS, send: discordClick });
    await runLoad({ concurrency: CONCURRENCY, durationMs: WARM_UP_MS, send: teamsExecute });
    const teams = await runLoad({ concurrency: CONCURRENCY, durationMs: PHASE_MS, send: teamsExecute });

    const d = percentiles(discord.latencies);
    const t = percentiles(teams.latencies);
    const row = (result: typeof discord) =>
      `${result.outcomes.applied ?? 0} / ${result.outcomes.stale ?? 0} / ${result.outcomes.deferred ?? 0} / ${result.outcomes.error ?? 0}`;
    printTable(
      `actions: x${CONCURRENCY} for ${PHASE_MS / 1000} s per platform after ${WARM_UP_MS / 1000} s of warm-up, ${refs.length} incidents`,
      [
        ['discord clicks/s', round(discord.requests / discord.seconds, 1)],
        ['discord p50 / p99 / max ms', `${d.p50} / ${d.p99} / ${d.max}`],
        ['discord applied / stale / deferred / errors', row(discord)],
        ['teams Action.Execute/s', round(teams.requests / teams.seconds, 1)],
        ['teams p50 / p99 / max ms', `${t.p50} / ${t.p99} / ${t.max}`],
        ['teams applied / stale / deferred / errors', row(teams)],
      ],
    );
    return {
      'actions.discord.p99_ms': d.p99,
      'actions.discord.p50_ms': d.p50,
      'actions.discord.errors': (discord.outcomes.error ?? 0) + (discord.outcomes.deferred ?? 0),
      'actions.discord.per_s': round(discord.requests / discord.seconds, 1),
      'actions.teams.p99_ms': t.p99,
      'actions.teams.p50_ms': t.p50,
      'actions.teams.errors': teams.outcomes.error ?? 0,
      'actions.teams.per_s': round(teams.requests / teams.seconds, 1),
    };
  } finally {
    await pool.close();
    await server.close();
    await demo.close();
    await openId.close();
    await sink.close();
  }
}

type DiscordAnswer = { type?: number; data?: unknown };

/** How each platform's card shows its version and that it offers Unassign (someone is assigned). */
type CardReading = { version: RegExp; unassign: string };
const DISCORD_CARD: CardReading = { version: /ic1:a:[a-z]+:[a-z0-9-]+:\d+:(\d+)"/, unassign: '"ic1:a:una:' };
const TEAMS_CARD: CardReading = { version: /"version":(\d+)/, unassign: '"verb":"unassign"' };

/** Interaction and activity ids unique to this run: the store keeps the ids of applied clicks (idempotency). */
const RUN = BigInt(Date.now()) * 1_000_000n;

const key = (ref: Ref) => `${ref.organizationId}/${ref.identifier}`;

function current(demo: DemoApp, ref: Ref): Seen {
  const incident = demo.app.repository.findIncident(ref.organizationId, ref.identifier)!.incident;
  return { version: incident.version ?? 1, assigned: Boolean(incident.assignee) };
}

/** Keeps what the answered card shows (its version, whether someone is assigned) for the next click on it. */
function remember(
  seen: Map<string, Seen>,
  ref: Ref,
  card: string,
  reading: CardReading,
  before: Seen,
): Outcome {
  const shown = Number(reading.version.exec(card)?.[1] ?? before.version);
  seen.set(key(ref), { version: shown, assigned: card.includes(reading.unassign) });
  return shown === before.version + 1 ? 'applied' : 'stale';
}

function click(sequence: number, ref: Ref, state: Seen): string {
  const id = String(RUN + BigInt(sequence));
  const verb = state.assigned ? 'una' : 'me';
  return JSON.stringify({
    type: 3,
    id,
    application_id: APPLICATION_ID,
    token: `bench-token-${id}`,
    guild_id: DEMO_TENANTS[ref.organizationId].discordGuildId,
    channel_id: '1300000000000000100',
    locale: 'en-US',
    member: {
      user: { id: '1300000000000000400', username: 'bench' },
      permissions: MANAGE_MESSAGES,
      roles: [],
    },
    message: { id: '1300000000000000200' },
    data: {
      component_type: 2,
      custom_id: `ic1:a:${verb}:${ref.organizationId}:${ref.identifier}:${state.version}`,
    },
    version: 1,
  });
}

function execute(sequence: number, ref: Ref, state: Seen): string {
  const tenantId = DEMO_TENANTS[ref.organizationId].teamsTenantId;
  return JSON.stringify({
    type: 'invoke',
    name: 'adaptiveCard/action',
    id: `f:bench-action-${RUN}-${sequence}`,
    timestamp: new Date().toISOString(),
    serviceUrl: SERVICE_URL,
    channelId: 'msteams',
    from: { id: '29:bench-user', name: 'Bench User', aadObjectId: '6b8a5d9c-1e2f-4a3b-9c8d-7e6f5a4b3c2d' },
    conversation: { isGroup: true, conversationType: 'channel', tenantId, id: '19:bench@thread.tacv2' },
    recipient: { id: `28:${APP_ID}`, name: 'Incident cards' },
    channelData: { tenant: { id: tenantId } },
    locale: 'en-US',
    replyToId: '1731236400099',
    value: {
      action: {
        type: 'Action.Execute',
        verb: state.assigned ? 'unassign' : 'assignMe',
        data: { refs: [ref], watchers: [], version: state.version },
      },
      trigger: 'manual',
    },
  });
}
