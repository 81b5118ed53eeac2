// Discord's message limits in one place, and the safe truncation every renderer goes through.
// https://discord.com/developers/docs/resources/message#embed-object-embed-limits

export const DISCORD_LIMITS = {
  content: 2000,
  embedTitle: 256,
  embedDescription: 4096,
  embedFields: 25,
  fieldName: 256,
  fieldValue: 1024,
  footerText: 2048,
  authorName: 256,
  /** Summed over every embed of one message. */
  embedsTotal: 6000,
  embedsPerMessage: 10,
  customId: 100,
  buttonLabel: 80,
  buttonUrl: 512,
  actionRows: 5,
  buttonsPerRow: 5,
  autocompleteChoices: 25,
  choiceName: 100,
  choiceValue: 100,
} as const;

const ELLIPSIS = '…';

/**
 * Cuts `text` to at most `max` UTF-16 units, ending in an ellipsis when cut. Never splits a surrogate pair,
 * and never returns an empty string for non-empty input (Discord rejects empty field values).
 */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  if (max <= ELLIPSIS.length) return ELLIPSIS.slice(0, max);
  let end = max - ELLIPSIS.length;
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end -= 1;
  return text.slice(0, end).trimEnd() + ELLIPSIS;
}

/** The characters Discord counts towards the 6,000 limit of one embed. */
export function embedLength(embed: {
  title?: string;
  description?: string;
  fields?: readonly { name: string; value: string }[];
  footer?: { text: string };
  author?: { name: string };
}): number {
  let total = (embed.title?.length ?? 0) + (embed.description?.length ?? 0);
  for (const field of embed.fields ?? []) total += field.name.length + field.value.length;
  total += embed.footer?.text.length ?? 0;
  total += embed.author?.name.length ?? 0;
  return total;
}

/**
 * Discord's global limit: 50 requests per second per bot token, for every route together; 429s beyond it count
 * towards the invalid-request ban (10,000 per 10 minutes).
 * https://discord.com/developers/docs/topics/rate-limits#global-rate-limit
 */
export const DISCORD_RATE_LIMITS = {
  globalRequestsPerSecond: 50,
  /** The pace notifications are sent at: evenly spaced, with room for the network to bunch a few together. */
  notificationsPerSecond: 48,
  /** Longer waits are left to the outbox (persisted) rather than held in memory by @discordjs/rest. */
  maxInlineWaitMs: 10_000,
} as const;
