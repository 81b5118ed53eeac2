// Prometheus metrics (GET /metrics): one registry per process, counters named after what they count.
import { Counter, collectDefaultMetrics, Histogram, Registry } from 'prom-client';

export type Metrics = ReturnType<typeof createMetrics>;

export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  return {
    registry,
    httpRequests: new Counter({
      name: 'incident_cards_http_requests_total',
      help: 'HTTP requests by route and status code',
      labelNames: ['route', 'status'] as const,
      registers: [registry],
    }),
    commands: new Counter({
      name: 'incident_cards_commands_total',
      help: 'Commands dispatched, by kind and reply kind',
      labelNames: ['platform', 'kind', 'reply'] as const,
      registers: [registry],
    }),
    metricQueries: new Counter({
      name: 'incident_cards_metric_queries_total',
      help: 'Metric queries answered by the bulk runner, by outcome (ok, cached, timeout, backend, overloaded)',
      labelNames: ['outcome'] as const,
      registers: [registry],
    }),
    batchSeconds: new Histogram({
      name: 'incident_cards_query_batch_seconds',
      help: 'Time of one backend batch',
      labelNames: ['backend'] as const,
      buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [registry],
    }),
    deferredReplies: new Counter({
      name: 'incident_cards_deferred_replies_total',
      help: 'Replies that missed the platform deadline and were sent as follow-ups',
      labelNames: ['platform'] as const,
      registers: [registry],
    }),
  };
}
