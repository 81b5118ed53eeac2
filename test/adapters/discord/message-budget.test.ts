// Discord's 6,000-character budget, counted here by hand from the developer docs rather than with the
// adapter's own counter: "the combined sum of characters in all title, description, field.name, field.value,
// footer.text, and author.name fields across all embeds attached to a message must not exceed 6000".
import type { APIEmbed } from 'discord-api-types/v10';
import { describe, expect, it } from 'vitest';
import { renderDiscordCard } from '../../../adapters/discord/index.ts';
import { renderReply } from '../../../adapters/discord/render-reply.ts';
import { hugeCard, sampleCard } from './sample-card.ts';

const DISCORD_MESSAGE_BUDGET = 6000;

/** Every counted text of every embed, by the docs' list (UTF-16 units: never fewer than Discord counts). */
function countedCharacters(message: unknown): number {
  const embeds = ((message as { embeds?: APIEmbed[] }).embeds ?? []) as APIEmbed[];
  const texts = embeds.flatMap((embed) => [
    embed.title ?? '',
    embed.description ?? '',
    ...(embed.fields ?? []).flatMap((field) => [field.name, field.value]),
    embed.footer?.text ?? '',
    embed.author?.name ?? '',
  ]);
  return texts.reduce((sum, text) => sum + text.length, 0);
}

/** Four cards whose texts, footers included, add up to 40 characters more than the budget. */
function cardsJustOverBudget() {
  const bare = countedCharacters(
    renderReply({ kind: 'cards', cards: [sampleCard({ identifier: 1, statusText: '' })], notFound: [] }),
  );
  const statusText = 'x'.repeat(Math.ceil((DISCORD_MESSAGE_BUDGET + 40) / 4) - bare);
  return Array.from({ length: 4 }, (_, i) => sampleCard({ identifier: i + 1, statusText }));
}

describe('the 6,000-character budget of one message', () => {
  it('holds for one card whose every text is huge, footer included', () => {
    const message = renderDiscordCard(hugeCard(42)) as { embeds: APIEmbed[] };
    expect(message.embeds).toHaveLength(1);
    expect(message.embeds[0]!.footer?.text).toBe('acme · incident #42 · updated');
    const counted = countedCharacters(message);
    expect(counted).toBeLessThanOrEqual(DISCORD_MESSAGE_BUDGET);
    // The budget is used, not thrown away: only what does not fit is cut.
    expect(counted).toBeGreaterThan(DISCORD_MESSAGE_BUDGET - 1_100);
  });

  it('moves the card that would cross the budget out of the message', () => {
    const message = renderReply({ kind: 'cards', cards: cardsJustOverBudget(), notFound: [] });
    expect(message.embeds).toHaveLength(3);
  });

  it.each([
    ['a normal card then huge ones', [sampleCard({ identifier: 1 }), hugeCard(2), hugeCard(3)]],
    ['ten normal cards', Array.from({ length: 10 }, (_, i) => sampleCard({ identifier: 40 + i }))],
    ['four cards 40 characters over the budget together', cardsJustOverBudget()],
  ])('holds across every embed of a message: %s', (_case, cards) => {
    const message = renderReply({ kind: 'cards', cards, notFound: [] });
    expect(countedCharacters(message)).toBeLessThanOrEqual(DISCORD_MESSAGE_BUDGET);
    expect(message.embeds?.length).toBeGreaterThan(0);
  });
});
