// What a platform sender does for the outbox: post a card, edit it in place, reply under it. Outcomes are values:
// the worker decides between done, retry later and "this channel is gone".
import type { IncidentCard } from '../card/model.ts';

export type DeliveryTarget = {
  channelId: string;
  /** The stored conversation reference (Teams); null where the channel id is enough (Discord). */
  conversation: unknown;
};

export type DeliveryOutcome =
  | { ok: true; messageId: string }
  /** Worth trying again: a 429 (with the platform's wait), a 5xx, a network error. */
  | { ok: false; permanent: false; reason: string; retryAfterMs?: number }
  /** The card to edit was deleted from the channel (the channel is fine): a fresh card is posted instead. */
  | { ok: false; permanent: false; reason: string; messageGone: true }
  /** The channel is gone or closed to the bot: retrying cannot help. */
  | { ok: false; permanent: true; reason: string };

export interface NotificationSender {
  /** `nonce` is unique per job and step, so a platform that supports it can drop a repeated post. */
  post(target: DeliveryTarget, card: IncidentCard, nonce: string): Promise<DeliveryOutcome>;
  edit(target: DeliveryTarget, messageId: string, card: IncidentCard): Promise<DeliveryOutcome>;
  reply(target: DeliveryTarget, messageId: string, text: string, nonce: string): Promise<DeliveryOutcome>;
}
