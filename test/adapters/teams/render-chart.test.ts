// The chart in an Adaptive Card: an Image when PUBLIC_URL is https (Teams loads no plain-http images), nothing
// otherwise; the card stays valid against the 1.5 schema and within 28 KB.
import { describe, expect, it } from 'vitest';
import { cardBytes } from '../../../adapters/teams/adaptive-card.ts';
import { MAX_CARD_BYTES } from '../../../adapters/teams/limits.ts';
import { liveCard, unfurlCard } from '../../../adapters/teams/render-card.ts';
import { sampleCard } from '../../support/sample-card.ts';
import { adaptiveCardErrors, featuresNewerThan } from './schemas.ts';

const CHART = 'https://cards.example.com/o/acme/incidents/42/chart.png?v=abc&exp=1790000000&sig=x';
const images = (card: unknown) => JSON.stringify(card).match(/"type":"Image"/g)?.length ?? 0;

function valid(card: unknown) {
  expect(adaptiveCardErrors(card)).toEqual([]);
  expect(cardBytes(card as never)).toBeLessThanOrEqual(MAX_CARD_BYTES);
}

describe('the chart in a Teams card', () => {
  it('is an Image in the live card when its URL is https', () => {
    const card = liveCard([sampleCard({ chartUrl: CHART })], { watchers: [] });
    valid(card);
    expect(card.body).toContainEqual(expect.objectContaining({ type: 'Image', url: CHART }));
  });

  it('is an Image in the unfurl card too, with 1.3 features only', () => {
    const card = unfurlCard(sampleCard({ chartUrl: CHART }));
    valid(card);
    expect(featuresNewerThan(card, '1.3')).toEqual([]);
    expect(images(card)).toBe(1);
  });

  it('is left out when PUBLIC_URL is plain http', () => {
    const http = CHART.replace('https://', 'http://');
    const card = liveCard([sampleCard({ chartUrl: http })], { watchers: [] });
    valid(card);
    expect(images(card)).toBe(0);
    expect(images(unfurlCard(sampleCard({ chartUrl: http })))).toBe(0);
  });

  it('is left out of a digest of several incidents', () => {
    const cards = [42, 43, 44].map((identifier) => sampleCard({ identifier, chartUrl: CHART }));
    const card = liveCard(cards, { watchers: [] });
    valid(card);
    expect(images(card)).toBe(0);
  });
});
