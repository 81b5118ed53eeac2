// Messages to the bot (@mention in channels and group chats, plain text in personal chat) and the events
// that tell it where it lives. Replies are captured by the fake connector at the activity's serviceUrl.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ACME_TENANT } from '../../fixtures/teams/dataset.ts';
import type { ConnectorCall } from '../../support/teams-connector.ts';
import { startTeamsHarness, type TeamsHarness } from './harness.ts';
import { checkedCards } from './schemas.ts';

let harness: TeamsHarness;
beforeAll(async () => {
  harness = await startTeamsHarness();
});
afterAll(() => harness?.close());

/** Posts the fixture and returns what the bot sent to the connector in answer. */
async function reply(name: string): Promise<{ call: ConnectorCall; cards: Record<string, unknown>[] }> {
  const before = harness.connector.calls.length;
  const answer = await harness.post(harness.fixture(name));
  expect(answer.status).toBe(200);
  const calls = harness.connector.calls.slice(before);
  expect(calls).toHaveLength(1);
  const call = calls[0]!;
  return { call, cards: checkedCards(call.activity) };
}

describe('a message to the bot', () => {
  it('@bot incident 42 in a channel replies in the thread with the live card', async () => {
    const { call, cards } = await reply('message-incident-42-in-channel');
    expect(call).toMatchObject({ method: 'POST', activityId: '1731236400000' });
    expect(call.conversationId).toContain('@thread.tacv2');
    const [card] = cards;
    const asker = (harness.fixture('message-incident-42-in-channel').from as { id: string }).id;
    expect(card).toMatchObject({ version: '1.5', refresh: { userIds: [asker] } });
    expect(JSON.stringify(card)).toContain('4 events in the last 10 minutes');
  });

  it.each([
    ['message-list-in-personal-chat', 'Open incidents in Acme'],
    ['message-help-in-group-chat', '@bot incident 42'],
    ['message-unknown-text-in-group-chat', '@bot incident 42'],
    // An unknown tenant and another organization's incident are in the shared contract (test/adapters/contract.test.ts).
  ])('%s is answered with a card containing "%s"', async (name, text) => {
    const { cards } = await reply(name);
    expect(cards).toHaveLength(1);
    expect(JSON.stringify(cards[0])).toContain(text);
  });

  it('strips the @mention before reading the command', async () => {
    await reply('message-incident-42-in-channel');
    expect(harness.commands.at(-1)).toMatchObject({ kind: 'incident.show', ref: { identifier: 42 } });
  });

  it('sends replies without a token, because no app password is configured', async () => {
    const { call } = await reply('message-help-in-group-chat');
    expect(call.authorization).toBeUndefined();
  });

  it('updates the card in place when an older client submits Refresh (the Action.Submit fallback)', async () => {
    const { call, cards } = await reply('message-refresh-submitted-by-older-client');
    expect(call).toMatchObject({ method: 'PUT', activityId: '1731236400099' });
    expect(JSON.stringify(cards[0])).toContain('Refreshed {{DATE(');
  });
});

describe('installation and conversation events', () => {
  it.each(['installation-update-added-to-team', 'conversation-update-bot-added-to-group-chat'])(
    '%s stores the conversation reference for later notifications',
    async (name) => {
      const save = vi.spyOn(harness.testApp.app.repository, 'saveConversationReference');
      const activity = harness.fixture(name);
      const answer = await harness.post(activity);
      expect(answer.status).toBe(200);
      expect(save).toHaveBeenCalledWith({
        platform: 'teams',
        tenantId: ACME_TENANT,
        // A channel's own id: the event names the General channel's thread (`…;messageid=…`).
        conversationId: (activity.conversation as { id: string }).id.split(';messageid=')[0],
        reference: expect.objectContaining({
          serviceUrl: harness.connector.serviceUrl,
          channelId: 'msteams',
          conversation: expect.objectContaining({
            id: (activity.conversation as { id: string }).id.split(';messageid=')[0],
          }),
        }),
      });
      save.mockRestore();
    },
  );
});
