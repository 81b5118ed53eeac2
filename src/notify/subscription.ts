// Who follows what: a channel (Discord channel id, or Teams conversation id with its stored reference) follows
// one alert rule of an organization, or all of them (ruleId null).
import { z } from 'zod';
import { Platform } from '../domain.ts';

export const SubscriptionStatus = z.enum(['active', 'broken']);
export type SubscriptionStatus = z.infer<typeof SubscriptionStatus>;

export const Subscription = z.object({
  platform: Platform,
  organizationId: z.string().min(1),
  /** Discord channel id or Teams conversation id: where the card goes. */
  channelId: z.string().min(1).max(500),
  /** The platform's own reference object (Teams), stored as-is for proactive messages; null on Discord. */
  conversation: z.unknown().nullable().default(null),
  ruleId: z.number().int().positive().nullable(),
});
export type Subscription = z.infer<typeof Subscription>;

export type SubscriptionRecord = Subscription & {
  status: SubscriptionStatus;
  /** Why delivery stopped (e.g. "403 Missing Access"), when broken. */
  brokenReason: string | null;
  createdAt: string;
};

/** One card per incident per channel: the key every delivery of that card shares. */
export type ChannelKey = { platform: Platform; channelId: string };

export function channelKeyText(key: ChannelKey): string {
  return `${key.platform}:${key.channelId}`;
}
