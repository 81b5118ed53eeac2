import { describe, expect, it } from 'vitest';
import { parseInteraction } from '../../../adapters/discord/parse.ts';
import type { LinkSettings } from '../../../src/command/incident-links.ts';
import { fixture, fixtureText } from './fixtures.ts';

const links: LinkSettings = { publicUrl: 'https://cards.example.com', unfurlHosts: [] };
const parse = (name: string) => parseInteraction(fixtureText(name), links);

const acmeActor = {
  platform: 'discord',
  userId: '1300000000000000400',
  tenantId: '111122223333444455',
  channelId: '1300000000000000100',
  locale: 'en-GB',
  permissions: '2248473465835073',
};

describe('parsing interactions into commands', () => {
  it('PING is a ping', () => {
    expect(parse('ping')).toMatchObject({ ok: true, value: { kind: 'ping' } });
  });

  it.each([
    [
      'slash-show-in-installed-guild',
      { kind: 'incident.show', ref: { organizationId: null, identifier: 42 } },
    ],
    ['slash-list-open', { kind: 'incident.list', status: null, skip: 0, count: 10 }],
    ['slash-list-resolved', { kind: 'incident.list', status: 'resolved' }],
    ['slash-help', { kind: 'help' }],
    ['autocomplete-show-id-by-title', { kind: 'incident.autocomplete', text: 'check' }],
    [
      'message-command-with-links-and-ids',
      {
        kind: 'incident.unfurl',
        refs: [
          { organizationId: 'acme', identifier: 42 },
          { organizationId: 'acme', identifier: 43 },
          { organizationId: null, identifier: 44 },
          { organizationId: null, identifier: 4242 },
          // The embed's link comes after the message text, as it does on screen.
          { organizationId: 'acme', identifier: 45 },
        ],
      },
    ],
  ])('%s', (name, command) => {
    const result = parse(name);
    expect(result).toMatchObject({
      ok: true,
      value: { kind: 'command', command: { ...command, actor: acmeActor } },
    });
  });

  it('keeps the original payload beside the command', () => {
    const result = parse('slash-show-in-installed-guild');
    expect(result.ok && result.value.interaction).toEqual(
      JSON.parse(fixtureText('slash-show-in-installed-guild')),
    );
  });

  it('a DM has no tenant', () => {
    const result = parse('slash-show-in-dm');
    expect(result).toMatchObject({
      ok: true,
      value: { kind: 'command', command: { actor: { tenantId: null, userId: '1300000000000000400' } } },
    });
  });

  it('the Refresh button refreshes the incident its custom_id names', () => {
    expect(parse('button-refresh')).toMatchObject({
      ok: true,
      value: {
        kind: 'component',
        command: {
          kind: 'incident.refresh',
          actor: acmeActor,
          ref: { organizationId: 'acme', identifier: 42 },
        },
      },
    });
  });

  it.each([
    ['button-with-stale-custom-id', 'This button is no longer valid'],
    ['slash-show-with-words-instead-of-a-number', '"checkout" is not an incident number'],
    ['message-command-without-references', 'no incident links'],
  ])('%s is invalid, with a reason for the user', (name, reason) => {
    const result = parse(name);
    expect(result).toMatchObject({ ok: true, value: { kind: 'invalid' } });
    expect(result.ok && result.value.kind === 'invalid' && result.value.reason).toContain(reason);
  });

  it('a message command finding more than ten references keeps ten and lists the rest', () => {
    const payload = fixture('message-command-with-links-and-ids') as {
      data: { resolved: { messages: Record<string, { content: string; embeds: unknown[] }> } };
    };
    const message = Object.values(payload.data.resolved.messages)[0]!;
    message.content = Array.from({ length: 13 }, (_, i) => `#${i + 1}`).join(' ');
    message.embeds = [];
    const result = parseInteraction(JSON.stringify(payload), links);
    expect(result.ok && result.value.kind === 'command' && result.value.command).toMatchObject({
      kind: 'incident.unfurl',
      refs: expect.arrayContaining([{ organizationId: null, identifier: 10 }]),
    });
    expect(
      result.ok && result.value.kind === 'command' && result.value.omitted.map((ref) => ref.identifier),
    ).toEqual([11, 12, 13]);
  });

  it.each([
    ['another command', { data: { id: '1', name: 'weather', type: 1 } }],
    ['a modal submit', { type: 5 }],
    [
      'a channel select menu (the cards offer none)',
      { type: 3, data: { custom_id: 'ic1:r:acme:42', component_type: 8 }, message: { id: '1' } },
    ],
  ])('%s is unsupported', (_situation, patch) => {
    const payload = { ...fixture('slash-show-in-installed-guild'), ...patch };
    expect(parseInteraction(JSON.stringify(payload), links)).toMatchObject({
      ok: true,
      value: { kind: 'unsupported' },
    });
  });

  it.each([
    ['malformed JSON', '{"type":', /^malformed JSON/],
    ['a body without a type', '{}', /^type: /],
    ['a command without data', JSON.stringify({ ...fixture('slash-help'), data: undefined }), /^data: /],
    [
      'a command without any user',
      JSON.stringify({ ...fixture('slash-help'), member: undefined }),
      /no user/,
    ],
    [
      'a guild id that is not a snowflake',
      JSON.stringify({ ...fixture('slash-help'), guild_id: 'acme' }),
      /^guild_id: /,
    ],
  ])('rejects %s with a one-line reason', (_situation, body, reason) => {
    const result = parseInteraction(body, links);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.reason).toMatch(reason);
    expect(!result.ok && result.reason).not.toContain('\n');
  });
});
