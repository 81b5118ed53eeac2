// Builds incident cards (Sentry's incident_attachment_info): each incident's rule compiled once per request, its
// metric window and query and its chart series, all of a request's queries through the bulk runner in one batch,
// then the neutral card's words.
import type { ChartLinks } from '../chart/chart-link.ts';
import type { SeriesLoader } from '../chart/series-cache.ts';
import { chartSeriesQuery } from '../chart/series.ts';
import { incidentAggregateQuery } from '../incidents/aggregates.ts';
import { latestTrigger, metricCountWindow } from '../incidents/metric-count.ts';
import { incidentTitle, STATUS_COLOR, STATUS_LABEL, statusText } from '../incidents/status-text.ts';
import type { TimeRange } from '../incidents/time-range.ts';
import type { BulkRunner } from '../query/bulk-runner.ts';
import type { CompiledRule, RuleCompiler } from '../query/compile-rule.ts';
import type { MetricResult, SeriesResult } from '../query/model.ts';
import type { IncidentRecord } from '../repository.ts';
import { actionParts } from './action-state.ts';
import type { IncidentCard } from './model.ts';
import { type PageLink, plainPageLink } from './page-link.ts';

export type CardBuilder = {
  /** Cards in the order of `records`; a failing metric degrades its own card only. */
  build(records: readonly IncidentRecord[], signal?: AbortSignal): Promise<IncidentCard[]>;
};

export function createCardBuilder(options: {
  runner: BulkRunner;
  rules: RuleCompiler;
  publicUrl: string;
  /** Signed page links in production; plain ones when not given (benchmarks). */
  pageLink?: PageLink;
  now?: () => number;
  /** Without it, cards carry no chart. */
  chartLinks?: ChartLinks;
  /** Where the chart series come from (series-cache.ts keeps their finished intervals); else the runner. */
  series?: SeriesLoader;
}): CardBuilder {
  const seriesLoader = options.series ?? options.runner;
  const now = options.now ?? Date.now;
  const pageLink = options.pageLink ?? plainPageLink(options.publicUrl);
  return {
    async build(records, signal) {
      const at = now();
      const windowAt = nextMinute(at);
      const planned = records.map((record) => {
        const rule = options.rules.compile(record.rule);
        const series = options.chartLinks && rule.ok ? chartSeriesQuery(record, rule, at) : null;
        return { record, rule, window: metricCountWindow(record, windowAt), series };
      });
      // Values and series are asked in the same tick: the runner sends them to the backend as one batch.
      const values = planned.map(
        ({ record, rule, window }): Promise<MetricResult> =>
          rule.ok
            ? options.runner.load(incidentAggregateQuery(record, rule, window), signal)
            : Promise.resolve({ ok: false, reason: 'backend', detail: rule.error }),
      );
      const series = planned.map(
        ({ series }): Promise<SeriesResult | null> =>
          series?.ok ? seriesLoader.load(series.query, signal) : Promise.resolve(null),
      );
      const [results, charts] = await Promise.all([Promise.all(values), Promise.all(series)]);
      return planned.map(({ record, rule, window }, index) => {
        const card = incidentCard(record, rule, results[index]!, window, { pageLink, now: at });
        // A series that could not be computed leaves the picture out; the card itself still answers.
        return charts[index]?.ok && options.chartLinks
          ? { ...card, chartUrl: options.chartLinks.url(record, at) }
          : card;
      });
    },
  };
}

/**
 * An open incident's window ends at "now + timeWindow", which would make every request a new query that no
 * cache can answer. Rounding "now" up to the next minute keeps every stored event inside the window (nothing
 * exists after now) and gives all requests within a minute the same query, so the runner's cache is reused.
 */
function nextMinute(at: number): number {
  return Math.ceil(at / 60_000) * 60_000;
}

/** One card from its record, its compiled rule and the metric result (or why there is none). */
export function incidentCard(
  record: IncidentRecord,
  compiled: CompiledRule,
  metric: MetricResult,
  window: TimeRange,
  options: { pageLink: PageLink; now: number },
): IncidentCard {
  const { incident, rule } = record;
  const text = compiled.ok
    ? statusText(compiled.aggregate, rule.aggregate, rule.timeWindow, metric)
    : `Metric unavailable (the rule cannot be evaluated: ${compiled.error})`;
  const projects = record.projects.map((project) => project.slug);
  const threshold = firedThreshold(record);
  const duration = formatDuration(
    (incident.dateClosed ? Date.parse(incident.dateClosed) : options.now) - Date.parse(incident.dateStarted),
  );
  return {
    organizationId: incident.organizationId,
    identifier: incident.identifier,
    title: incidentTitle(incident.status, rule.name),
    status: incident.status,
    statusLabel: STATUS_LABEL[incident.status],
    color: STATUS_COLOR[incident.status],
    statusText: text,
    metric: {
      value: metric.ok ? metric.value : null,
      windowStart: new Date(window.start).toISOString(),
      windowEnd: new Date(window.end).toISOString(),
    },
    metricError: metric.ok ? (compiled.ok ? null : 'backend') : metric.reason,
    rule: {
      id: rule.id,
      name: rule.name,
      aggregate: rule.aggregate,
      query: rule.query,
      dataset: rule.dataset,
      timeWindowMinutes: Math.floor(rule.timeWindow / 60),
    },
    threshold,
    projects,
    environment: rule.environment,
    dateStarted: incident.dateStarted,
    dateClosed: incident.dateClosed,
    duration,
    link: options.pageLink(incident.organizationId, incident.identifier),
    updatedAt: new Date(options.now).toISOString(),
    fields: [
      { label: 'Rule', value: rule.name, inline: true },
      { label: 'Projects', value: projects.join(', ') || 'all projects', inline: true },
      { label: 'Environment', value: rule.environment ?? 'all environments', inline: true },
      { label: 'Started', value: incident.dateStarted, inline: true },
      {
        label: incident.dateClosed ? 'Closed' : 'Duration',
        value: incident.dateClosed ? `${incident.dateClosed} (after ${duration})` : `${duration} so far`,
        inline: true,
      },
      { label: 'Threshold', value: threshold ?? 'none', inline: true },
    ],
    ...actionParts(record, options.now),
  };
}

/** The threshold of the trigger that changed last: that is the one the card's value is compared with. */
function firedThreshold(record: IncidentRecord): string | null {
  const latest = latestTrigger(record);
  const trigger = latest
    ? record.rule.triggers.find((candidate) => candidate.id === latest.alertRuleTriggerId)
    : record.rule.triggers[0];
  if (!trigger) return null;
  return `${record.rule.thresholdType} ${trigger.alertThreshold} (${trigger.label})`;
}

/** @internal exported for its table test */
export function formatDuration(ms: number): string {
  const minutes = Math.max(0, Math.floor(ms / 60_000));
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const rest = minutes % 60;
  if (days > 0) return `${days}d ${hours}h`;
  if (hours > 0) return `${hours}h ${rest}m`;
  return `${rest}m`;
}
