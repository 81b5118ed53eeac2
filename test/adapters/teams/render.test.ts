// The Adaptive Card renderings of the neutral card and of the other replies: valid against the official 1.5
// schema, within 28 KB whatever the data, and the unfurl limited to what Teams renders in link previews.
import { describe, expect, it } from 'vitest';
import { cardBytes } from '../../../adapters/teams/adaptive-card.ts';
import { MAX_CARD_BYTES } from '../../../adapters/teams/limits.ts';
import { liveCard, unfurlCard } from '../../../adapters/teams/render-card.ts';
import { errorCard, helpCard, listCard } from '../../../adapters/teams/render-reply.ts';
import { pickRefsCard } from '../../../adapters/teams/render-task.ts';
import type { ErrorReply } from '../../../src/command/model.ts';
import { help } from '../../../src/handlers/help.ts';
import type { IncidentStatus } from '../../../src/domain.ts';
import { sampleCard } from '../../support/sample-card.ts';
import { adaptiveCardErrors, featuresNewerThan } from './schemas.ts';

const statuses: [IncidentStatus, string][] = [
  ['open', 'accent'],
  ['warning', 'warning'],
  ['critical', 'attention'],
  ['resolved', 'good'],
];

function valid(card: unknown) {
  expect(adaptiveCardErrors(card)).toEqual([]);
  expect(cardBytes(card as never)).toBeLessThanOrEqual(MAX_CARD_BYTES);
}

describe('the live card', () => {
  it.each(statuses)(
    'shows a %s incident in the %s container style, its title in the default text colour',
    (status, style) => {
      const card = liveCard([sampleCard({ status })], { watchers: ['29:a'] });
      valid(card);
      expect(card.body[0]).toMatchObject({ type: 'Container', style });
      const title = (card.body[0]!.items as Record<string, unknown>[])[0]!;
      expect(title).toMatchObject({
        style: 'heading',
        text: expect.stringMatching(/^\w+: Checkout errors$/),
      });
      expect(title.color).toBeUndefined();
    },
  );

  it('refreshes with Action.Execute, falls back to Action.Submit, and refreshes automatically for its watchers', () => {
    const card = liveCard([sampleCard()], { watchers: ['29:a', '29:b'] });
    const data = { refs: [{ organizationId: 'acme', identifier: 42 }], watchers: ['29:a', '29:b'] };
    expect(card.refresh).toEqual({
      action: { type: 'Action.Execute', verb: 'refresh', title: 'Refresh', data },
      userIds: ['29:a', '29:b'],
    });
    expect(card.actions).toEqual([
      {
        type: 'Action.Execute',
        verb: 'refresh',
        title: 'Refresh',
        data,
        fallback: { type: 'Action.Submit', title: 'Refresh', data: { ...data, verb: 'refresh' } },
      },
      {
        type: 'Action.OpenUrl',
        title: 'Open incident',
        url: 'https://cards.example.com/o/acme/incidents/42',
      },
    ]);
  });

  it('lists the fields as facts and the status text', () => {
    const text = JSON.stringify(liveCard([sampleCard()], { watchers: [] }));
    expect(text).toContain('{"title":"Projects","value":"checkout-api"}');
    expect(text).toContain('1,204 events in the last 10 minutes');
  });

  it('says a degraded metric in words, in a colour that stays readable (contrast.test.ts)', () => {
    const card = liveCard([sampleCard({ metricError: 'timeout', statusText: 'Metric unavailable (…)' })], {
      watchers: [],
    });
    expect(card.body[1]).toMatchObject({ text: 'Metric unavailable (…)', weight: 'Bolder' });
    expect(card.body[1]!.color).toBeUndefined();
  });

  it('stays under 28 KB with absurdly long titles and many fields', () => {
    const huge = sampleCard({
      title: 'x'.repeat(50_000),
      statusText: 'y'.repeat(50_000),
      fields: Array.from({ length: 200 }, (_, i) => ({
        label: `f${i}`.repeat(100),
        value: 'v'.repeat(5_000),
        inline: true,
      })),
    });
    valid(liveCard([huge], { watchers: Array.from({ length: 60 }, (_, i) => `29:${'u'.repeat(150)}${i}`) }));
    valid(unfurlCard(huge));
  });

  it('combines several incidents into one card under 28 KB', () => {
    const cards = Array.from({ length: 10 }, (_, i) =>
      sampleCard({ identifier: i + 1, title: 't'.repeat(500) }),
    );
    const card = liveCard(cards, { watchers: [] });
    valid(card);
    expect(card.refresh?.action).toMatchObject({
      data: { refs: cards.map((c) => ({ organizationId: 'acme', identifier: c.identifier })) },
    });
  });
});

describe('the unfurl card', () => {
  it('uses no Adaptive Card feature newer than 1.3, the version Teams renders in link unfurls', () => {
    const card = unfurlCard(sampleCard());
    valid(card);
    expect(card.version).toBe('1.3');
    expect(featuresNewerThan(card, '1.3')).toEqual([]);
  });

  it("(the same check catches the live card's 1.4+ features)", () => {
    expect(featuresNewerThan(liveCard([sampleCard()], { watchers: [] }), '1.3')).toEqual(
      expect.arrayContaining([
        expect.stringContaining('Action.Execute'),
        expect.stringContaining('/refresh'),
      ]),
    );
  });
});

describe('the other replies', () => {
  it('renders a list page with its position', () => {
    const card = listCard({
      kind: 'list',
      title: 'Open incidents in Acme',
      total: 14,
      skip: 5,
      items: [
        {
          organizationId: 'acme',
          identifier: 42,
          title: 'Checkout errors',
          status: 'critical',
          statusLabel: 'Critical',
          color: 0,
          dateStarted: '2026-11-20T10:00:00Z',
          link: 'https://cards.example.com/o/acme/incidents/42',
        },
      ],
    });
    valid(card);
    expect(JSON.stringify(card)).toContain('6–6 of 14, newest first');
  });

  it('renders an empty list', () => {
    const card = listCard({ kind: 'list', title: 'Open incidents in Acme', total: 0, skip: 0, items: [] });
    valid(card);
    expect(JSON.stringify(card)).toContain('No incidents.');
  });

  it('renders help for Teams in Teams terms', () => {
    const card = helpCard(help() as Extract<ReturnType<typeof help>, { kind: 'help' }>);
    valid(card);
    expect(JSON.stringify(card)).toContain('@bot incident 42');
    expect(JSON.stringify(card)).not.toContain('/incident');
  });

  it.each<ErrorReply>([
    { kind: 'error', code: 'not_installed' },
    {
      kind: 'error',
      code: 'not_found',
      refs: [{ organizationId: null, identifier: 7 }],
      organization: 'Acme',
    },
    { kind: 'error', code: 'bad_request' },
    { kind: 'error', code: 'unavailable' },
    { kind: 'error', code: 'forbidden' },
  ])('renders the $code error as a friendly card in Teams words', (reply) => {
    valid(errorCard(reply));
    expect(featuresNewerThan(errorCard(reply, '1.3'), '1.3')).toEqual([]);
    expect(JSON.stringify(errorCard(reply))).not.toContain('/incident');
  });

  it("renders the message action's task module", () => {
    valid(
      pickRefsCard([
        { organizationId: 'acme', identifier: 42 },
        { organizationId: null, identifier: 7 },
      ]),
    );
  });
});

describe('markdown in titles and names', () => {
  it('shows a rule name, an organization and a list title as written, never as a link or emphasis', () => {
    const hostile = '**Pay** [here](https://evil.example) _now_';
    const card = liveCard([sampleCard({ title: hostile, organizationId: 'a_b*c' })], { watchers: [] });
    valid(card);
    const texts = JSON.stringify(card);
    expect(texts).not.toContain('[here](');
    expect(texts).not.toContain('**Pay**');
    const title = (card.body[0] as unknown as { items: { text: string }[] }).items[0]!.text;
    expect(title).toBe('\\*\\*Pay\\*\\* \\[here\\](https://evil.example) \\_now\\_');
    expect((card.body[0] as unknown as { items: { text: string }[] }).items[1]!.text).toContain('a\\_b\\*c');
    const list = listCard({
      kind: 'list',
      title: '- [x](y)',
      skip: 0,
      total: 1,
      items: [
        {
          organizationId: 'acme',
          identifier: 42,
          title: '1. *one*',
          status: 'critical',
          statusLabel: 'Critical',
          color: 0,
          dateStarted: '2026-11-20T10:00:00Z',
          link: 'https://cards.example.com/o/acme/incidents/42',
        },
      ],
    });
    valid(list);
    expect(JSON.stringify(list)).toContain('\\\\- \\\\[x\\\\](y)');
    expect(JSON.stringify(list)).toContain('\\\\*one\\\\*');
  });
});
