// Chart images on demand: the series through the bulk runner, rendered once per incident state and minute,
// kept in a small cache bounded by entries and bytes (concurrent requests for one picture share its work).
import type { RuleCompiler } from '../query/compile-rule.ts';
import type { IncidentRecord } from '../repository.ts';
import { chartState } from './chart-link.ts';
import type { SeriesLoader } from './series-cache.ts';
import type { ChartRenderer } from './render.ts';
import { chartData, chartMinute, chartSeriesQuery } from './series.ts';

export type ChartImage =
  | { ok: true; png: Buffer; etag: string; minute: number }
  | { ok: false; reason: 'unavailable'; detail: string };

export type ChartImages = { image(record: IncidentRecord, signal?: AbortSignal): Promise<ChartImage> };

export type ChartImagesOptions = {
  series: SeriesLoader;
  rules: RuleCompiler;
  renderer: ChartRenderer;
  now?: () => number;
  maxEntries?: number;
  maxBytes?: number;
};

export function createChartImages(options: ChartImagesOptions): ChartImages {
  const now = options.now ?? Date.now;
  const maxEntries = options.maxEntries ?? 256;
  const maxBytes = options.maxBytes ?? 16 * 1024 * 1024;
  const rendered = new Map<string, ChartImage & { ok: true }>();
  const inFlight = new Map<string, Promise<ChartImage>>();
  let bytes = 0;

  function keep(key: string, image: ChartImage & { ok: true }) {
    rendered.set(key, image);
    bytes += image.png.length;
    // Oldest first (Map order): earlier minutes are never asked for again once the minute has passed.
    for (const [oldKey, old] of rendered) {
      if (rendered.size <= maxEntries && bytes <= maxBytes) break;
      rendered.delete(oldKey);
      bytes -= old.png.length;
    }
  }

  async function compute(record: IncidentRecord, minute: number, state: string, signal?: AbortSignal) {
    const planned = chartSeriesQuery(record, options.rules.compile(record.rule), minute);
    if (!planned.ok) return { ok: false, reason: 'unavailable', detail: planned.error } as const;
    const result = await options.series.load(planned.query, signal);
    if (!result.ok) return { ok: false, reason: 'unavailable', detail: result.reason } as const;
    const png = await options.renderer.render(chartData(record, planned.query, result.value));
    return { ok: true, png, etag: `"${state}-${minute.toString(36)}"`, minute } as const;
  }

  return {
    image(record, signal) {
      const minute = chartMinute(now());
      const state = chartState(record);
      const key = `${record.incident.organizationId}/${record.incident.identifier}/${state}/${minute}`;
      const hit = rendered.get(key);
      if (hit) return Promise.resolve(hit);
      let shared = inFlight.get(key);
      if (!shared) {
        shared = compute(record, minute, state, signal)
          .then((image) => {
            if (image.ok) keep(key, image);
            return image;
          })
          .finally(() => inFlight.delete(key));
        inFlight.set(key, shared);
      }
      return shared;
    },
  };
}
