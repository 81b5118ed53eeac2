// When a trigger fires and when it resolves (Sentry's subscription processor: alert_operator, resolve_operator,
// calculate_resolve_threshold), stated once.
import type { AlertRule } from '../domain.ts';

type Trigger = AlertRule['triggers'][number];
type RuleThresholds = Pick<AlertRule, 'thresholdType' | 'resolveThreshold' | 'triggers'>;

/** Both operators are strict: a value equal to the threshold does not fire. */
export function breaches(rule: RuleThresholds, trigger: Trigger, value: number): boolean {
  return rule.thresholdType === 'above' ? value > trigger.alertThreshold : value < trigger.alertThreshold;
}

/**
 * The rule's resolveThreshold belongs to the warning trigger, or to the only trigger; every other trigger resolves
 * at its own alert threshold, a value equal to it counting as resolved (Sentry adds ±0.000001 to get there).
 */
export function recovers(rule: RuleThresholds, trigger: Trigger, value: number): boolean {
  const usesRuleThreshold =
    rule.resolveThreshold !== null && (rule.triggers.length === 1 || trigger.label === 'warning');
  if (usesRuleThreshold) {
    const threshold = rule.resolveThreshold as number;
    return rule.thresholdType === 'above' ? value < threshold : value > threshold;
  }
  return rule.thresholdType === 'above' ? value <= trigger.alertThreshold : value >= trigger.alertThreshold;
}

/** Ascending alertThreshold: above rules see warning before critical, below rules critical before warning. */
export function triggersInOrder(rule: RuleThresholds): Trigger[] {
  return [...rule.triggers].sort((a, b) => a.alertThreshold - b.alertThreshold || a.id - b.id);
}

export function isCritical(trigger: Trigger): boolean {
  return trigger.label.toLowerCase() === 'critical';
}
