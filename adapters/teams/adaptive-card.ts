// The Adaptive Card shapes we emit (a loose JSON type: the official schema, checked in tests, is the
// authority), plus the helpers every renderer needs: text caps, the size check and the attachment wrapper.
import type { Attachment } from 'botbuilder';
import { MAX_CARD_BYTES } from './limits.ts';

export const ADAPTIVE_CARD_CONTENT_TYPE = 'application/vnd.microsoft.card.adaptive';
export const THUMBNAIL_CARD_CONTENT_TYPE = 'application/vnd.microsoft.card.thumbnail';
const SCHEMA_URL = 'http://adaptivecards.io/schemas/adaptive-card.json';

export type CardElement = { type: string; [property: string]: unknown };

export type AdaptiveCard = {
  $schema: typeof SCHEMA_URL;
  type: 'AdaptiveCard';
  version: '1.3' | '1.5';
  body: CardElement[];
  actions?: CardElement[];
  refresh?: { action: CardElement; userIds?: string[] };
  fallbackText?: string;
};

export function adaptiveCard(
  version: AdaptiveCard['version'],
  body: CardElement[],
  extra: Omit<AdaptiveCard, '$schema' | 'type' | 'version' | 'body'> = {},
): AdaptiveCard {
  return { $schema: SCHEMA_URL, type: 'AdaptiveCard', version, body, ...extra };
}

export function textBlock(text: string, options: Record<string, unknown> = {}): CardElement {
  return { type: 'TextBlock', text, wrap: true, ...options };
}

export function openUrl(title: string, url: string): CardElement {
  return { type: 'Action.OpenUrl', title, url };
}

export function cardBytes(card: AdaptiveCard): number {
  return Buffer.byteLength(JSON.stringify(card), 'utf8');
}

/** The card itself when it fits Teams' limit, else the smaller stand-in (which must fit). */
export function withinLimit(card: AdaptiveCard, smaller: () => AdaptiveCard): AdaptiveCard {
  if (cardBytes(card) <= MAX_CARD_BYTES) return card;
  const fallback = smaller();
  if (cardBytes(fallback) > MAX_CARD_BYTES) throw new Error('the reduced card still exceeds the Teams limit');
  return fallback;
}

export function cardAttachment(card: AdaptiveCard): Attachment {
  return { contentType: ADAPTIVE_CARD_CONTENT_TYPE, content: card };
}
