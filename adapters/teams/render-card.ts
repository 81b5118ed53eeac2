// IncidentCard → Adaptive Card: the live card (1.5, Universal Actions refresh; one incident in full or a
// digest of several), the link-unfurl card (1.3 features only: Teams renders unfurls with an older card
// host) and the thumbnail preview.
import { truncate } from '../../src/truncate.ts';
import type { Attachment } from 'botbuilder';
import type { IncidentCard } from '../../src/card/model.ts';
import type { IncidentStatus } from '../../src/domain.ts';
import {
  type AdaptiveCard,
  adaptiveCard,
  type CardElement,
  openUrl,
  THUMBNAIL_CARD_CONTENT_TYPE,
  textBlock,
  withinLimit,
} from './adaptive-card.ts';
import { readerTime } from './date-time.ts';
import { REFRESH_VERB, type RefreshData, type RefreshSubmitData } from './card-actions.ts';
import { TEXT_LIMITS } from './limits.ts';
import { actionSets, recentLine, stateBlocks } from './render-actions.ts';
import { escapeMarkdown } from './markdown.ts';

/**
 * The Adaptive Card container style that carries the incident status. Text inside keeps the default colour:
 * Teams paints a semantic colour on the same style's background at 1.2–3.7:1 (WCAG AA needs 4.5:1), and the
 * title's first word already names the status.
 */
export const STATUS_STYLE: Record<IncidentStatus, { container: string }> = {
  open: { container: 'accent' },
  warning: { container: 'warning' },
  critical: { container: 'attention' },
  resolved: { container: 'good' },
};

export type LiveCardOptions = {
  /** Teams user ids that get the card refreshed automatically (Universal Actions `refresh.userIds`). */
  watchers: readonly string[];
  /** Footer wording: how this version of the card came to be. */
  note?: string;
  /** Shown above the footer to the person who acted, e.g. why their action was not applied. */
  notice?: string;
};

/** The card posted in conversations and inserted by the message action: refreshable, live values. */
export function liveCard(cards: readonly IncidentCard[], options: LiveCardOptions): AdaptiveCard {
  const [only] = cards;
  if (!only) throw new Error('a live card needs at least one incident');
  const data: RefreshData = {
    refs: cards.map((card) => ({ organizationId: card.organizationId, identifier: card.identifier })),
    watchers: [...options.watchers],
  };
  const actions = refreshActions(data, cards.length === 1 ? only.link : null);
  const refresh = { action: execute(data), userIds: [...options.watchers] };
  const fallbackText = cards.map(summaryText).join('\n');
  const body =
    cards.length === 1
      ? [
          ...header(only, true),
          ...chart(only),
          ...stateBlocks(only),
          ...facts(only),
          ...actionSets(only, options.watchers),
          ...(options.notice ? [textBlock(options.notice, { color: 'Warning', size: 'Small' })] : []),
          footer(only.updatedAt, options.note, recentLine(only)),
        ]
      : [...cards.flatMap((card) => header(card, true)), footer(only.updatedAt, options.note)];
  return withinLimit(adaptiveCard('1.5', body, { refresh, actions, fallbackText }), () =>
    adaptiveCard('1.5', cards.flatMap((card) => header(card, true)).slice(0, 20), { actions, fallbackText }),
  );
}

function execute(data: RefreshData): CardElement {
  return { type: 'Action.Execute', verb: REFRESH_VERB, title: 'Refresh', data };
}

function refreshActions(data: RefreshData, link: string | null): CardElement[] {
  const submitData: RefreshSubmitData = { ...data, verb: REFRESH_VERB };
  return [
    { ...execute(data), fallback: { type: 'Action.Submit', title: 'Refresh', data: submitData } },
    ...(link ? [openUrl('Open incident', link)] : []),
  ];
}

/** The unfurl of a pasted link. Teams caches it briefly and cannot run Universal Actions there. */
export function unfurlCard(card: IncidentCard): AdaptiveCard {
  const actions = [openUrl('Open incident', card.link)];
  const full = adaptiveCard(
    '1.3',
    [...header(card, false), ...chart(card), ...facts(card), footer(card.updatedAt)],
    {
      actions,
      fallbackText: summaryText(card),
    },
  );
  return withinLimit(full, () => adaptiveCard('1.3', header(card, false), { actions }));
}

/** The small card Teams shows in the compose box and in search results before the full card. */
export function previewAttachment(title: string, text: string, subtitle?: string): Attachment {
  return {
    contentType: THUMBNAIL_CARD_CONTENT_TYPE,
    content: {
      title: truncate(title, TEXT_LIMITS.title),
      subtitle,
      text: truncate(text, TEXT_LIMITS.statusText),
    },
  };
}

export function incidentPreview(card: IncidentCard): Attachment {
  return previewAttachment(card.title, card.statusText, `#${card.identifier} · ${card.organizationId}`);
}

function header(card: IncidentCard, headingStyle: boolean): CardElement[] {
  const style = STATUS_STYLE[card.status];
  return [
    {
      type: 'Container',
      style: style.container,
      bleed: true,
      selectAction: openUrl('Open incident', card.link),
      items: [
        textBlock(escapeMarkdown(truncate(card.title, TEXT_LIMITS.title)), {
          ...(headingStyle ? { style: 'heading' } : {}),
          size: 'Medium',
          weight: 'Bolder',
        }),
        textBlock(escapeMarkdown(`#${card.identifier} · ${card.organizationId} · ${card.statusLabel}`), {
          size: 'Small',
          isSubtle: true,
          spacing: 'None',
        }),
      ],
    },
    // A degraded value says so in words ("Metric unavailable"); Teams' warning text colour is 1.5:1 on white.
    textBlock(escapeMarkdown(truncate(card.statusText, TEXT_LIMITS.statusText)), { weight: 'Bolder' }),
  ];
}

/**
 * The chart image, only at an https URL: Teams does not load card images over plain http, and a broken image
 * would be worse than none (with an http PUBLIC_URL the card simply has no chart).
 */
function chart(card: IncidentCard): CardElement[] {
  if (!card.chartUrl?.startsWith('https://')) return [];
  return [
    {
      type: 'Image',
      url: card.chartUrl,
      altText: `${card.rule.aggregate} over the incident, with its thresholds`,
      size: 'Stretch',
      spacing: 'Medium',
    },
  ];
}

function facts(card: IncidentCard): CardElement[] {
  const rows = card.fields.slice(0, TEXT_LIMITS.facts).map((field) => ({
    title: escapeMarkdown(truncate(field.label, TEXT_LIMITS.factTitle)),
    value: readerTime(escapeMarkdown(truncate(field.value, TEXT_LIMITS.factValue))),
  }));
  return rows.length > 0 ? [{ type: 'FactSet', facts: rows }] : [];
}

function footer(updatedAt: string, note = 'Updated', recent: string | null = null): CardElement {
  return textBlock(`${recent ? `${recent} · ` : ''}${note} ${readerTime(updatedAt)}`, {
    size: 'Small',
    isSubtle: true,
  });
}

function summaryText(card: IncidentCard): string {
  return truncate(
    `${escapeMarkdown(card.title)}: ${card.statusText} ${card.link}`,
    TEXT_LIMITS.statusText + TEXT_LIMITS.title,
  );
}
