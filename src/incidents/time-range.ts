// Time ranges of an incident, as Sentry computes them for metric alerts (calculate_incident_time_range).
import { type AlertRule, DEFAULT_RETENTION_DAYS, type Incident, type Organization } from '../domain.ts';

export type TimeRange = { start: number; end: number };

const DAY_MS = 86_400_000;
/** Points in a windowed-stats chart; the range is centred on the incident start. */
const WINDOWED_STATS_DATA_POINTS = 200;

type RangeInput = {
  incident: Pick<Incident, 'dateStarted' | 'dateClosed'>;
  rule: Pick<AlertRule, 'timeWindow'>;
  organization: Pick<Organization, 'retentionDays'>;
  now: number;
};

/**
 * `[dateStarted − timeWindow, (dateClosed ?? now) + timeWindow)`: one window of context on each side, so the
 * window that crossed the threshold is inside the range. An explicit range (a trigger's window) replaces it.
 */
export function incidentTimeRange(input: RangeInput, explicit?: TimeRange): TimeRange {
  const windowMs = input.rule.timeWindow * 1000;
  const start = explicit?.start ?? Date.parse(input.incident.dateStarted) - windowMs;
  const end = explicit?.end ?? currentEndDate(input) + windowMs;
  return clampToRetention({ start, end }, input);
}

/** A chart of WINDOWED_STATS_DATA_POINTS windows centred on the incident start, never reaching past now. */
export function windowedStatsRange(input: RangeInput): TimeRange {
  const windowMs = input.rule.timeWindow * 1000;
  const half = windowMs * (WINDOWED_STATS_DATA_POINTS / 2);
  const startedWithContext = Date.parse(input.incident.dateStarted) - windowMs;
  let start = startedWithContext - half;
  let end = startedWithContext + half;
  if (end > input.now) {
    // Shift the whole range back rather than shrink it, so the chart keeps its 200 points.
    end = input.now;
    start = input.now - windowMs * WINDOWED_STATS_DATA_POINTS;
  }
  return clampToRetention({ start, end }, input);
}

function currentEndDate(input: RangeInput): number {
  return input.incident.dateClosed ? Date.parse(input.incident.dateClosed) : input.now;
}

/** Data older than the organization's retention is gone; asking for it would only slow the query. */
function clampToRetention(range: TimeRange, input: RangeInput): TimeRange {
  const retentionDays = input.organization.retentionDays ?? DEFAULT_RETENTION_DAYS;
  const start = Math.max(range.start, input.now - retentionDays * DAY_MS);
  return { start, end: Math.max(start, range.end) };
}
