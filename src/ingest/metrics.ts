// The ingestion's Prometheus counters, registered in the app's registry (GET /metrics).
import { Counter, Gauge, type Registry } from 'prom-client';

export type IngestMetrics = ReturnType<typeof createIngestMetrics>;

export function createIngestMetrics(registry: Registry) {
  const existing = <T>(name: string) => registry.getSingleMetric(name) as T | undefined;
  return {
    items:
      existing<Counter<'type' | 'outcome'>>('incident_cards_ingest_items_total') ??
      new Counter({
        name: 'incident_cards_ingest_items_total',
        help: 'Ingested items by type (event, transaction, span, session, sessions, attachment, …) and outcome (stored, dropped, refused)',
        labelNames: ['type', 'outcome'] as const,
        registers: [registry],
      }),
    rows:
      existing<Counter<'table'>>('incident_cards_ingest_rows_total') ??
      new Counter({
        name: 'incident_cards_ingest_rows_total',
        help: 'Rows committed by ingestion, by table',
        labelNames: ['table'] as const,
        registers: [registry],
      }),
    queued:
      existing<Gauge>('incident_cards_ingest_queued_rows') ??
      new Gauge({
        name: 'incident_cards_ingest_queued_rows',
        help: 'Rows accepted by ingestion and waiting for their commit',
        registers: [registry],
      }),
  };
}
