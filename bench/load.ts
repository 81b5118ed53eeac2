// The closed-loop load generator the HTTP benchmarks share: `concurrency` workers, each sending one request after
// another until the phase ends (so every loop is bounded in time), counting outcomes and latencies.
import type { App } from '../src/app.ts';

export type LoadResult<Outcome extends string> = {
  requests: number;
  seconds: number;
  latencies: number[];
  outcomes: Record<Outcome | 'error', number>;
};

/** `send` performs one request and classifies its answer; a thrown error counts as 'error'. */
export async function runLoad<Outcome extends string>(options: {
  concurrency: number;
  durationMs: number;
  send: () => Promise<Outcome | 'error'>;
}): Promise<LoadResult<Outcome>> {
  const result: LoadResult<Outcome> = {
    requests: 0,
    seconds: 0,
    latencies: [],
    outcomes: {} as Record<Outcome | 'error', number>,
  };
  const started = performance.now();
  const end = started + options.durationMs;
  await Promise.all(
    Array.from({ length: options.concurrency }, async () => {
      while (performance.now() < end) {
        const sent = performance.now();
        const outcome = await options.send().catch((): 'error' => 'error');
        result.latencies.push(performance.now() - sent);
        result.requests++;
        result.outcomes[outcome] = (result.outcomes[outcome] ?? 0) + 1;
      }
    }),
  );
  result.seconds = (performance.now() - started) / 1000;
  return result;
}

/** "ok 3747, cached 0" — shows that each request asked the event store. */
export async function metricQueryOutcomes(app: App): Promise<string> {
  const metric = await app.metrics.metricQueries.get();
  return metric.values.map((value) => `${value.labels.outcome} ${value.value}`).join(', ') || 'none';
}
