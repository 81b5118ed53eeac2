// What a conversation follows, as an Adaptive Card: the change just made, then one fact per subscription.
import type { Reply } from '../../src/command/model.ts';
import { type AdaptiveCard, adaptiveCard, textBlock, truncate } from './adaptive-card.ts';
import { TEXT_LIMITS } from './limits.ts';

export function subscriptionsCard(reply: Extract<Reply, { kind: 'subscriptions' }>): AdaptiveCard {
  const facts = reply.items.slice(0, TEXT_LIMITS.facts).map((item) => ({
    title: truncate(item.rule, TEXT_LIMITS.factTitle),
    value: truncate(
      item.status === 'active' ? 'active' : `broken: ${item.brokenReason ?? 'delivery failed'}`,
      TEXT_LIMITS.factValue,
    ),
  }));
  return adaptiveCard('1.5', [
    textBlock(truncate(reply.title, TEXT_LIMITS.title), {
      style: 'heading',
      size: 'Medium',
      weight: 'Bolder',
    }),
    ...(reply.message ? [textBlock(truncate(reply.message, TEXT_LIMITS.statusText))] : []),
    ...(facts.length > 0 ? [{ type: 'FactSet', facts }] : []),
  ]);
}
