// The words of a card: status names, colours and the "<value> <what> in the last N minutes" line.
import type { Aggregate, MetricResult } from '../query/model.ts';
import type { IncidentStatus } from '../domain.ts';

export const STATUS_LABEL: Record<IncidentStatus, string> = {
  open: 'Open',
  warning: 'Warning',
  critical: 'Critical',
  resolved: 'Resolved',
};

/** Sentry's incident colours: resolved green, warning amber, critical red; open is a neutral blue. */
export const STATUS_COLOR: Record<IncidentStatus, number> = {
  open: 0x2d7ff9,
  warning: 0xffc227,
  critical: 0xfa4747,
  resolved: 0x4dc771,
};

export function incidentTitle(status: IncidentStatus, ruleName: string): string {
  return `${STATUS_LABEL[status]}: ${ruleName}`;
}

const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const twoDecimals = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 });
const threeDecimals = new Intl.NumberFormat('en-US', { maximumFractionDigits: 3 });
const fourDecimals = new Intl.NumberFormat('en-US', { maximumFractionDigits: 4 });

/** What the value counts; a leading `%` is glued to the number ("99.5% sessions crash free rate"). */
export function aggregateWording(aggregate: Aggregate, text: string): string {
  switch (aggregate.fn) {
    case 'count':
      return 'events';
    case 'count_unique':
      return 'users affected';
    case 'crash_free_rate':
      return `% ${aggregate.of} crash free rate`;
    default:
      return text.trim();
  }
}

export function formatMetricValue(aggregate: Aggregate, value: number): string {
  switch (aggregate.fn) {
    case 'count':
    case 'count_unique':
      return integer.format(value);
    case 'avg':
    case 'percentile':
      return `${twoDecimals.format(value)}ms`;
    case 'crash_free_rate':
      return threeDecimals.format(value);
    case 'failure_rate':
    case 'apdex':
      return fourDecimals.format(value);
  }
}

export function windowWording(timeWindowSeconds: number): string {
  const minutes = Math.floor(timeWindowSeconds / 60);
  return `in the last ${minutes} ${minutes === 1 ? 'minute' : 'minutes'}`;
}

const UNAVAILABLE: Record<Exclude<MetricResult, { ok: true }>['reason'], string> = {
  timeout: 'the event store did not answer in time',
  backend: 'the event store query failed',
  overloaded: 'the bot is overloaded right now',
};

export function statusText(
  aggregate: Aggregate,
  aggregateText: string,
  timeWindowSeconds: number,
  result: MetricResult,
): string {
  const what = aggregateWording(aggregate, aggregateText);
  const window = windowWording(timeWindowSeconds);
  if (!result.ok)
    return `Metric unavailable (${UNAVAILABLE[result.reason]}): ${what.replace(/^% /, '')} ${window}`;
  if (result.value === null) return `No data for ${what.replace(/^% /, '')} ${window}`;
  const value = formatMetricValue(aggregate, result.value);
  return what.startsWith('%') ? `${value}${what} ${window}` : `${value} ${what} ${window}`;
}
