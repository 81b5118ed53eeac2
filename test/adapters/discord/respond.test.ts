// How a reply that missed the deadline reaches Discord.
import { describe, expect, it } from 'vitest';
import { parseInteraction } from '../../../adapters/discord/parse.ts';
import { deliverLate, type Dispatched } from '../../../adapters/discord/interaction-response.ts';
import type { DiscordRest } from '../../../adapters/discord/rest.ts';
import type { Reply } from '../../../src/command/model.ts';
import { expectValidEditOriginal } from './discord-schemas.ts';
import { fixtureText } from './fixtures.ts';
import { sampleCard } from './sample-card.ts';

const links = { publicUrl: 'https://cards.example.com', unfurlHosts: [] };

function recordingRest() {
  const calls: { kind: string; body: unknown }[] = [];
  const rest: DiscordRest = {
    editOriginal: async (_app, _token, body) => void calls.push({ kind: 'edit', body }),
    followUp: async (_app, _token, body) => void calls.push({ kind: 'followUp', body }),
    deleteMessage: async () => void calls.push({ kind: 'delete', body: null }),
    overwriteCommands: async () => [],
  };
  return { rest, calls };
}

function dispatched(name: string): Dispatched {
  const parsed = parseInteraction(fixtureText(name), links);
  if (!parsed.ok || (parsed.value.kind !== 'command' && parsed.value.kind !== 'component'))
    throw new Error(name);
  return parsed.value;
}

describe('late replies', () => {
  it('cards edit @original', async () => {
    const { rest, calls } = recordingRest();
    await deliverLate(
      dispatched('slash-show-in-installed-guild'),
      { kind: 'cards', cards: [sampleCard()], notFound: [] },
      rest,
    );
    expect(calls).toHaveLength(1);
    expect(calls[0]!.kind).toBe('edit');
    expectValidEditOriginal(calls[0]!.body);
    expect(calls[0]!.body).toMatchObject({ embeds: [{ title: 'Critical: Checkout errors' }] });
  });

  // Replies that are ephemeral when answered in time carry flags: 64. After a deferral the message already
  // exists with its visibility, which an edit cannot change: the edit leaves flags out.
  it.each<[string, Reply, string]>([
    [
      'an error',
      {
        kind: 'error',
        code: 'not_found',
        refs: [{ organizationId: null, identifier: 7 }],
        organization: 'Acme',
      },
      'content',
    ],
    ['help', { kind: 'help', commands: ['incident.show', 'help'] }, 'embeds'],
  ])('%s that was late edits @original without flags', async (_case, reply, kept) => {
    const { rest, calls } = recordingRest();
    await deliverLate(dispatched('slash-show-in-installed-guild'), reply, rest);
    expect(calls).toHaveLength(1);
    expect(calls[0]!.kind).toBe('edit');
    expect(calls[0]!.body).not.toHaveProperty('flags');
    expect(calls[0]!.body).toHaveProperty(kept);
    expectValidEditOriginal(calls[0]!.body);
  });

  it('an error after a deferred button click is an ephemeral follow-up, leaving the card alone', async () => {
    const { rest, calls } = recordingRest();
    await deliverLate(dispatched('button-refresh'), { kind: 'error', code: 'unavailable' }, rest);
    expect(calls).toEqual([
      {
        kind: 'followUp',
        body: {
          content: 'Something went wrong on our side while answering. Try again in a moment.',
          allowed_mentions: { parse: [] },
          flags: 64,
        },
      },
    ]);
  });
});
