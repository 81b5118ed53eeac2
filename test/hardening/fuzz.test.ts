// Fuzzes every public endpoint through real HTTP: Discord interactions with valid signatures over mutated
// bodies, Teams activities on the auth-off and the JWT paths, incident pages and chart images (guessed and
// validly signed), Sentry envelopes and NDJSON batches with real keys, anything else. The server must
// never answer 5xx, never crash, and keep its metric labels and caches bounded. Seeded and reproducible:
// FUZZ_SEED picks the seed (printed on failure), FUZZ_RUNS the cases per endpoint (default keeps `npm test`
// short; raise it for a long run). A new endpoint is one more row in TARGETS.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from '../adapters/discord/discord-harness.ts';
import { freshSnowflake } from '../adapters/discord/fixtures.ts';
import { APP_ID, postActivity, startTeamsHarness, type TeamsHarness } from '../adapters/teams/harness.ts';
import { type IngestHarness, startIngestHarness } from '../ingest/ingest-harness.ts';
import { envelopeBodies, ndjsonBodies, storeBodies } from './fuzz-ingest-inputs.ts';
import { bodies, fixturesIn, mutated, pathSegment } from './fuzz-inputs.ts';

const SEED = Number(process.env.FUZZ_SEED ?? 20_261_127);
const RUNS = Number(process.env.FUZZ_RUNS ?? 500);

type IngestKeys = { organization: string; project11: string };
type Servers = {
  discord: Harness;
  teamsOff: TeamsHarness;
  teamsJwt: TeamsHarness;
  ingest: IngestHarness & { credentials: IngestKeys };
};
type Sent = { status: number };
/** One fuzzed endpoint: how to draw a case and send it. */
type Case = { input: unknown; run: () => Promise<Sent> };
type Target = {
  name: string;
  cases: (servers: Servers) => fc.Arbitrary<Case>;
  /** 5xx answers that are a defined outcome, not a failure. */
  alsoAllowed?: number[];
};

/** Bot Framework's answer to an invoke name a bot does not implement (what botbuilder's handler sends too). */
const INVOKE_NOT_IMPLEMENTED = 501;

/** A case that prints its input when it fails (fast-check shows the counterexample). */
const withInput = (input: unknown, run: () => Promise<Sent>): Case => ({ input, run });

const DISCORD_PAYLOADS = fixturesIn(new URL('../fixtures/discord/', import.meta.url));
const TEAMS_PAYLOADS = fixturesIn(new URL('../fixtures/teams/', import.meta.url));

/**
 * Every case is a new interaction: the fixtures share ids, and an id is answered once (replay-guard.ts), so
 * without this most cases would stop at the replay check. An id the mutation changed is kept as it is.
 */
function withFreshId(body: string): string {
  try {
    const value: unknown = JSON.parse(body);
    if (value && typeof value === 'object' && /^\d{17,20}$/.test(String((value as { id?: unknown }).id)))
      return JSON.stringify({ ...value, id: freshSnowflake() });
  } catch {
    // Not JSON: sent as it is.
  }
  return body;
}

async function send(url: string, init: RequestInit = {}): Promise<Sent> {
  const response = await fetch(url, { ...init, redirect: 'manual' });
  await response.arrayBuffer();
  return { status: response.status };
}

const TARGETS: Target[] = [
  {
    name: 'POST /discord/interactions (validly signed)',
    cases: ({ discord }) =>
      bodies(DISCORD_PAYLOADS).map((body) => withInput(body, () => discord.post(withFreshId(body)))),
  },
  {
    name: 'POST /api/messages (TEAMS_AUTH=off)',
    alsoAllowed: [INVOKE_NOT_IMPLEMENTED],
    cases: ({ teamsOff }) =>
      fc
        .constantFrom(...TEAMS_PAYLOADS)
        .map((activity) => ({ ...(activity as object), serviceUrl: teamsOff.connector.serviceUrl }))
        .chain(mutated)
        .map((activity) =>
          withInput(activity, async () => ({
            status: (await postActivity(teamsOff.url, activity, null)).status,
          })),
        ),
  },
  {
    name: 'POST /api/messages (JWT)',
    alsoAllowed: [INVOKE_NOT_IMPLEMENTED],
    cases: ({ teamsJwt }) =>
      fc
        .constantFrom(...TEAMS_PAYLOADS)
        .map((activity) => ({ ...(activity as object), serviceUrl: teamsJwt.connector.serviceUrl }))
        .chain(mutated)
        .map((activity) =>
          withInput(activity, async () => {
            const serviceUrl = (activity as { serviceUrl?: unknown } | null)?.serviceUrl;
            const token = await teamsJwt.openId.sign(
              APP_ID,
              typeof serviceUrl === 'string' ? serviceUrl : teamsJwt.connector.serviceUrl,
            );
            return { status: (await postActivity(teamsJwt.url, activity, token)).status };
          }),
        ),
  },
  {
    name: 'GET /o/<org>/incidents/<identifier>',
    cases: ({ discord }) =>
      fc
        .tuple(
          pathSegment,
          pathSegment,
          fc.option(fc.tuple(fc.stringMatching(/^\d{0,14}$/), fc.stringMatching(/^[\w-]{0,50}$/))),
        )
        .map(([organization, identifier, query]) => {
          const path = `/o/${organization}/incidents/${identifier}${query ? `?exp=${query[0]}&sig=${query[1]}` : ''}`;
          return withInput(path, () => send(`${discord.server.url}${path}`));
        }),
  },
  {
    name: 'GET /o/<org>/incidents/<identifier> (validly signed)',
    cases: ({ discord }) =>
      fc.tuple(pathSegment, fc.oneof(fc.constant('42'), pathSegment)).map(([organization, identifier]) => {
        const path = discord.test.app.signer.signedPath(
          `/o/${organization}/incidents/${identifier}`,
          Date.now() + 60_000,
        );
        return withInput(path, () => send(`${discord.server.url}${path}`));
      }),
  },
  {
    name: 'GET /o/<org>/incidents/<identifier>/chart.png',
    cases: ({ discord }) =>
      fc
        .tuple(
          fc.oneof(fc.constant('acme'), pathSegment),
          fc.oneof(fc.constant('42'), pathSegment),
          fc.stringMatching(/^[\w-]{0,16}$/),
          fc.boolean(),
        )
        .map(([organization, identifier, version, signed]) => {
          const plain = `/o/${organization}/incidents/${identifier}/chart.png`;
          const path = signed
            ? discord.test.app.signer.signedPath(plain, Date.now() + 60_000, { v: version })
            : `${plain}?v=${version}&exp=1&sig=${'A'.repeat(43)}`;
          return withInput(path, () => send(`${discord.server.url}${path}`));
        }),
  },
  {
    name: 'POST /api/<projectId>/envelope/',
    cases: ({ ingest }) =>
      fc
        .tuple(
          envelopeBodies,
          fc.oneof({ weight: 4, arbitrary: fc.constant('11') }, { weight: 1, arbitrary: pathSegment }),
          fc.constantFrom(ingest.credentials.project11, ingest.credentials.organization, 'f'.repeat(32), ''),
          fc.constantFrom(undefined, 'gzip', 'deflate', 'br', 'zstd'),
        )
        .map(([body, project, key, encoding]) =>
          withInput({ project, key, encoding, body }, () =>
            send(`${ingest.server.url}/api/${project}/envelope/`, {
              method: 'POST',
              body,
              headers: {
                'x-sentry-auth': `Sentry sentry_key=${key}, sentry_version=7`,
                ...(encoding ? { 'content-encoding': encoding } : {}),
              },
            }),
          ),
        ),
  },
  {
    name: 'POST /api/<projectId>/store/',
    cases: ({ ingest }) =>
      storeBodies.map((body) =>
        withInput(body, () =>
          send(
            `${ingest.server.url}/api/11/store/?sentry_key=${ingest.credentials.project11}&sentry_version=7`,
            {
              method: 'POST',
              body,
              headers: { 'content-type': 'application/json' },
            },
          ),
        ),
      ),
  },
  {
    name: 'POST /api/ingest/events|sessions',
    cases: ({ ingest }) =>
      fc
        .tuple(
          ndjsonBodies,
          fc.constantFrom('events', 'sessions'),
          fc.constantFrom('organization', 'project11'),
        )
        .map(([body, kind, key]) =>
          withInput({ kind, key, body }, () =>
            send(`${ingest.server.url}/api/ingest/${kind}`, {
              method: 'POST',
              body,
              headers: {
                authorization: `Bearer ${ingest.credentials[key as keyof IngestKeys]}`,
                'content-type': 'application/x-ndjson',
              },
            }),
          ),
        ),
  },
  {
    name: 'any other method and path',
    cases: ({ discord }) =>
      fc
        .tuple(
          fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'OPTIONS', 'PATCH'),
          fc.array(pathSegment, { maxLength: 4 }),
        )
        .map(([method, segments]) =>
          withInput(`${method} /${segments.join('/')}`, () =>
            send(`${discord.server.url}/${segments.join('/')}`, {
              method,
              body: method === 'GET' ? undefined : 'x',
            }),
          ),
        ),
  },
];

let servers: Servers;
beforeAll(async () => {
  servers = {
    discord: await startHarness(),
    teamsOff: await startTeamsHarness({ MICROSOFT_APP_ID: '', TEAMS_AUTH: 'off' }),
    teamsJwt: await startTeamsHarness(),
    ingest: await startIngest(),
  };
});

async function startIngest(): Promise<Servers['ingest']> {
  const harness = await startIngestHarness({ keyRecheckMs: 0 });
  const organization = (await harness.keys('create', 'acme')).at(-1)!;
  const project11 = new URL((await harness.keys('create', 'acme', '11')).at(-1)!).username;
  return Object.assign(harness, { credentials: { organization, project11 } });
}
afterAll(async () => {
  await servers.discord.close();
  await servers.teamsOff.close();
  await servers.teamsJwt.close();
  await servers.ingest.close();
});

describe(`fuzzing the public endpoints (seed ${SEED}, ${RUNS} cases each)`, () => {
  it.each(TARGETS)(
    '$name never answers 5xx',
    async (target) => {
      await fc.assert(
        fc.asyncProperty(target.cases(servers), async (sendCase) => {
          const { status } = await sendCase.run();
          expect(status).toBeGreaterThanOrEqual(200);
          if (!target.alsoAllowed?.includes(status)) expect(status).toBeLessThan(500);
        }),
        { seed: SEED, numRuns: RUNS },
      );
    },
    120_000,
  );

  it('left no unbounded state behind: metric labels by route, bounded caches, a live server', async () => {
    for (const harness of [
      servers.discord.test,
      servers.teamsOff.testApp,
      servers.teamsJwt.testApp,
      servers.ingest,
    ]) {
      const metric = await harness.app.metrics.registry
        .getSingleMetric('incident_cards_http_requests_total')
        ?.get();
      const routes = new Set(metric?.values.map((value) => value.labels.route));
      // Routes are a fixed set, whatever paths were sent.
      expect(routes.size).toBeLessThanOrEqual(10);
      expect(harness.app.runner.cachedEntries()).toBeLessThanOrEqual(10_000);
    }
    expect((await fetch(`${servers.discord.server.url}/healthz`)).status).toBe(200);
  });
});
