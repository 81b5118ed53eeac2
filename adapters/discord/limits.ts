// Discord's message limits and answer deadline in one place, and the safe truncation every renderer goes through.
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

/** Discord closes an interaction after 3 s; answering within ~2 s leaves room for the network. */
export const DISCORD_DEADLINE_MS = 2_000;

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
