// Discord's worst-case card, built on the shared sample card.
import type { IncidentCard } from '../../../src/card/model.ts';
import { sampleCard } from '../../support/sample-card.ts';

export { sampleCard };

/** A card with every text at its model's worst case: far beyond what one Discord embed may carry. */
export function hugeCard(identifier: number): IncidentCard {
  return sampleCard({
    identifier,
    title: `Critical: ${'Very long rule name '.repeat(30)}`,
    statusText: 'x'.repeat(5000),
    fields: Array.from({ length: 30 }, (_, i) => ({
      label: `Field ${i} ${'n'.repeat(300)}`,
      value: 'v'.repeat(2000),
      inline: true,
    })),
  });
}
