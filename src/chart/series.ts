// The chart's data: the rule's aggregate per interval over Sentry's windowed-stats range, plus what the picture
// draws over it (thresholds, the incident's span). The series itself runs through the bulk runner.
import type { IncidentStatus } from '../domain.ts';
import { windowedStatsRange } from '../incidents/time-range.ts';
import type { CompiledRule } from '../query/compile-rule.ts';
import type { Aggregate, SeriesQuery, SeriesValues } from '../query/model.ts';
import type { IncidentRecord } from '../repository.ts';

const MINUTE_MS = 60_000;

export type ChartThreshold = { kind: 'critical' | 'warning' | 'resolve'; label: string; value: number };

export type ChartData = {
  /** Interval k starts at `start + k·intervalMs`. */
  start: number;
  intervalMs: number;
  values: SeriesValues;
  aggregate: Aggregate;
  thresholds: ChartThreshold[];
  /** The incident from dateStarted to dateClosed (or to the chart's end while it is open). */
  incident: { start: number; end: number; status: IncidentStatus };
};

export type ChartQuery = { ok: true; query: SeriesQuery } | { ok: false; error: string };

/**
 * The chart is computed as of the start of the current minute: every card of that minute asks the same question
 * (one backend query, then the runner's cache), and the image URL, which names the minute, stays stable.
 */
export function chartMinute(now: number): number {
  return Math.floor(now / MINUTE_MS) * MINUTE_MS;
}

/**
 * Sentry's windowed stats: about 200 intervals of the rule's time window centred on the incident start, shifted
 * back so that the range never reaches past now. The interval is the rule's window itself, so every point is
 * the value the rule compared with its thresholds and the lines on the chart mean what they say.
 *
 * The intervals lie on a fixed grid (multiples of the interval since the epoch, as Snuba buckets a time series):
 * the range is widened to whole intervals (201 of them when its ends are off the grid), but never past now, where
 * the last interval stops. An interval then means the same rows whatever card asks, so a series cache
 * (series-cache.ts) can keep the intervals that are over and ask the backend only for the newest.
 */
export function chartSeriesQuery(record: IncidentRecord, compiled: CompiledRule, now: number): ChartQuery {
  if (!compiled.ok) return compiled;
  const minute = chartMinute(now);
  const intervalMs = record.rule.timeWindow * 1000;
  const range = windowedStatsRange({
    incident: record.incident,
    rule: record.rule,
    organization: record.organization,
    now: minute,
  });
  if (range.end <= range.start) return { ok: false, error: 'the chart range is empty' };
  const start = Math.floor(range.start / intervalMs) * intervalMs;
  const end = Math.min(Math.ceil(range.end / intervalMs) * intervalMs, minute);
  return {
    ok: true,
    query: {
      kind: 'series',
      dataset: record.rule.dataset,
      aggregate: compiled.aggregate,
      filter: compiled.filter,
      projectIds: record.projects.map((project) => project.id).sort((a, b) => a - b),
      environment: record.rule.environment,
      start,
      end,
      intervalMs,
    },
  };
}

export function chartData(record: IncidentRecord, query: SeriesQuery, values: SeriesValues): ChartData {
  const { incident, rule } = record;
  const started = Date.parse(incident.dateStarted);
  const end = incident.dateClosed ? Date.parse(incident.dateClosed) : query.end;
  return {
    start: query.start,
    intervalMs: query.intervalMs,
    values,
    aggregate: query.aggregate,
    thresholds: chartThresholds(rule),
    incident: { start: started, end: Math.max(started, end), status: incident.status },
  };
}

/** Critical and warning triggers by their labels (any other label draws as a warning), and the resolve line. */
function chartThresholds(rule: IncidentRecord['rule']): ChartThreshold[] {
  const lines: ChartThreshold[] = rule.triggers.map((trigger) => ({
    kind: trigger.label.toLowerCase() === 'critical' ? 'critical' : 'warning',
    label: trigger.label,
    value: trigger.alertThreshold,
  }));
  if (rule.resolveThreshold !== null) {
    lines.push({ kind: 'resolve', label: 'resolve', value: rule.resolveThreshold });
  }
  return lines;
}
