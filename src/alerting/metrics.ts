// Prometheus figures of the evaluator (GET /metrics), registered on the app's registry by whoever runs it.
import { Counter, Histogram, type Registry } from 'prom-client';

export type AlertingMetrics = ReturnType<typeof createAlertingMetrics>;

export function createAlertingMetrics(registry: Registry) {
  return {
    ticks: new Counter({
      name: 'incident_cards_alert_ticks_total',
      help: 'Evaluation ticks by outcome: ok, failed, or skipped (the previous tick was still running)',
      labelNames: ['outcome'] as const,
      registers: [registry],
    }),
    tickSeconds: new Histogram({
      name: 'incident_cards_alert_tick_seconds',
      help: 'Time of one evaluation tick, queries and commit',
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 30, 60],
      registers: [registry],
    }),
    evaluations: new Counter({
      name: 'incident_cards_alert_evaluations_total',
      help: '(rule, project) evaluations by outcome: evaluated, skipped (no data or baseline), failed (query error)',
      labelNames: ['outcome'] as const,
      registers: [registry],
    }),
    incidentChanges: new Counter({
      name: 'incident_cards_incident_changes_total',
      help: 'Incident changes made by the evaluator, by kind',
      labelNames: ['kind'] as const,
      registers: [registry],
    }),
  };
}
