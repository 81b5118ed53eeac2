// The Dismiss button under an unfurl reply: the author of the unfurled message, or anyone who may manage
// messages, removes the reply. Acknowledged at once; the deletion follows through the bot's REST.
import {
  type APIInteractionResponse,
  InteractionResponseType,
  PermissionFlagsBits,
} from 'discord-api-types/v10';
import type { Actor } from '../../../src/command/model.ts';
import { errorMessage } from '../render-reply.ts';
import type { DiscordRest } from '../rest.ts';
import { hasPermission } from './member-permissions.ts';

export type DismissRequest = { actor: Actor; authorId: string; channelId: string | null; messageId: string };

export type DismissAnswer = { response: APIInteractionResponse; afterResponse?: () => Promise<void> };

export function dismissAnswer(request: DismissRequest, rest: DiscordRest): DismissAnswer {
  const { actor, channelId, messageId } = request;
  const allowed =
    actor.userId === request.authorId || hasPermission(actor.permissions, PermissionFlagsBits.ManageMessages);
  if (!allowed || !channelId) {
    return {
      response: {
        type: InteractionResponseType.ChannelMessageWithSource,
        data: errorMessage(
          'Only the author of the message, or someone who can manage messages, can dismiss these cards.',
        ),
      },
    };
  }
  return {
    response: { type: InteractionResponseType.DeferredMessageUpdate },
    afterResponse: () => rest.deleteMessage(channelId, messageId),
  };
}
