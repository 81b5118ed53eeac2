// What a conversation follows, as an Adaptive Card: the change just made, then one fact per subscription.
import type { Reply } from '../../src/command/model.ts';
import { truncate } from '../../src/truncate.ts';
import { type AdaptiveCard, adaptiveCard, textBlock } from './adaptive-card.ts';
import { TEXT_LIMITS } from './limits.ts';
import {
  NO_SUBSCRIPTIONS,
  SUBSCRIPTIONS_TITLE,
  subscribedRule,
  subscriptionChangeText,
  subscriptionStatus,
} from './words.ts';

export function subscriptionsCard(reply: Extract<Reply, { kind: 'subscriptions' }>): AdaptiveCard {
  const facts = reply.items.slice(0, TEXT_LIMITS.helpEntries).map((item) => ({
    title: truncate(subscribedRule(item.rule, reply.organization), TEXT_LIMITS.factTitle),
    value: truncate(subscriptionStatus(item), TEXT_LIMITS.factValue),
  }));
  const change = reply.change ? subscriptionChangeText(reply.change, reply.organization) : null;
  return adaptiveCard('1.5', [
    textBlock(SUBSCRIPTIONS_TITLE, { style: 'heading', size: 'Medium', weight: 'Bolder' }),
    ...(change ? [textBlock(truncate(change, TEXT_LIMITS.statusText))] : []),
    ...(facts.length > 0 ? [{ type: 'FactSet', facts }] : [textBlock(NO_SUBSCRIPTIONS)]),
  ]);
}
