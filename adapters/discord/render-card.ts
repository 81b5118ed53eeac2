// Incident cards as Discord embeds: status colour, linked title, status text, fields, timestamp, footer, and
// the Refresh + Link buttons. Every limit is respected by construction, never checked after the fact.
import {
  type APIActionRowComponent,
  type APIButtonComponent,
  type APIEmbed,
  type APIComponentInMessageActionRow,
  ButtonStyle,
  ComponentType,
} from 'discord-api-types/v10';
import type { IncidentCard } from '../../src/card/model.ts';
import { refreshCustomId } from './custom-id.ts';
import { actionRows } from './render-actions.ts';
import { truncate } from '../../src/truncate.ts';
import { DISCORD_LIMITS, embedLength } from './limits.ts';

const DEGRADED_MARK = '⚠️ ';

export function cardEmbed(card: IncidentCard): APIEmbed {
  const description = [(card.metricError ? DEGRADED_MARK : '') + card.statusText, ...stateLines(card)].join(
    '\n',
  );
  const embed: APIEmbed = {
    title: truncate(card.title, DISCORD_LIMITS.embedTitle),
    url: card.link,
    description: truncate(description, DISCORD_LIMITS.embedDescription),
    color: card.color,
    fields: card.fields.slice(0, DISCORD_LIMITS.embedFields).map((field) => ({
      name: truncate(field.label || '\u200b', DISCORD_LIMITS.fieldName),
      value: truncate(field.value || '—', DISCORD_LIMITS.fieldValue),
      inline: field.inline,
    })),
    ...(card.chartUrl ? { image: { url: card.chartUrl } } : {}),
    timestamp: card.updatedAt,
    footer: {
      text: truncate(
        [
          `${card.organizationId} · incident #${card.identifier}`,
          ...card.recent.map(recentText),
          'updated',
        ].join(' · '),
        DISCORD_LIMITS.footerText,
      ),
    },
  };
  return capEmbed(embed, DISCORD_LIMITS.embedsTotal);
}

/**
 * Shrinks one embed to `budget` counted characters: fields go from the end first, then the description is cut.
 * Title (≤ 256) and our own short footer always fit in a single embed's 6,000.
 */
export function capEmbed(embed: APIEmbed, budget: number): APIEmbed {
  const capped: APIEmbed = { ...embed, fields: [...(embed.fields ?? [])] };
  while (embedLength(capped) > budget && capped.fields!.length > 0) capped.fields!.pop();
  const over = embedLength(capped) - budget;
  if (over > 0 && capped.description) {
    capped.description = truncate(capped.description, Math.max(1, capped.description.length - over));
  }
  return capped;
}

export type FittedCards = { embeds: APIEmbed[]; spilled: IncidentCard[] };

/** As many cards as fit in one message (10 embeds, 6,000 characters), in order; the rest spill. */
export function fitCards(cards: readonly IncidentCard[]): FittedCards {
  const embeds: APIEmbed[] = [];
  let used = 0;
  for (const [index, card] of cards.entries()) {
    const embed = cardEmbed(card);
    const length = embedLength(embed);
    if (embeds.length >= DISCORD_LIMITS.embedsPerMessage || used + length > DISCORD_LIMITS.embedsTotal) {
      return { embeds, spilled: cards.slice(index) };
    }
    embeds.push(embed);
    used += length;
  }
  return { embeds, spilled: [] };
}

/** "Acknowledged by Ana · 3 minutes ago", the assignee and the snooze, with Discord's relative timestamps. */
function stateLines(card: IncidentCard): string[] {
  const lines: string[] = [];
  if (card.acknowledged)
    lines.push(`Acknowledged by ${card.acknowledged.name} · ${relative(card.acknowledged.at)}`);
  if (card.assignee) lines.push(`Assigned to ${card.assignee}`);
  if (card.snoozedUntil) lines.push(`Notifications snoozed until <t:${seconds(card.snoozedUntil)}:t>`);
  return lines;
}

/** Footers render no timestamps: the time is written out (UTC). */
function recentText(entry: IncidentCard['recent'][number]): string {
  return `${entry.text} ${entry.at.slice(11, 16)} UTC`;
}

function relative(at: string): string {
  return `<t:${seconds(at)}:R>`;
}

function seconds(at: string): number {
  return Math.floor(Date.parse(at) / 1000);
}

/** Refresh (recomputes every card of the message) and, for a single card, a link to the incident page. */
export function cardButtons(cards: readonly IncidentCard[]): APIActionRowComponent<APIButtonComponent>[] {
  const first = cards[0];
  if (!first) return [];
  const buttons: APIButtonComponent[] = [];
  const sameOrganization = cards.every((card) => card.organizationId === first.organizationId);
  const customId = sameOrganization
    ? refreshCustomId(
        first.organizationId,
        cards.map((card) => card.identifier),
      )
    : null;
  if (customId) {
    buttons.push({
      type: ComponentType.Button,
      style: ButtonStyle.Secondary,
      label: cards.length === 1 ? 'Refresh' : 'Refresh all',
      custom_id: customId,
    });
  }
  if (cards.length === 1 && first.link.length <= DISCORD_LIMITS.buttonUrl) {
    buttons.push({
      type: ComponentType.Button,
      style: ButtonStyle.Link,
      label: 'Open incident',
      url: first.link,
    });
  }
  return buttons.length > 0 ? [{ type: ComponentType.ActionRow, components: buttons }] : [];
}

/** A single card gets its action rows below Refresh and the link; a message of several cards keeps Refresh all only. */
export function cardComponents(
  cards: readonly IncidentCard[],
): APIActionRowComponent<APIComponentInMessageActionRow>[] {
  const [only] = cards;
  const actions = only && cards.length === 1 ? actionRows(only) : [];
  return [...cardButtons(cards), ...actions].slice(0, DISCORD_LIMITS.actionRows);
}
