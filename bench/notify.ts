// `npm run bench -- notify`: the outbox against a loopback Discord that enforces the global 50 requests/s over any
// sliding second. notify.latency_p99_ms: a change committed → its POST received by Discord, under a steady flow
// (20 changes/s, the worker woken after each commit as the incident store does). notify.burst_1000_s: 1,000
// incidents opening in one commit, one channel each → all 1,000 cards received, at Discord's real rate.
import { BURST_RULE_BASE } from '../test/fixtures/notify/dataset.ts';
import { change, startDiscordNotifyHarness } from '../test/notify/discord-harness.ts';
import { type Figures, percentiles, printTable, round } from './results.ts';

const STEADY_CHANGES = 200;
const STEADY_INTERVAL_MS = 50;
const BURST = 1000;

const channelsFor = (count: number) =>
  Array.from({ length: count }, (_, index) => String(1_200_000_000_000_000_000n + BigInt(index)));

async function world(count: number) {
  const channels = channelsFor(count);
  const harness = await startDiscordNotifyHarness({ incidents: count, rulePerIncident: true, channels });
  for (const [index, channelId] of channels.entries()) {
    await harness.store.subscribe(
      {
        platform: 'discord',
        organizationId: 'acme',
        channelId,
        conversation: null,
        ruleId: BURST_RULE_BASE + index + 1,
      },
      new Date().toISOString(),
    );
  }
  const opening = (index: number) => ({
    ...change(index + 1, 'created', 'warning'),
    alertRuleId: BURST_RULE_BASE + index + 1,
  });
  return { harness, channels, opening };
}

async function steady(): Promise<number[]> {
  const { harness, channels, opening } = await world(STEADY_CHANGES);
  const worker = harness.worker({ pollMs: 250 });
  worker.start();
  const committed = new Map<string, number>();
  for (let index = 0; index < STEADY_CHANGES; index++) {
    await harness.commit([opening(index)]);
    committed.set(channels[index]!, Date.now());
    worker.wake();
    await new Promise((resolve) => setTimeout(resolve, STEADY_INTERVAL_MS));
  }
  while (harness.fake.messages.length < STEADY_CHANGES)
    await new Promise((resolve) => setTimeout(resolve, 50));
  await worker.stop();
  const latencies = harness.fake.requests
    .filter((request) => request.status === 200)
    .map((request) => request.at - committed.get(/channels\/(\d+)\//.exec(request.path)![1]!)!);
  await harness.close();
  return latencies;
}

async function burst(): Promise<{ seconds: number; limited: number; delivered: number }> {
  const { harness, opening } = await world(BURST);
  const worker = harness.worker({ pollMs: 250, concurrency: 64 });
  const started = performance.now();
  await harness.commit(Array.from({ length: BURST }, (_, index) => opening(index)));
  worker.start();
  worker.wake();
  while (harness.fake.messages.length < BURST) await new Promise((resolve) => setTimeout(resolve, 50));
  const seconds = (performance.now() - started) / 1000;
  await worker.stop();
  const result = { seconds, limited: harness.fake.globalLimited(), delivered: harness.fake.messages.length };
  await harness.close();
  return result;
}

export async function run(): Promise<Figures> {
  const latencies = await steady();
  const { p50, p99, max } = percentiles(latencies);
  const flood = await burst();
  printTable('notify (loopback Discord, global 50 req/s over any sliding second)', [
    ['steady flow: changes, rate', `${STEADY_CHANGES}, ${1000 / STEADY_INTERVAL_MS}/s`],
    ['commit → POST received p50 / p99 / max (ms)', `${round(p50, 1)} / ${round(p99, 1)} / ${round(max, 1)}`],
    ['burst: cards delivered', flood.delivered],
    ['burst: seconds for all (goal ≤ 25)', round(flood.seconds, 2)],
    ['burst: requests answered 429 (goal 0)', flood.limited],
  ]);
  return {
    'notify.latency_p99_ms': round(p99, 1),
    'notify.burst_1000_s': round(flood.seconds, 2),
    'notify.burst_1000_429s': flood.limited,
  };
}
