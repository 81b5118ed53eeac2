// Builds incident cards: one metric query per incident, all of a request's queries through the bulk runner.
import { incidentAggregateQuery } from '../incidents/aggregates.ts';
import { incidentCard } from '../incidents/attachment-info.ts';
import { metricCountWindow } from '../incidents/metric-count.ts';
import type { BulkRunner } from '../query/bulk-runner.ts';
import type { MetricResult } from '../query/model.ts';
import type { IncidentRecord } from '../store/repository.ts';
import type { IncidentCard } from './model.ts';

export type CardService = {
  /** Cards in the order of `records`; a failing metric degrades its own card only. */
  build(records: readonly IncidentRecord[], signal?: AbortSignal): Promise<IncidentCard[]>;
};

export function createCardService(options: {
  runner: BulkRunner;
  publicUrl: string;
  now?: () => number;
}): CardService {
  const now = options.now ?? Date.now;
  return {
    async build(records, signal) {
      const at = now();
      const planned = records.map((record) => {
        const window = metricCountWindow(record, at);
        return { record, window, query: incidentAggregateQuery(record, window) };
      });
      const results = await Promise.all(
        planned.map(
          ({ query }): Promise<MetricResult> =>
            query.ok
              ? options.runner.load(query.query, signal)
              : Promise.resolve({ ok: false, reason: 'backend', detail: query.error }),
        ),
      );
      return planned.map(({ record, window }, index) =>
        incidentCard(record, results[index]!, window, { publicUrl: options.publicUrl, now: at }),
      );
    },
  };
}
