// Replies as Discord message data: cards, lists, help and errors; choices for autocomplete. Errors, help and
// install instructions are ephemeral (only the asking user sees them); cards and lists are for the channel.
import {
  type APICommandAutocompleteInteractionResponseCallbackData,
  type APIEmbed,
  type APIInteractionResponseCallbackData,
  MessageFlags,
} from 'discord-api-types/v10';
import type { IncidentRef, Reply } from '../../src/command/model.ts';
import { STATUS_COLOR } from '../../src/incidents/status-text.ts';
import { truncate } from '../../src/truncate.ts';
import { DISCORD_LIMITS } from './limits.ts';
import { cardComponents, fitCards } from './render-card.ts';
import {
  errorText,
  HELP_FOOTER,
  HELP_TITLE,
  helpEntries,
  listFooter,
  NO_SUBSCRIPTIONS,
  NOTHING_TO_SHOW,
  refName,
  ruleLine,
  SUBSCRIPTIONS_TITLE,
  subscriptionChangeText,
  BROKEN,
} from './words.ts';

export type MessageData = APIInteractionResponseCallbackData;

export type RenderOptions = {
  /** References beyond the ten a message can carry (message command); listed, not rendered. */
  omitted?: readonly IncidentRef[];
};

export function renderReply(reply: Reply, options: RenderOptions = {}): MessageData {
  switch (reply.kind) {
    case 'cards':
      return renderCards(reply, options.omitted ?? []);
    case 'action':
      return renderCards({ kind: 'cards', cards: [reply.card], notFound: [] }, []);
    case 'list':
      return { embeds: [listEmbed(reply)], allowed_mentions: { parse: [] } };
    case 'help':
      return ephemeral({
        embeds: [
          {
            title: HELP_TITLE,
            color: STATUS_COLOR.open,
            fields: helpEntries(reply.commands)
              .slice(0, DISCORD_LIMITS.embedFields)
              .map((entry) => ({
                name: truncate(entry.usage, DISCORD_LIMITS.fieldName),
                value: truncate(entry.description || '—', DISCORD_LIMITS.fieldValue),
              })),
            footer: { text: truncate(HELP_FOOTER, DISCORD_LIMITS.footerText) },
          },
        ],
      });
    case 'subscriptions':
      return { embeds: [subscriptionsEmbed(reply)], allowed_mentions: { parse: [] } };
    case 'error':
      return errorMessage(errorText(reply));
    case 'choices':
      return errorMessage(NOTHING_TO_SHOW);
  }
}

export function errorMessage(text: string): MessageData {
  return ephemeral({ content: truncate(text, DISCORD_LIMITS.content), allowed_mentions: { parse: [] } });
}

export function renderChoices(reply: Reply): APICommandAutocompleteInteractionResponseCallbackData {
  if (reply.kind !== 'choices') return { choices: [] };
  return {
    choices: reply.choices.slice(0, DISCORD_LIMITS.autocompleteChoices).map((choice) => ({
      name: truncate(choice.name || choice.value, DISCORD_LIMITS.choiceName),
      value: truncate(choice.value, DISCORD_LIMITS.choiceValue),
    })),
  };
}

function ephemeral(data: MessageData): MessageData {
  return { ...data, flags: MessageFlags.Ephemeral };
}

function renderCards(reply: Extract<Reply, { kind: 'cards' }>, omitted: readonly IncidentRef[]): MessageData {
  const { embeds, spilled } = fitCards(reply.cards);
  const lines: string[] = [];
  if (spilled.length > 0)
    lines.push(`More: ${spilled.map((card) => `[#${card.identifier}](<${card.link}>)`).join(' ')}`);
  if (omitted.length > 0) lines.push(`Not shown (ten cards at most): ${omitted.map(refName).join(', ')}`);
  if (reply.notFound.length > 0) lines.push(`Not found: ${reply.notFound.map(refName).join(', ')}`);
  // Each line gets its share of the content limit, so that a long one never hides the others.
  const share = Math.floor(DISCORD_LIMITS.content / Math.max(1, lines.length)) - 1;
  const data: MessageData = {
    embeds,
    components: cardComponents(reply.cards),
    allowed_mentions: { parse: [] },
  };
  if (lines.length > 0) data.content = lines.map((line) => truncate(line, share)).join('\n');
  return data;
}

function listEmbed(reply: Extract<Reply, { kind: 'list' }>): APIEmbed {
  const lines: string[] = [];
  let length = 0;
  for (const item of reply.items) {
    const started = Math.floor(Date.parse(item.dateStarted) / 1000);
    const line =
      `\`#${item.identifier}\` **${item.statusLabel}** [${escapeMarkdown(truncate(item.title, 200))}](${item.link})` +
      ` · started <t:${started}:R>`;
    if (length + line.length + 1 > DISCORD_LIMITS.embedDescription) break;
    lines.push(line);
    length += line.length + 1;
  }
  const shown = lines.length;
  const footer = shown === 0 ? 'No incidents.' : listFooter(reply.skip + 1, reply.skip + shown, reply.total);
  return {
    title: truncate(reply.title, DISCORD_LIMITS.embedTitle),
    color: STATUS_COLOR.open,
    description: shown === 0 ? 'Nothing here right now.' : lines.join('\n'),
    footer: { text: footer },
  };
}

function subscriptionsEmbed(reply: Extract<Reply, { kind: 'subscriptions' }>): APIEmbed {
  const lines = reply.items.map((item) => {
    const rule = escapeMarkdown(ruleLine(item.rule));
    return item.status === 'active'
      ? `• ${rule}`
      : `• ${rule}: **${BROKEN}** (${escapeMarkdown(item.brokenReason ?? '')})`;
  });
  const change = reply.change ? subscriptionChangeText(reply.change, reply.organization) : '';
  const empty = reply.items.length === 0 ? NO_SUBSCRIPTIONS : '';
  return {
    title: truncate(SUBSCRIPTIONS_TITLE, DISCORD_LIMITS.embedTitle),
    color: STATUS_COLOR.open,
    description: truncate(
      [change, empty, ...lines].filter(Boolean).join('\n'),
      DISCORD_LIMITS.embedDescription,
    ),
  };
}

/** Titles are user data: keep them from turning into markdown or links. */
function escapeMarkdown(text: string): string {
  return text.replace(/[\\[\]()*_~`|>]/g, '\\$&');
}
