// Teams activities → one ParsedActivity: the words people type, the invoke values Teams sends, who is asking
// from which tenant, and the explicit invalid/unsupported cases.
import type { Activity } from 'botbuilder';
import { describe, expect, it } from 'vitest';
import { parseSearchQuery, refsInMessage } from '../../../adapters/teams/invoke-values.ts';
import { actorFromActivity, parseActivity, parseMessageText } from '../../../adapters/teams/parse.ts';
import type { Actor } from '../../../src/command/model.ts';
import { loadFixture } from './harness.ts';

const links = { publicUrl: 'https://incidents.example.com', unfurlHosts: ['sentry.acme.internal'] };
const actor: Actor = {
  platform: 'teams',
  userId: 'u',
  tenantId: 't',
  channelId: null,
  locale: 'en-US',
  permissions: null,
  name: null,
  roles: [],
  defaultResponder: true,
};

describe('parseMessageText', () => {
  it.each([
    ['incident 42', { kind: 'incident.show', ref: { organizationId: null, identifier: 42 } }],
    ['incident #42', { kind: 'incident.show', ref: { organizationId: null, identifier: 42 } }],
    ['Show 42', { kind: 'incident.show', ref: { organizationId: null, identifier: 42 } }],
    ['  incident   42  ', { kind: 'incident.show', ref: { organizationId: null, identifier: 42 } }],
    [
      'incident https://incidents.example.com/o/acme/incidents/42',
      { kind: 'incident.show', ref: { organizationId: 'acme', identifier: 42 } },
    ],
    ['incident #42 #43', { kind: 'incident.unfurl', refs: [{ identifier: 42 }, { identifier: 43 }] }],
    ['list', { kind: 'incident.list', status: null, skip: 0, count: 10 }],
    ['LIST resolved', { kind: 'incident.list', status: 'resolved' }],
    ['list everything', { kind: 'incident.list', status: null }],
    ['help', { kind: 'help' }],
    ['incident', { kind: 'help' }],
    ['incident forty-two', { kind: 'help' }],
    ["what's burning?", { kind: 'help' }],
    // A pasted link or #id, without any verb, answers with the cards.
    [
      'https://incidents.example.com/o/acme/incidents/42',
      { kind: 'incident.show', ref: { organizationId: 'acme', identifier: 42 } },
    ],
    ['is #42 still firing?', { kind: 'incident.show', ref: { organizationId: null, identifier: 42 } }],
    [
      'see #43 and https://incidents.example.com/o/acme/incidents/42',
      { kind: 'incident.unfurl', refs: [{ identifier: 43 }, { organizationId: 'acme', identifier: 42 }] },
    ],
    ['help with #42', { kind: 'help' }],
    ['', { kind: 'help' }],
  ])('%j → %j', (text, command) => {
    expect(parseMessageText(text, actor, links)).toMatchObject(command);
  });
});

describe('actorFromActivity', () => {
  it('takes the tenant from channelData and the user from the AAD object id', () => {
    const activity = loadFixture('message-incident-42-in-channel') as unknown as Activity;
    expect(actorFromActivity(activity)).toMatchObject({
      platform: 'teams',
      tenantId: '72f988bf-86f1-41af-91ab-2d7cd011db47',
      userId: '6b8a5d9c-1e2f-4a3b-9c8d-7e6f5a4b3c2d',
      channelId: '19:8a2b4c6d8e0f4a1b9c3d5e7f9a1b3c5d@thread.tacv2',
    });
  });

  it('falls back to conversation.tenantId and the channel user id', () => {
    const activity = {
      from: { id: '29:abc' },
      conversation: { id: 'a:1', tenantId: 'tenant-from-conversation' },
    } as unknown as Activity;
    expect(actorFromActivity(activity)).toMatchObject({
      tenantId: 'tenant-from-conversation',
      userId: '29:abc',
    });
  });
});

describe('parseSearchQuery', () => {
  it.each([
    [{ parameters: [{ name: 'searchText', value: '#42' }] }, { text: '42', skip: 0, count: 10 }],
    [
      { parameters: [{ name: 'initialRun', value: 'true' }], queryOptions: { skip: 0, count: 25 } },
      { text: '', count: 25 },
    ],
    [
      { parameters: [{ name: 'searchText', value: 'x' }], queryOptions: { skip: -3, count: 500 } },
      { skip: 0, count: 25 },
    ],
    [{}, { text: '', skip: 0, count: 10 }],
  ])('%j → %j', (query, expected) => {
    expect(parseSearchQuery(query, actor)).toMatchObject({ kind: 'incident.search', ...expected });
  });
});

describe('refsInMessage', () => {
  it('reads links from the HTML body (entities decoded) and #ids from its text', () => {
    const message = (html: string) => ({
      messagePayload: { body: { contentType: 'html' as const, content: html } },
    });
    expect(
      refsInMessage(
        message(
          '<p><a href="https://sentry.acme.internal/organizations/acme/alerts/rules/details/1/?project=2&amp;alert=9">x</a> #5&nbsp;#6</p>',
        ),
        links,
      ),
    ).toEqual([
      { organizationId: 'acme', identifier: 9 },
      { organizationId: null, identifier: 5 },
      { organizationId: null, identifier: 6 },
    ]);
  });

  it('caps a message at ten references', () => {
    const content = Array.from({ length: 15 }, (_, i) => `#${i + 1}`).join(' ');
    expect(refsInMessage({ messagePayload: { body: { content } } }, links)).toHaveLength(10);
  });
});

/** An invoke as Teams sends it, from a user in tenant `t`. */
function invoke(name: string, value: unknown): Activity {
  return {
    type: 'invoke',
    name,
    value,
    from: { id: '29:u' },
    channelData: { tenant: { id: 't' } },
    conversation: { id: 'c' },
  } as unknown as Activity;
}

describe('parseActivity', () => {
  it.each([
    [{ type: 'typing' }, 'activity type typing'],
    [{ type: 'invoke', name: 'composeExtension/querySettingUrl' }, 'invoke composeExtension/querySettingUrl'],
    [{ type: 'installationUpdate', action: 'remove' }, 'installationUpdate remove'],
    [{ type: 'message', value: { verb: 'approve' } }, 'a submitted value that is not a refresh'],
    // "Send to conversation" after a link unfurl: only the card, nothing asked.
    [
      { type: 'message', attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive' }] },
      'a message without text',
    ],
    [{ type: 'message', text: '  ' }, 'a message without text'],
  ])('%j is unsupported, with the raw activity kept', (activity, reason) => {
    const parsed = parseActivity(activity as unknown as Activity, links);
    expect(parsed).toEqual({ kind: 'unsupported', reason, activity });
  });

  it.each([
    ['composeExtension/queryLink', { url: 'https://example.org/not-an-incident' }, 'link-unfurl'],
    ['composeExtension/selectItem', { identifier: 'x' }, 'select-item'],
    ['composeExtension/submitAction', { data: { verb: 'other' } }, 'insert'],
    ['adaptiveCard/action', { action: { type: 'Action.Submit' } }, 'card-refresh'],
    // Only the search command the manifest publishes is answered.
    ['composeExtension/query', { commandId: 'somethingElse', parameters: [] }, 'search'],
    [
      'composeExtension/anonymousQueryLink',
      { url: 'https://incidents.example.com/o/acme/incidents/42' },
      'anonymous-link-unfurl',
    ],
  ])('%s with an unusable value is invalid on its own surface', (name, value, surface) => {
    expect(parseActivity(invoke(name, value), links)).toMatchObject({ kind: 'invalid', surface });
  });

  it('strips only the bot mention from a message', () => {
    const activity = {
      type: 'message',
      text: '<at>Incident cards</at> incident 42',
      recipient: { id: '28:bot' },
      entities: [{ type: 'mention', text: '<at>Incident cards</at>', mentioned: { id: '28:bot' } }],
      channelData: { tenant: { id: 't' } },
    } as unknown as Activity;
    expect(parseActivity(activity, links)).toMatchObject({
      kind: 'message',
      command: { kind: 'incident.show', ref: { identifier: 42 } },
      activity,
    });
  });

  it('reads where the bot was added from an installation', () => {
    const activity = loadFixture('installation-update-added-to-team') as unknown as Activity;
    expect(parseActivity(activity, links)).toMatchObject({
      kind: 'installed',
      tenantId: expect.any(String),
      conversationId: expect.any(String),
    });
  });
});

describe('composeExtension/submitAction', () => {
  it('keeps the references still ticked', () => {
    const refs = [
      { organizationId: 'acme', identifier: 1 },
      { organizationId: null, identifier: 2 },
    ];
    const parsed = parseActivity(
      invoke('composeExtension/submitAction', {
        data: { verb: 'insert', refs, 'ref-0': 'false', 'ref-1': 'true' },
      }),
      links,
    );
    expect(parsed).toMatchObject({ kind: 'insert', command: { kind: 'incident.unfurl', refs: [refs[1]] } });
  });

  it.each([
    [
      { verb: 'insert', refs: [{ organizationId: 'acme', identifier: 1 }], 'ref-0': 'false' },
      'no incident selected',
    ],
    [{ verb: 'something else', refs: [] }, 'not an insert from our task module'],
    [undefined, 'not an insert from our task module'],
  ])('rejects %j', (data, reason) => {
    expect(parseActivity(invoke('composeExtension/submitAction', { data }), links)).toMatchObject({
      kind: 'invalid',
      surface: 'insert',
      reason,
    });
  });
});

describe('adaptiveCard/action', () => {
  const data = { refs: [{ organizationId: 'acme', identifier: 42 }], watchers: [] };

  it.each([
    ['manual', 'manual'],
    ['automatic', 'automatic'],
    [undefined, 'manual'],
  ])('reads trigger %j as a %s refresh', (trigger, expected) => {
    const parsed = parseActivity(
      invoke('adaptiveCard/action', { action: { type: 'Action.Execute', verb: 'refresh', data }, trigger }),
      links,
    );
    expect(parsed).toMatchObject({
      kind: 'card-refresh',
      trigger: expected,
      refresh: { command: { kind: 'incident.refresh' } },
    });
  });

  it.each([
    [{ action: { type: 'Action.Submit', verb: 'refresh', data } }, 'not an Action.Execute invoke'],
    [{ action: { type: 'Action.Execute', verb: 'approve', data } }, 'unknown verb approve'],
    [
      { action: { type: 'Action.Execute', verb: 'refresh', data: { refs: [] } } },
      'refresh without an incident',
    ],
  ])('rejects %j', (value, reason) => {
    expect(parseActivity(invoke('adaptiveCard/action', value), links)).toMatchObject({
      kind: 'invalid',
      surface: 'card-refresh',
      reason,
    });
  });
});
