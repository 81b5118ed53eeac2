// The non-incident replies as Adaptive Cards: list/search results, help and errors (friendly, never a stack).
import type { Attachment } from 'botbuilder';
import type { IncidentSummary } from '../../src/card/model.ts';
import type { ErrorReply, Reply } from '../../src/command/model.ts';
import {
  type AdaptiveCard,
  adaptiveCard,
  type CardElement,
  cardAttachment,
  openUrl,
  textBlock,
  truncate,
  withinLimit,
} from './adaptive-card.ts';
import { readerTime, utcText } from './date-time.ts';
import { TEXT_LIMITS } from './limits.ts';
import { previewAttachment } from './render.ts';

type ListReply = Extract<Reply, { kind: 'list' }>;
type HelpReply = Extract<Reply, { kind: 'help' }>;

const ERROR_HEADING: Record<ErrorReply['code'], { title: string; style: string }> = {
  not_installed: { title: 'Not connected yet', style: 'warning' },
  not_found: { title: 'Not found', style: 'warning' },
  bad_request: { title: 'That did not work', style: 'warning' },
  unavailable: { title: 'Unavailable right now', style: 'attention' },
  forbidden: { title: 'Not allowed', style: 'attention' },
};

export function listCard(reply: ListReply): AdaptiveCard {
  const items = reply.items.slice(0, TEXT_LIMITS.listItems);
  const body: CardElement[] = [
    textBlock(truncate(reply.title, TEXT_LIMITS.title), {
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
      textBlock(truncate(`#${item.identifier} ${item.statusLabel}: ${item.title}`, TEXT_LIMITS.title), {
        weight: 'Bolder',
      }),
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
  const facts = reply.entries.slice(0, TEXT_LIMITS.helpEntries).map((entry) => ({
    title: truncate(entry.usage, TEXT_LIMITS.factTitle),
    value: truncate(entry.description, TEXT_LIMITS.factValue),
  }));
  return adaptiveCard('1.5', [
    textBlock(reply.title, { style: 'heading', size: 'Medium', weight: 'Bolder' }),
    { type: 'FactSet', facts },
    textBlock(truncate(reply.footer, TEXT_LIMITS.statusText), { size: 'Small', isSubtle: true }),
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
        textBlock(truncate(reply.message, TEXT_LIMITS.statusText + TEXT_LIMITS.title)),
      ],
    },
  ]);
}

/** Plain text for surfaces that show text only (search and message-action errors). */
export function errorText(reply: ErrorReply): string {
  return `${ERROR_HEADING[reply.code].title}: ${reply.message}`;
}
