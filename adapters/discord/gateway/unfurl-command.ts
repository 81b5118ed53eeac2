// `/incident unfurl on|off [scope] [ids]`: where pasted incident links get live cards, and whether `#<number>`
// counts as one. Members with Manage Channels decide, for this channel or the whole server (a channel's own
// setting wins over the server's).
import {
  type APIInteractionResponse,
  ApplicationCommandOptionType,
  InteractionResponseType,
  PermissionFlagsBits,
} from 'discord-api-types/v10';
import type { AdapterContext } from '../../../src/adapter.ts';
import type { Actor } from '../../../src/command/model.ts';
import type { CommandOption } from '../interaction-schema.ts';
import { errorMessage } from '../render-reply.ts';
import { hasPermission } from './member-permissions.ts';

export const UNFURL_GROUP = 'unfurl';

export type UnfurlSettingsRequest = {
  actor: Actor;
  enabled: boolean;
  scope: 'channel' | 'server';
  /** Null: keep what the channel (or server) has. */
  identifiers: boolean | null;
};

export type UnfurlSettingsParse =
  | { kind: 'unfurl-settings'; request: UnfurlSettingsRequest }
  | { kind: 'invalid'; reason: string };

export function parseUnfurlSettings(group: CommandOption, actor: Actor): UnfurlSettingsParse {
  const sub = group.options?.[0];
  if (sub?.type !== ApplicationCommandOptionType.Subcommand || (sub.name !== 'on' && sub.name !== 'off')) {
    return { kind: 'invalid', reason: 'Use `/incident unfurl on` or `/incident unfurl off`.' };
  }
  const scope = sub.options?.find((option) => option.name === 'scope')?.value ?? 'channel';
  const ids = sub.options?.find((option) => option.name === 'ids')?.value;
  if (scope !== 'channel' && scope !== 'server')
    return { kind: 'invalid', reason: `unknown scope "${String(scope)}"` };
  return {
    kind: 'unfurl-settings',
    request: { actor, enabled: sub.name === 'on', scope, identifiers: typeof ids === 'boolean' ? ids : null },
  };
}

export async function unfurlSettingsAnswer(
  request: UnfurlSettingsRequest,
  context: Pick<AdapterContext, 'tenants' | 'unfurlSettings'>,
  gatewayOn: boolean,
): Promise<APIInteractionResponse> {
  const { actor } = request;
  const answer = (text: string): APIInteractionResponse => ({
    type: InteractionResponseType.ChannelMessageWithSource,
    data: errorMessage(text),
  });
  if (!actor.tenantId || !context.tenants.organizationForTenant('discord', actor.tenantId)) {
    return answer(
      'This server is not connected to an organization yet (see the README: "Connect a Discord server").',
    );
  }
  if (!hasPermission(actor.permissions, PermissionFlagsBits.ManageChannels)) {
    return answer('Only members with the Manage Channels permission can change link unfurls.');
  }
  const channelId = request.scope === 'channel' ? actor.channelId : null;
  if (request.scope === 'channel' && !channelId) return answer('Run this in the channel to change.');
  const current = context.unfurlSettings.effective('discord', actor.tenantId, channelId);
  const identifiers = request.identifiers ?? current.identifiers;
  await context.unfurlSettings.set({
    platform: 'discord',
    tenantId: actor.tenantId,
    channelId,
    enabled: request.enabled,
    identifiers,
  });
  const where =
    request.scope === 'channel'
      ? 'in this channel'
      : 'in this server (where a channel has no setting of its own)';
  const gateway = gatewayOn ? '' : ' Note: the gateway is off on this deployment (DISCORD_GATEWAY).';
  return answer(
    request.enabled
      ? `Incident links ${where} now get live cards${identifiers ? ', and so does `#<number>`' : ' (`#<number>` does not count)'}.${gateway}`
      : `Incident links ${where} no longer get cards.`,
  );
}
