// Who is asking and where: a Discord interaction's user, guild (the tenant), channel, locale and permissions.
import type { Actor } from '../../src/command/model.ts';

export type ActorFields = {
  guild_id?: string | undefined;
  channel_id?: string | undefined;
  channel?: { id: string } | undefined;
  member?: { user: { id: string }; permissions?: string | undefined } | undefined;
  user?: { id: string } | undefined;
  locale?: string | undefined;
  guild_locale?: string | undefined;
};

/** Null when the interaction names no user at all (Discord always sends one; a payload without is malformed). */
export function discordActor(fields: ActorFields): Actor | null {
  const userId = fields.member?.user.id ?? fields.user?.id;
  if (!userId) return null;
  return {
    platform: 'discord',
    userId,
    // A DM has no guild, so no tenant: the dispatcher answers with install instructions.
    tenantId: fields.guild_id ?? null,
    channelId: fields.channel?.id ?? fields.channel_id ?? null,
    locale: fields.locale ?? fields.guild_locale ?? 'en-US',
    permissions: fields.member?.permissions ?? null,
  };
}
