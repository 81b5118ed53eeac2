// What a resolved card adds when it was resolved by a change: when, and why (the value that came back).
import type { IncidentChange } from '../lifecycle/change.ts';
import type { AlertRule } from '../domain.ts';
import type { IncidentCard } from './model.ts';

const number = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 });

/** "the value went back to 12 (below the resolve threshold 50)", or the plain closing when no value caused it. */
export function resolutionReason(rule: AlertRule, value: number | null): string {
  if (value === null) return 'closed';
  // Sentry resolves at the resolve threshold, or at the lowest trigger's alert threshold when none is set.
  const threshold = rule.resolveThreshold ?? lowestTrigger(rule);
  const side = rule.thresholdType === 'above' ? 'below' : 'above';
  const bound = threshold === null ? '' : ` (${side} the resolve threshold ${number.format(threshold)})`;
  return `the value went back to ${number.format(value)}${bound}`;
}

export function withResolution(card: IncidentCard, rule: AlertRule, change: IncidentChange): IncidentCard {
  const text = `${change.at.replace('T', ' ').replace(/\.\d+Z$|Z$/, ' UTC')}: ${resolutionReason(rule, change.value)}`;
  return { ...card, fields: [...card.fields, { label: 'Resolved', value: text, inline: false }] };
}

function lowestTrigger(rule: AlertRule): number | null {
  const thresholds = rule.triggers.map((trigger) => trigger.alertThreshold);
  if (thresholds.length === 0) return null;
  return rule.thresholdType === 'above' ? Math.min(...thresholds) : Math.max(...thresholds);
}
