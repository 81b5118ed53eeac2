import { InteractionResponseType, MessageFlags } from 'discord-api-types/v10';
import { describe, expect, it } from 'vitest';
import { renderChoices, renderReply } from '../../../adapters/discord/render-reply.ts';
import type { Reply } from '../../../src/command/model.ts';
import { expectValidCallback } from './discord-schemas.ts';
import { hugeCard, sampleCard } from './sample-card.ts';

const asMessage = (reply: Reply, omitted = []) => {
  const body = {
    type: InteractionResponseType.ChannelMessageWithSource,
    data: renderReply(reply, { omitted }),
  };
  expectValidCallback(body);
  return body.data;
};

describe('rendering a card', () => {
  it('has status colour, linked title, status text, fields, timestamp, footer and two buttons', () => {
    const data = asMessage({ kind: 'cards', cards: [sampleCard()], notFound: [] });
    expect(data.flags).toBeUndefined();
    expect(data.embeds).toEqual([
      {
        title: 'Critical: Checkout errors',
        url: 'https://cards.example.com/o/acme/incidents/42',
        description: '1,204 events in the last 10 minutes',
        color: 0xfa4747,
        fields: [
          { name: 'Rule', value: 'Checkout errors', inline: true },
          { name: 'Projects', value: 'checkout-api', inline: true },
          { name: 'Environment', value: 'production', inline: true },
          { name: 'Started', value: '2026-11-20T10:00:00Z', inline: true },
          { name: 'Duration', value: '10m so far', inline: true },
          { name: 'Threshold', value: 'above 100 (critical)', inline: true },
        ],
        timestamp: '2026-11-20T10:10:00.000Z',
        footer: { text: 'acme · incident #42 · updated' },
      },
    ]);
    expect(data.components).toEqual([
      {
        type: 1,
        components: [
          { type: 2, style: 2, label: 'Refresh', custom_id: 'ic1:r:acme:42' },
          { type: 2, style: 5, label: 'Open incident', url: 'https://cards.example.com/o/acme/incidents/42' },
        ],
      },
      {
        type: 1,
        components: [
          { type: 2, style: 1, label: 'Acknowledge', custom_id: 'ic1:a:ack:acme:42:3' },
          { type: 2, style: 3, label: 'Resolve', custom_id: 'ic1:a:res:acme:42:3' },
          { type: 2, style: 2, label: 'Assign to me', custom_id: 'ic1:a:me:acme:42:3' },
        ],
      },
      {
        type: 1,
        components: [
          {
            type: 3,
            custom_id: 'ic1:a:snz:acme:42:3',
            placeholder: 'Snooze notifications…',
            options: [
              { label: 'Snooze 1 h', value: '1' },
              { label: 'Snooze 4 h', value: '4' },
              { label: 'Snooze 24 h', value: '24' },
            ],
          },
        ],
      },
      { type: 1, components: [{ type: 5, custom_id: 'ic1:a:asg:acme:42:3', placeholder: 'Assign to…' }] },
    ]);
  });

  it('still renders a card whose metric is unavailable, saying so', () => {
    const card = sampleCard({
      metricError: 'timeout',
      statusText:
        'Metric unavailable (the event store did not answer in time): events in the last 10 minutes',
    });
    const data = asMessage({ kind: 'cards', cards: [card], notFound: [] });
    expect(data.embeds![0]!.description).toBe(
      '⚠️ Metric unavailable (the event store did not answer in time): events in the last 10 minutes',
    );
  });

  it('ten huge cards stay within every limit; the ones that do not fit are listed as links', () => {
    const cards = Array.from({ length: 10 }, (_, i) => hugeCard(i + 1));
    const data = asMessage({ kind: 'cards', cards, notFound: [{ organizationId: null, identifier: 99 }] }, [
      { organizationId: null, identifier: 100 },
    ] as never);
    expect(data.embeds).toHaveLength(1);
    expect(data.content).toMatch(/^More: \[#2\]\(<https:\/\/cards\.example\.com\/o\/acme\/incidents\/2>\)/);
    expect(data.content).toContain('Not shown (ten cards at most): #100');
    expect(data.content).toContain('Not found: #99');
    expect((data.components![0] as { components: unknown[] }).components[0]).toMatchObject({
      label: 'Refresh all',
      custom_id: 'ic1:r:acme:1.2.3.4.5.6.7.8.9.10',
    });
  });
});

describe('rendering other replies', () => {
  it('a list is one compact embed for the channel', () => {
    const data = asMessage({
      kind: 'list',
      title: 'Open incidents in Acme',
      total: 12,
      skip: 0,
      items: [
        {
          organizationId: 'acme',
          identifier: 42,
          title: 'Checkout [errors]',
          status: 'critical',
          statusLabel: 'Critical',
          color: 0xfa4747,
          dateStarted: '2026-11-20T10:00:00Z',
          link: 'https://cards.example.com/o/acme/incidents/42',
        },
      ],
    });
    expect(data.flags).toBeUndefined();
    expect(data.embeds![0]).toMatchObject({
      title: 'Open incidents in Acme',
      description:
        '`#42` **Critical** [Checkout \\[errors\\]](https://cards.example.com/o/acme/incidents/42) · started <t:1795168800:R>',
      footer: { text: '1–1 of 12 · /incident show id:<number> for a card' },
    });
  });

  it('an empty list says so', () => {
    const data = asMessage({ kind: 'list', title: 'Open incidents in Acme', total: 0, skip: 0, items: [] });
    expect(data.embeds![0]!.description).toBe('Nothing here right now.');
  });

  it.each<[string, Reply]>([
    ['help', { kind: 'help', commands: ['incident.show', 'help'] }],
    [
      'not found',
      {
        kind: 'error',
        code: 'not_found',
        refs: [{ organizationId: null, identifier: 4242 }],
        organization: 'Acme',
      },
    ],
    ['not installed', { kind: 'error', code: 'not_installed' }],
  ])('%s is ephemeral', (_name, reply) => {
    expect(asMessage(reply).flags).toBe(MessageFlags.Ephemeral);
  });

  it('choices are capped at 25, each name and value at 100 characters', () => {
    const choices = Array.from({ length: 25 }, (_, i) => ({
      name: `#${i} ${'long title '.repeat(9)}`.slice(0, 100),
      value: String(i),
    }));
    const body = {
      type: InteractionResponseType.ApplicationCommandAutocompleteResult,
      data: renderChoices({ kind: 'choices', choices }),
    };
    expectValidCallback(body);
    expect(body.data.choices).toHaveLength(25);
    expect(renderChoices({ kind: 'error', code: 'not_installed' })).toEqual({ choices: [] });
  });
});
