// The parts of a Discord message the unfurler reads, as plain data (a discord.js `Message` is mapped in
// client.ts), and which messages it never answers.

export type GatewayMessage = {
  id: string;
  channelId: string;
  /** Null in a DM: there is no guild, so no organization. */
  guildId: string | null;
  authorId: string;
  authorIsBot: boolean;
  webhookId: string | null;
  /** Join notices, pins and the like. */
  system: boolean;
  content: string;
  /** Link embeds Discord resolved; the link usually is in the content too (duplicates are dropped). */
  embedUrls: string[];
};

/** Bots (the bot itself included) and webhooks would answer each other forever; DMs belong to no organization. */
export function isUnfurlable(message: GatewayMessage): message is GatewayMessage & { guildId: string } {
  return message.guildId !== null && !message.authorIsBot && message.webhookId === null && !message.system;
}
