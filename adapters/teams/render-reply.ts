// Replies as Teams messages: the live card, list/search results, help and errors (friendly, never a stack).
import { assertNever } from '../../src/assert-never.ts';
import { truncate } from '../../src/truncate.ts';
import type { Activity, Attachment } from 'botbuilder';
import type { IncidentSummary } from '../../src/card/model.ts';
import type { ErrorReply, Reply } from '../../src/command/model.ts';
import {
  type AdaptiveCard,
  adaptiveCard,
  type CardElement,
  cardAttachment,
  openUrl,
  textBlock,
  withinLimit,
} from './adaptive-card.ts';
import { readerTime, utcText } from './date-time.ts';
import { TEXT_LIMITS } from './limits.ts';
import { liveCard, previewAttachment } from './render-card.ts';
import { subscriptionsCard } from './render-subscriptions.ts';
import { ERROR_HEADING, errorMessage, HELP_FOOTER, HELP_TITLE, helpEntries, refLabel } from './words.ts';
import { escapeMarkdown } from './markdown.ts';

type ListReply = Extract<Reply, { kind: 'list' }>;
type HelpReply = Extract<Reply, { kind: 'help' }>;

export function listCard(reply: ListReply): AdaptiveCard {
  const items = reply.items.slice(0, TEXT_LIMITS.listItems);
  const body: CardElement[] = [
    textBlock(escapeMarkdown(truncate(reply.title, TEXT_LIMITS.title)), {
      style: 'heading',
      size: 'Medium',
      weight: 'Bolder',
    }),
    textBlock(pageText(reply.skip, items.length, reply.total), {
      size: 'Small',
      isSubtle: true,
      spacing: 'None',
    }),
    ...items.map(listRow),
  ];
  return withinLimit(adaptiveCard('1.5', body), () => adaptiveCard('1.5', body.slice(0, 2)));
}

function listRow(item: IncidentSummary): CardElement {
  return {
    type: 'Container',
    separator: true,
    selectAction: openUrl(`Open #${item.identifier}`, item.link),
    items: [
      textBlock(
        escapeMarkdown(truncate(`#${item.identifier} ${item.statusLabel}: ${item.title}`, TEXT_LIMITS.title)),
        {
          weight: 'Bolder',
        },
      ),
      textBlock(`Started ${readerTime(item.dateStarted)}`, {
        size: 'Small',
        isSubtle: true,
        spacing: 'None',
      }),
    ],
  };
}

function pageText(skip: number, shown: number, total: number): string {
  if (shown === 0) return total === 0 ? 'No incidents.' : `No more incidents (${total} in all).`;
  return `${skip + 1}–${skip + shown} of ${total}, newest first`;
}

/** One search result: a summary card plus the preview whose tap asks the bot for the live card. */
export function searchResultAttachment(item: IncidentSummary): Attachment & { preview: Attachment } {
  const card = adaptiveCard('1.5', [listRow(item)], { actions: [openUrl('Open incident', item.link)] });
  const preview = previewAttachment(
    `#${item.identifier} ${item.statusLabel}: ${item.title}`,
    `Started ${utcText(item.dateStarted)}`,
    item.organizationId,
  );
  const tap = { type: 'invoke', value: { organizationId: item.organizationId, identifier: item.identifier } };
  return { ...cardAttachment(card), preview: { ...preview, content: { ...preview.content, tap } } };
}

export function helpCard(reply: HelpReply): AdaptiveCard {
  const facts = helpEntries(reply.commands)
    .slice(0, TEXT_LIMITS.helpEntries)
    .map((entry) => ({
      title: truncate(entry.usage, TEXT_LIMITS.factTitle),
      value: truncate(entry.description, TEXT_LIMITS.factValue),
    }));
  return adaptiveCard('1.5', [
    textBlock(HELP_TITLE, { style: 'heading', size: 'Medium', weight: 'Bolder' }),
    { type: 'FactSet', facts },
    textBlock(truncate(HELP_FOOTER, TEXT_LIMITS.statusText), { size: 'Small', isSubtle: true }),
  ]);
}

export function errorCard(reply: ErrorReply, version: AdaptiveCard['version'] = '1.5'): AdaptiveCard {
  const heading = ERROR_HEADING[reply.code];
  return adaptiveCard(version, [
    {
      type: 'Container',
      style: heading.style,
      bleed: true,
      items: [
        textBlock(heading.title, { size: 'Medium', weight: 'Bolder' }),
        textBlock(truncate(errorMessage(reply), TEXT_LIMITS.statusText + TEXT_LIMITS.title)),
      ],
    },
  ]);
}

/** A reply as the message activity the bot posts: a live card, a list, help or an error card. */
export function replyActivity(reply: Reply, watchers: readonly string[], note?: string): Partial<Activity> {
  const message = (card: AdaptiveCard, text?: string): Partial<Activity> => ({
    type: 'message',
    ...(text ? { text } : {}),
    attachments: [cardAttachment(card)],
  });
  switch (reply.kind) {
    case 'cards': {
      if (reply.cards.length === 0)
        return message(
          errorCard({ kind: 'error', code: 'not_found', refs: reply.notFound, organization: null }),
        );
      const missing = reply.notFound.map(refLabel).join(', ');
      return message(
        liveCard(reply.cards, { watchers, note }),
        missing ? `Not found: ${missing}` : undefined,
      );
    }
    case 'action':
      return message(liveCard([reply.card], { watchers, note }));
    case 'list':
      return message(listCard(reply));
    case 'help':
      return message(helpCard(reply));
    case 'subscriptions':
      return message(subscriptionsCard(reply));
    case 'error':
      return message(errorCard(reply));
    case 'choices':
      return { type: 'message', text: reply.choices.map((choice) => choice.name).join('\n') };
    default:
      return assertNever(reply);
  }
}
