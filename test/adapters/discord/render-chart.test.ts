// The chart in a Discord embed: `image.url` when the card has one, nothing otherwise; still a valid callback.
import { InteractionResponseType } from 'discord-api-types/v10';
import { describe, expect, it } from 'vitest';
import { renderReply } from '../../../adapters/discord/render-reply.ts';
import type { Reply } from '../../../src/command/model.ts';
import { expectValidCallback } from './discord-schemas.ts';
import { hugeCard, sampleCard } from './sample-card.ts';

const CHART = 'https://cards.example.com/o/acme/incidents/42/chart.png?v=abc&exp=1790000000&sig=x';

const render = (reply: Reply) => {
  const body = {
    type: InteractionResponseType.ChannelMessageWithSource,
    data: renderReply(reply, { omitted: [] }),
  };
  expectValidCallback(body);
  return body.data;
};

describe('the chart in an embed', () => {
  it('is the embed image', () => {
    const data = render({ kind: 'cards', cards: [sampleCard({ chartUrl: CHART })], notFound: [] });
    expect(data.embeds?.[0]?.image).toEqual({ url: CHART });
  });

  it('is left out when the card has none', () => {
    const data = render({ kind: 'cards', cards: [sampleCard()], notFound: [] });
    expect(data.embeds?.[0]).not.toHaveProperty('image');
  });

  it('goes with every card of a ten-card message, worst-case texts included', () => {
    const cards = Array.from({ length: 10 }, (_, i) => ({
      ...hugeCard(100 + i),
      chartUrl: CHART.replace('/42/', `/${100 + i}/`),
    }));
    const data = render({ kind: 'cards', cards, notFound: [] });
    for (const embed of data.embeds ?? []) expect(embed.image?.url).toMatch(/chart\.png/);
  });
});
