import { describe, expect, it } from 'vitest';
import { DISCORD_LIMITS, embedLength } from '../../../adapters/discord/limits.ts';
import { truncate } from '../../../src/truncate.ts';
import { cardEmbed, fitCards } from '../../../adapters/discord/render-card.ts';
import { hugeCard, sampleCard } from './sample-card.ts';

describe('truncate', () => {
  it.each([
    ['short text stays', 'abc', 5, 'abc'],
    ['exact length stays', 'abcde', 5, 'abcde'],
    ['long text ends in an ellipsis', 'abcdefgh', 5, 'abcd…'],
    ['trailing spaces before the ellipsis go', 'ab   cdefgh', 6, 'ab…'],
    ['a surrogate pair is never split', 'ab😀cd', 4, 'ab…'],
  ])('%s', (_case, text, max, expected) => {
    const result = truncate(text, max);
    expect(result).toBe(expected);
    expect(result.length).toBeLessThanOrEqual(max);
  });
});

describe('one card embed', () => {
  it('fits every Discord limit even when every text is huge', () => {
    const embed = cardEmbed(hugeCard(42));
    expect(embed.title!.length).toBeLessThanOrEqual(DISCORD_LIMITS.embedTitle);
    expect(embed.description!.length).toBeLessThanOrEqual(DISCORD_LIMITS.embedDescription);
    expect(embed.fields!.length).toBeLessThanOrEqual(DISCORD_LIMITS.embedFields);
    for (const field of embed.fields!) {
      expect(field.name.length).toBeLessThanOrEqual(DISCORD_LIMITS.fieldName);
      expect(field.value.length).toBeLessThanOrEqual(DISCORD_LIMITS.fieldValue);
    }
    expect(embedLength(embed)).toBeLessThanOrEqual(DISCORD_LIMITS.embedsTotal);
  });

  it('keeps a normal card whole', () => {
    const embed = cardEmbed(sampleCard());
    expect(embed.fields).toHaveLength(6);
    expect(embed.description).toBe('1,204 events in the last 10 minutes');
  });
});

describe('several cards in one message', () => {
  it('keeps ten normal cards', () => {
    const cards = Array.from({ length: 10 }, (_, i) => sampleCard({ identifier: 40 + i }));
    const { embeds, spilled } = fitCards(cards);
    expect(embeds).toHaveLength(10);
    expect(spilled).toEqual([]);
  });

  it('spills huge cards beyond 6,000 characters, keeping order', () => {
    const cards = [sampleCard({ identifier: 1 }), hugeCard(2), hugeCard(3), sampleCard({ identifier: 4 })];
    const { embeds, spilled } = fitCards(cards);
    expect(embeds.reduce((sum, embed) => sum + embedLength(embed), 0)).toBeLessThanOrEqual(
      DISCORD_LIMITS.embedsTotal,
    );
    expect(embeds.map((embed) => embed.url)).toEqual([cards[0]!.link, cards[1]!.link]);
    expect(spilled.map((card) => card.identifier)).toEqual([3, 4]);
  });

  it('always shows the first card, however large', () => {
    const { embeds } = fitCards([hugeCard(1), hugeCard(2)]);
    expect(embeds).toHaveLength(1);
  });
});
