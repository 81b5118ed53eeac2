// Builds incident cards: one metric query and one chart series per incident, all of a request's queries through
// the bulk runner in one batch.
import type { ChartLinks } from '../chart/chart-link.ts';
import { chartSeriesQuery } from '../chart/series.ts';
import { incidentAggregateQuery } from '../incidents/aggregates.ts';
import { incidentCard } from '../incidents/attachment-info.ts';
import { metricCountWindow } from '../incidents/metric-count.ts';
import type { BulkRunner } from '../query/bulk-runner.ts';
import type { MetricResult, SeriesResult } from '../query/model.ts';
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
  /** Without it, cards carry no chart. */
  chartLinks?: ChartLinks;
}): CardService {
  const now = options.now ?? Date.now;
  return {
    async build(records, signal) {
      const at = now();
      const planned = records.map((record) => {
        const window = metricCountWindow(record, at);
        const series = options.chartLinks ? chartSeriesQuery(record, at) : null;
        return { record, window, query: incidentAggregateQuery(record, window), series };
      });
      // Values and series are asked in the same tick: the runner sends them to the backend as one batch.
      const results = planned.map(
        ({ query }): Promise<MetricResult> =>
          query.ok
            ? options.runner.load(query.query, signal)
            : Promise.resolve({ ok: false, reason: 'backend', detail: query.error }),
      );
      const series = planned.map(
        ({ series }): Promise<SeriesResult | null> =>
          series?.ok ? options.runner.load(series.query, signal) : Promise.resolve(null),
      );
      const [values, charts] = await Promise.all([Promise.all(results), Promise.all(series)]);
      return planned.map(({ record, window }, index) => {
        const card = incidentCard(record, values[index]!, window, { publicUrl: options.publicUrl, now: at });
        // A series that could not be computed leaves the picture out; the card itself still answers.
        const chart = charts[index];
        return chart?.ok && options.chartLinks
          ? { ...card, chartUrl: options.chartLinks.url(record, at) }
          : card;
      });
    },
  };
}
