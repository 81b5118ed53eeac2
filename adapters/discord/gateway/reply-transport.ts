// Posting, editing and deleting the unfurl reply through the discord.js client's REST (rate-limit buckets and
// retries included). Discord's refusals come back as values: a message that is gone is not an error.
import { DiscordAPIError, type REST } from '@discordjs/rest';
import {
  type APIMessage,
  RESTJSONErrorCodes,
  type RESTPatchAPIChannelMessageJSONBody,
  type RESTPostAPIChannelMessageJSONBody,
  Routes,
} from 'discord-api-types/v10';

export type Sent = { ok: true; id: string } | { ok: false; gone: boolean; reason: string };

export type ReplyTransport = {
  create(channelId: string, body: RESTPostAPIChannelMessageJSONBody): Promise<Sent>;
  edit(channelId: string, messageId: string, body: RESTPatchAPIChannelMessageJSONBody): Promise<Sent>;
  delete(channelId: string, messageId: string): Promise<Sent>;
};

/** The message (or the one it replies to, or the channel) no longer exists, or the bot may not see it. */
const GONE = new Set<number>([
  RESTJSONErrorCodes.UnknownMessage,
  RESTJSONErrorCodes.UnknownChannel,
  RESTJSONErrorCodes.MissingAccess,
]);

export function restReplyTransport(rest: REST): ReplyTransport {
  return {
    create: (channelId, body) =>
      sent(async () => (await rest.post(Routes.channelMessages(channelId), { body })) as APIMessage),
    edit: (channelId, messageId, body) =>
      sent(
        async () => (await rest.patch(Routes.channelMessage(channelId, messageId), { body })) as APIMessage,
      ),
    delete: (channelId, messageId) =>
      sent(async () => {
        await rest.delete(Routes.channelMessage(channelId, messageId));
        return { id: messageId };
      }),
  };
}

async function sent(work: () => Promise<Pick<APIMessage, 'id'>>): Promise<Sent> {
  try {
    return { ok: true, id: (await work()).id };
  } catch (error) {
    if (error instanceof DiscordAPIError) {
      // A reply to a message deleted in the meantime fails validation of its message_reference (50035).
      const gone =
        GONE.has(Number(error.code)) ||
        (error.code === RESTJSONErrorCodes.InvalidFormBodyOrContentType &&
          /message_reference/.test(error.message));
      return { ok: false, gone, reason: `${error.status} ${error.code}: ${error.message}` };
    }
    return { ok: false, gone: false, reason: error instanceof Error ? error.message : String(error) };
  }
}
