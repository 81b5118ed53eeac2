// Every text on every Teams card the bot sends reaches WCAG AA (4.5:1) against the surface it sits on, in
// Teams' light, dark and high-contrast themes. Status is carried by the container's style and the words
// ("Warning: …"); a semantic text colour inside a container of the same style was 1.18:1 (Warning) and 1.85:1
// (Resolved) in light Teams.
import { describe, expect, it } from 'vitest';
import type { AdaptiveCard } from '../../../adapters/teams/adaptive-card.ts';
import { liveCard, unfurlCard } from '../../../adapters/teams/render-card.ts';
import {
  errorCard,
  helpCard,
  listCard,
  searchResultAttachment,
} from '../../../adapters/teams/render-reply.ts';
import { subscriptionsCard } from '../../../adapters/teams/render-subscriptions.ts';
import { pickRefsCard } from '../../../adapters/teams/render-task.ts';
import type { IncidentSummary } from '../../../src/card/model.ts';
import type { ErrorReply } from '../../../src/command/model.ts';
import type { IncidentStatus } from '../../../src/domain.ts';
import { sampleCard } from '../../support/sample-card.ts';
import { contrast, TEAMS_THEMES } from '../../support/teams-themes.ts';

const WCAG_AA = 4.5;
const STATUSES: IncidentStatus[] = ['open', 'warning', 'critical', 'resolved'];
const ref = { organizationId: 'globex', identifier: 7 };
/** One reply of every error code (a new code fails to compile here until it is added). */
const ERRORS: Record<ErrorReply['code'], ErrorReply> = {
  not_installed: { kind: 'error', code: 'not_installed' },
  not_found: { kind: 'error', code: 'not_found', refs: [ref], organization: 'Acme' },
  other_organization: {
    kind: 'error',
    code: 'other_organization',
    refs: [ref],
    missing: [],
    organization: 'Acme',
  },
  rule_not_found: { kind: 'error', code: 'rule_not_found', rule: 'Checkout', organization: 'Acme' },
  bad_request: { kind: 'error', code: 'bad_request' },
  unavailable: { kind: 'error', code: 'unavailable' },
  forbidden: { kind: 'error', code: 'forbidden', because: 'channel_permission' },
  not_in_channel: { kind: 'error', code: 'not_in_channel' },
};

const summary = (status: IncidentStatus, identifier: number): IncidentSummary => {
  const card = sampleCard({ status, identifier });
  return {
    organizationId: card.organizationId,
    identifier,
    title: card.title,
    status,
    statusLabel: card.statusLabel,
    color: card.color,
    dateStarted: card.dateStarted,
    link: card.link,
  };
};

const CARDS: [string, AdaptiveCard][] = [
  ...STATUSES.map((status): [string, AdaptiveCard] => [
    `live ${status}`,
    liveCard([sampleCard({ status })], { watchers: [] }),
  ]),
  ...STATUSES.map((status): [string, AdaptiveCard] => [
    `unfurl ${status}`,
    unfurlCard(sampleCard({ status })),
  ]),
  [
    'live, metric unavailable',
    liveCard([sampleCard({ metricError: 'timeout', statusText: 'Metric unavailable' })], { watchers: [] }),
  ],
  [
    'digest',
    liveCard(
      STATUSES.map((status, i) => sampleCard({ status, identifier: i + 1 })),
      { watchers: [] },
    ),
  ],
  [
    'list',
    listCard({
      kind: 'list',
      title: 'Open incidents in Acme',
      items: STATUSES.map(summary),
      total: 4,
      skip: 0,
    }),
  ],
  ...STATUSES.map((status): [string, AdaptiveCard] => [
    `search result ${status}`,
    searchResultAttachment(summary(status, 1)).content as AdaptiveCard,
  ]),
  ['help', helpCard({ kind: 'help', commands: ['incident.show', 'incident.list', 'help'] })],
  ...Object.values(ERRORS).map((reply): [string, AdaptiveCard] => [`error ${reply.code}`, errorCard(reply)]),
  [
    'subscriptions',
    subscriptionsCard({
      kind: 'subscriptions',
      change: { kind: 'added', rule: { id: 1, name: 'Checkout errors' } },
      organization: 'Acme',
      items: [
        { rule: { id: 1, name: 'Checkout errors' }, status: 'active', brokenReason: null },
        { rule: null, status: 'broken', brokenReason: '403 Forbidden' },
      ],
    }),
  ],
  ['message action dialog', pickRefsCard([{ organizationId: 'acme', identifier: 42 }])],
];

type Text = { text: string; style: string; color: string; subtle: boolean };

/** Every text a reader sees, with the container style it sits in and the colour it asks for. */
function texts(node: unknown, style = 'default'): Text[] {
  if (Array.isArray(node)) return node.flatMap((child) => texts(child, style));
  if (!node || typeof node !== 'object') return [];
  const element = node as Record<string, unknown>;
  const inner = element.type === 'Container' && typeof element.style === 'string' ? element.style : style;
  const own: Text[] = [];
  if (element.type === 'TextBlock' || element.type === 'Input.Toggle') {
    own.push({
      text: String(element.text ?? element.title),
      style: inner,
      color: String(element.color ?? 'default').toLowerCase(),
      subtle: element.isSubtle === true,
    });
  }
  if (element.type === 'FactSet') {
    for (const fact of element.facts as { title: string; value: string }[])
      own.push({ text: `${fact.title}: ${fact.value}`, style: inner, color: 'default', subtle: false });
  }
  const children = ['body', 'items', 'columns'].flatMap((key) => texts(element[key], inner));
  return [...own, ...children];
}

describe.each(TEAMS_THEMES)('Teams $name theme', (theme) => {
  it.each(CARDS)('%s: every text reaches 4.5:1', (_name, card) => {
    const found = texts(card.body);
    expect(found.length).toBeGreaterThan(0);
    const failures = found.flatMap(({ text, style, color, subtle }) => {
      const palette = theme.text[style]?.[color];
      if (!palette) return [`"${text}": no ${color} text colour in ${style} containers`];
      const ratio = contrast(subtle ? palette.subtle : palette.default, theme.background[style]!);
      return ratio >= WCAG_AA ? [] : [`"${text}" (${color} in ${style}): ${ratio.toFixed(2)}:1`];
    });
    expect(failures).toEqual([]);
  });
});

describe('the contrast arithmetic', () => {
  it.each([
    ['#000000', '#ffffff', 21],
    ['#ffffff', '#ffffff', 1],
    // The figures measured in the playground before the fix: semantic title colours in same-style containers.
    ['#f8d22a', '#FFE2B2', 1.18],
    ['#92c353', '#CCFFCC', 1.85],
  ])('%s on %s is %d:1', (text, background, ratio) => {
    expect(contrast(text, background)).toBeCloseTo(ratio, 2);
  });
});
