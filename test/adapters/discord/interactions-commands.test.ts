// Each command and component through the real route, with tenancy; every answer checked against Discord's schema.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from './discord-harness.ts';
import { expectValidCallback } from './discord-schemas.ts';
import { fixture } from './fixtures.ts';

/** Card links are signed (issue 17): the page path, then its expiry and signature. */
const SIGNED_PAGE_42 = expect.stringMatching(
  /^https:\/\/cards\.example\.com\/o\/acme\/incidents\/42\?exp=\d+&sig=[\w-]{43}$/,
);

const EPHEMERAL = 64;

describe('Discord commands and components', () => {
  let harness: Harness;
  const answer = async (name: string, patch: Record<string, unknown> = {}) => {
    const { status, body } = await harness.post({ ...fixture(name), ...patch });
    expect(status).toBe(200);
    expectValidCallback(body);
    return body;
  };

  beforeAll(async () => {
    harness = await startHarness();
  });
  afterAll(() => harness.close());

  it('/incident show answers with the card, a Refresh and a link button', async () => {
    const body = await answer('slash-show-in-installed-guild');
    expect(body.type).toBe(4);
    expect(body.data.flags).toBeUndefined();
    const [embed] = body.data.embeds;
    expect(embed).toMatchObject({
      title: 'Critical: Checkout errors',
      url: SIGNED_PAGE_42,
      color: 0xfa4747,
      footer: { text: 'acme · incident #42 · updated' },
    });
    expect(embed.description).toMatch(/^\d[\d,]* events in the last 10 minutes$/);
    expect(embed.fields.map((field: { name: string }) => field.name)).toEqual([
      'Rule',
      'Projects',
      'Environment',
      'Started',
      'Duration',
      'Threshold',
    ]);
    expect(body.data.components[0].components).toEqual([
      { type: 2, style: 2, label: 'Refresh', custom_id: 'ic1:r:acme:42' },
      { type: 2, style: 5, label: 'Open incident', url: SIGNED_PAGE_42 },
    ]);
  });

  // Not found, another organization and an unknown server are in the shared contract (test/adapters/contract.test.ts).
  it.each([
    ['words instead of a number', 'slash-show-with-words-instead-of-a-number', /is not an incident number/],
    ['a direct message', 'slash-show-in-dm', /not connected to an organization/],
    ['a message without references', 'message-command-without-references', /no incident links/],
    ['a stale button', 'button-with-stale-custom-id', /no longer valid/],
    [
      'a forged button for another organization',
      'button-refresh-forged-for-other-organization',
      /^This incident belongs to another organization; here you see Acme's incidents only\.$/,
    ],
  ])('%s gets an ephemeral explanation', async (_situation, name, text) => {
    const body = await answer(name);
    expect(body.type).toBe(4);
    expect(body.data.flags).toBe(EPHEMERAL);
    expect(body.data.content).toMatch(text);
    expect(JSON.stringify(body)).not.toContain('Storefront');
  });

  it('/incident list shows open incidents of the guild organization, newest first', async () => {
    const body = await answer('slash-list-open');
    expect(body.data.flags).toBeUndefined();
    const [embed] = body.data.embeds;
    expect(embed.title).toBe('Open incidents in Acme');
    const ids = [...embed.description.matchAll(/`#(\d+)`/g)].map((match: RegExpMatchArray) =>
      Number(match[1]),
    );
    expect(ids).toEqual([45, 42, 43]);
  });

  it('/incident list status:resolved', async () => {
    const body = await answer('slash-list-resolved');
    expect(body.data.embeds[0].description).toContain('`#44` **Resolved**');
  });

  it('/incident help is ephemeral', async () => {
    const body = await answer('slash-help');
    expect(body.data.flags).toBe(EPHEMERAL);
    expect(body.data.embeds[0].fields[0].name).toBe('/incident show id:<identifier>');
  });

  it('autocomplete suggests incidents by title words', async () => {
    const body = await answer('autocomplete-show-id-by-title');
    expect(body.type).toBe(8);
    expect(body.data.choices.map((choice: { value: string }) => choice.value)).toEqual([
      '45',
      '42',
      '43',
      '44',
    ]);
    expect(body.data.choices[1].name).toBe('#42 Critical: Checkout errors');
  });

  it('autocomplete in an unknown guild suggests nothing', async () => {
    const body = await answer('autocomplete-show-id-by-title', { guild_id: '999988887777666655' });
    expect(body).toEqual({ type: 8, data: { choices: [] } });
  });

  it('the message command answers with a card per reference and lists what it could not find', async () => {
    const body = await answer('message-command-with-links-and-ids');
    expect(body.type).toBe(4);
    expect(
      body.data.embeds.map((embed: { url: string }) => embed.url.split('?')[0]!.split('/').at(-1)),
    ).toEqual(['42', '43', '44', '45']);
    expect(body.data.content).toBe('Not found: #4242');
    expect(body.data.components[0].components).toEqual([
      { type: 2, style: 2, label: 'Refresh all', custom_id: 'ic1:r:acme:42.43.44.45' },
    ]);
  });

  it('the message command shows one card for an incident named by its link and by its #id', async () => {
    const base = fixture('message-command-with-links-and-ids');
    const data = base.data as { target_id: string; resolved: { messages: Record<string, object> } };
    const message = data.resolved.messages[data.target_id]!;
    const body = await answer('message-command-with-links-and-ids', {
      data: {
        ...data,
        resolved: {
          messages: {
            [data.target_id]: {
              ...message,
              content: 'Same one? https://cards.example.com/o/acme/incidents/42 and #42',
              embeds: [],
            },
          },
        },
      },
    });
    expect(body.data.embeds.map((embed: { url: string }) => embed.url)).toEqual([SIGNED_PAGE_42]);
    expect(body.data.components[0].components[0].custom_id).toBe('ic1:r:acme:42');
  });

  it('Refresh updates the message in place with a freshly computed card', async () => {
    const body = await answer('button-refresh');
    expect(body.type).toBe(7);
    expect(body.data.embeds[0].url).toEqual(SIGNED_PAGE_42);
    expect(body.data.components[0].components[0].custom_id).toBe('ic1:r:acme:42');
  });

  it('Refresh all updates every card of the message', async () => {
    const body = await answer('button-refresh', {
      data: { component_type: 2, custom_id: 'ic1:r:acme:42.43' },
    });
    expect(body.type).toBe(7);
    expect(body.data.embeds).toHaveLength(2);
  });

  it('an unknown command is answered, never left to fail', async () => {
    const body = await answer('slash-help', {
      data: { id: '1300000000000000209', name: 'weather', type: 1 },
    });
    expect(body.data).toMatchObject({ flags: EPHEMERAL, content: expect.stringContaining('/incident help') });
  });

  it('no answer was deferred', async () => {
    const text = await harness.test.app.metrics.registry.getSingleMetricAsString(
      'incident_cards_deferred_replies_total',
    );
    expect(text).not.toMatch(/platform="discord"} [1-9]/);
  });
});
