// Who is asking and where: a Discord interaction's user, guild (the tenant), channel, locale, permissions, roles
// and display name — all from the signed interaction.
import { PermissionFlagsBits } from 'discord-api-types/v10';
import type { Actor } from '../../src/command/model.ts';

type UserFields = { id: string; username?: string | undefined; global_name?: string | null | undefined };

export type ActorFields = {
  guild_id?: string | undefined;
  channel_id?: string | undefined;
  channel?: { id: string } | undefined;
  member?:
    | {
        user: UserFields;
        permissions?: string | undefined;
        roles?: string[] | undefined;
        nick?: string | null | undefined;
      }
    | undefined;
  user?: UserFields | undefined;
  locale?: string | undefined;
  guild_locale?: string | undefined;
};

/** Null when the interaction names no user at all (Discord always sends one; a payload without is malformed). */
export function discordActor(fields: ActorFields): Actor | null {
  const user = fields.member?.user ?? fields.user;
  if (!user) return null;
  const permissions = fields.member?.permissions ?? null;
  return {
    platform: 'discord',
    userId: user.id,
    // A DM has no guild, so no tenant: the dispatcher answers with install instructions.
    tenantId: fields.guild_id ?? null,
    channelId: fields.channel?.id ?? fields.channel_id ?? null,
    locale: fields.locale ?? fields.guild_locale ?? 'en-US',
    permissions,
    name: fields.member?.nick ?? user.global_name ?? user.username ?? null,
    roles: fields.member?.roles ?? [],
    defaultResponder: canManageMessages(permissions),
  };
}

/**
 * Discord's default for acting on cards: Manage Messages in this channel. `member.permissions` is the member's
 * computed permissions in the interaction's channel (overwrites included); Administrator implies every bit.
 */
export function canManageMessages(permissions: string | null): boolean {
  if (!permissions || !/^\d+$/.test(permissions)) return false;
  const bits = BigInt(permissions);
  const wanted = PermissionFlagsBits.ManageMessages | PermissionFlagsBits.Administrator;
  return (bits & wanted) !== 0n;
}
