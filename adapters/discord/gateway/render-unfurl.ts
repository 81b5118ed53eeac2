// The unfurl reply: the shared Discord card rendering (embeds, Refresh / Open buttons) plus a Dismiss button,
// "and N more" for links beyond the ten cards, no pings, and a reply reference to the message it answers.
import {
  type APIActionRowComponent,
  type APIButtonComponent,
  type APIComponentInMessageActionRow,
  type APIEmbed,
  ButtonStyle,
  ComponentType,
  type RESTPostAPIChannelMessageJSONBody,
} from 'discord-api-types/v10';
import type { IncidentCard } from '../../../src/card/model.ts';
import { truncate } from '../../../src/truncate.ts';
import { DISCORD_LIMITS } from '../limits.ts';
import { renderReply } from '../render-reply.ts';
import { actionRows } from '../render-actions.ts';
import { cardButtons } from '../render-card.ts';
import { dismissCustomId } from './dismiss-id.ts';

export type UnfurlContent = {
  cards: readonly IncidentCard[];
  /** Incident links beyond the ten cards one message carries. */
  more: number;
  /** Who posted the links: they may dismiss the reply. */
  authorId: string;
};

/** Also a valid `RESTPatchAPIChannelMessageJSONBody`. */
export type UnfurlBody = {
  content: string;
  embeds: APIEmbed[];
  components: APIActionRowComponent<APIComponentInMessageActionRow>[];
  allowed_mentions: { parse: []; replied_user: false };
};

export function renderUnfurlEdit(content: UnfurlContent): UnfurlBody {
  // The shared rendering decides which cards fit (and lists the ones that spill) and builds the embeds.
  const data = renderReply({ kind: 'cards', cards: [...content.cards], notFound: [] });
  const lines = data.content ? [data.content] : [];
  if (content.more > 0) lines.push(`…and ${content.more} more`);
  return {
    // An edit keeps the old text unless told otherwise: empty clears a stale "and N more".
    content: truncate(lines.join('\n'), DISCORD_LIMITS.content),
    embeds: data.embeds ?? [],
    // One card gets its actions too (render-actions.ts), below Refresh, the link and Dismiss.
    components: [
      ...withDismiss(cardButtons(content.cards), content.authorId),
      ...(content.cards.length === 1 ? actionRows(content.cards[0]!) : []),
    ].slice(0, DISCORD_LIMITS.actionRows),
    allowed_mentions: { parse: [], replied_user: false },
  };
}

export function renderUnfurlReply(
  content: UnfurlContent,
  messageId: string,
): RESTPostAPIChannelMessageJSONBody {
  const { content: text, ...rest } = renderUnfurlEdit(content);
  return {
    ...rest,
    ...(text ? { content: text } : {}),
    // The message may be deleted before the reply goes out: then there is nothing to answer.
    message_reference: { message_id: messageId, fail_if_not_exists: true },
  };
}

function withDismiss(
  rows: readonly APIActionRowComponent<APIButtonComponent>[],
  authorId: string,
): APIActionRowComponent<APIButtonComponent>[] {
  const dismiss: APIButtonComponent = {
    type: ComponentType.Button,
    style: ButtonStyle.Secondary,
    label: 'Dismiss',
    custom_id: dismissCustomId(authorId),
  };
  const [first, ...others] = rows;
  if (first && first.components.length < DISCORD_LIMITS.buttonsPerRow) {
    return [{ ...first, components: [...first.components, dismiss] }, ...others];
  }
  const row: APIActionRowComponent<APIButtonComponent> = {
    type: ComponentType.ActionRow,
    components: [dismiss],
  };
  return [...rows, row].slice(0, DISCORD_LIMITS.actionRows);
}
