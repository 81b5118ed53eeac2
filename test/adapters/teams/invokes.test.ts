// The invokes Teams sends (link unfurl, search, item pick, message action, card refresh), signed and posted
// through the real route; every answer is checked against the Adaptive Card schema and the 28 KB limit.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKLOG_IDENTIFIERS } from '../../fixtures/teams/dataset.ts';
import { startTeamsHarness, type TeamsHarness } from './harness.ts';
import { checkedCards } from './schemas.ts';

let harness: TeamsHarness;
beforeAll(async () => {
  harness = await startTeamsHarness();
});
afterAll(() => harness?.close());

type Attachment = {
  contentType: string;
  content: Record<string, unknown>;
  preview?: { contentType: string; content: Record<string, unknown> };
};
type ComposeAnswer = {
  composeExtension: { type: string; attachments?: Attachment[]; text?: string };
  cacheInfo?: unknown;
};

async function invoke(name: string, status = 200) {
  const answer = await harness.post(harness.fixture(name));
  expect(answer.status).toBe(status);
  checkedCards(answer.body);
  return answer.body as Record<string, unknown>;
}

describe('composeExtension/queryLink (link unfurl)', () => {
  it.each(['query-link-own-incident', 'query-link-sentry-alert'])(
    '%s unfurls into the live card',
    async (name) => {
      const body = (await invoke(name)) as ComposeAnswer;
      const [attachment] = body.composeExtension.attachments ?? [];
      expect(body.composeExtension.type).toBe('result');
      expect(attachment?.contentType).toBe('application/vnd.microsoft.card.adaptive');
      expect(JSON.stringify(attachment?.content)).toContain('4 events in the last 10 minutes');
      expect(attachment?.preview).toMatchObject({
        contentType: 'application/vnd.microsoft.card.thumbnail',
        content: { title: 'Critical: Checkout errors', text: '4 events in the last 10 minutes' },
      });
      expect(body.cacheInfo).toEqual({ cacheType: 'cache', cacheDuration: 60 });
    },
  );

  it('uses only Adaptive Card 1.3 features, which is what Teams renders in unfurls', async () => {
    const body = (await invoke('query-link-own-incident')) as ComposeAnswer;
    const card = body.composeExtension.attachments?.[0]?.content;
    expect(card?.version).toBe('1.3');
    expect(JSON.stringify(card)).not.toMatch(/Action\.Execute|"refresh"|"heading"/);
  });

  it.each(['query-link-other-organization', 'query-link-not-an-incident'])(
    '%s stays a plain link',
    async (name) => {
      const body = (await invoke(name)) as ComposeAnswer;
      expect(body.composeExtension).toEqual({ type: 'result', attachmentLayout: 'list', attachments: [] });
    },
  );

  it('explains, in a card, that an unknown tenant is not connected', async () => {
    const body = (await invoke('query-link-from-unknown-tenant')) as ComposeAnswer;
    expect(JSON.stringify(body.composeExtension.attachments?.[0]?.content)).toContain('Not connected yet');
  });
});

describe('composeExtension/query (search)', () => {
  it('pages through title matches newest first with skip and count', async () => {
    const body = (await invoke('search-backlog-second-page')) as ComposeAnswer;
    const titles = (body.composeExtension.attachments ?? []).map((a) => a.preview?.content.title);
    const newestFirst = [...BACKLOG_IDENTIFIERS].reverse().slice(5, 10);
    expect(titles).toEqual(newestFirst.map((id) => `#${id} Open: Queue backlog`));
    expect(harness.commands.at(-1)).toMatchObject({
      kind: 'incident.search',
      text: 'backlog',
      skip: 5,
      count: 5,
    });
  });

  it('lists the newest incidents on the initial run', async () => {
    const body = (await invoke('search-initial-run')) as ComposeAnswer;
    const titles = (body.composeExtension.attachments ?? []).map((a) => a.preview?.content.title);
    expect(titles[0]).toBe('#42 Critical: Checkout errors');
    expect(titles).toHaveLength(2 + BACKLOG_IDENTIFIERS.length);
  });

  it('asks for the live card when a result is picked', async () => {
    const body = (await invoke('select-item-42')) as ComposeAnswer;
    const card = body.composeExtension.attachments?.[0]?.content;
    expect(card).toMatchObject({ version: '1.5', refresh: { action: { verb: 'refresh' } } });
  });
});

describe('message action (composeExtension/fetchTask → submitAction)', () => {
  it('shows the incident links and #ids found in the message', async () => {
    const body = await invoke('fetch-task-on-message-with-links-and-ids');
    const task = body.task as { type: string; value: { card: { content: { body: { title?: string }[] } } } };
    expect(task.type).toBe('continue');
    const toggles = task.value.card.content.body.filter((element) => element.title).map((e) => e.title);
    // In the message's order, one label format: a bare #43 is the tenant's own acme #43, listed once.
    expect(toggles).toEqual(['acme #42', 'acme #43', 'acme #100']);
  });

  it('says so when the message references no incident', async () => {
    const body = await invoke('fetch-task-on-message-without-references');
    expect(body.task).toEqual({ type: 'message', value: 'This message has no incident links or #ids.' });
  });

  it('inserts one card for the ticked incidents, computed by one bulk command', async () => {
    const before = harness.commands.length;
    const body = (await invoke('submit-action-insert-two-of-three')) as ComposeAnswer;
    expect(harness.commands.slice(before).map((command) => command.kind)).toEqual(['incident.unfurl']);
    const [attachment, ...others] = body.composeExtension.attachments ?? [];
    expect(others).toHaveLength(0);
    const text = JSON.stringify(attachment?.content);
    expect(text).toContain('Critical: Checkout errors');
    expect(text).toContain('Resolved: Checkout errors');
    expect(text).not.toContain('#100');
    expect(attachment?.content.refresh).toMatchObject({
      action: {
        data: {
          refs: [
            { organizationId: 'acme', identifier: 42 },
            { organizationId: 'acme', identifier: 43 },
          ],
        },
      },
    });
  });
});

describe('adaptiveCard/action (Universal Actions refresh)', () => {
  const USER = '29:1GcS4EyB_oSI8A88XmWBN7NJFyMqe3QGnJdgLfFGkJnVelzRGos0bPbpsfJjcbAD22bmKc4GMbrY2g4JDrWl8ww';

  it('answers a manual refresh with the recomputed card and subscribes the person who pressed it', async () => {
    const body = await invoke('card-refresh-manual');
    expect(body).toMatchObject({ statusCode: 200, type: 'application/vnd.microsoft.card.adaptive' });
    const card = body.value as { refresh: { userIds: string[] }; body: unknown[] };
    expect(card.refresh.userIds).toEqual(['29:1a2b3c-previous-watcher', USER]);
    expect(JSON.stringify(card.body)).toContain('Refreshed {{DATE(2026-11-20T12:00:00Z, SHORT)}}');
    expect(JSON.stringify(card.body)).toContain('4 events in the last 10 minutes');
  });

  it('answers an automatic refresh without changing who gets automatic refreshes', async () => {
    const body = await invoke('card-refresh-automatic');
    const card = body.value as { refresh: { userIds: string[] }; body: unknown[] };
    expect(body.statusCode).toBe(200);
    expect(card.refresh.userIds).toEqual(['29:1a2b3c-previous-watcher']);
    expect(JSON.stringify(card.body)).toContain('Updated {{DATE(');
  });

  it('refreshes a card of several incidents with one bulk command', async () => {
    const before = harness.commands.length;
    const body = await invoke('card-refresh-digest-manual');
    expect(harness.commands.slice(before).map((command) => command.kind)).toEqual(['incident.unfurl']);
    expect(JSON.stringify(body.value)).toContain('Resolved: Checkout errors');
  });

  // botbuilder answers an invoke with its statusCode as the HTTP status too.
  it("answers a refresh for another organization's incident with an error, not its card", async () => {
    const body = await invoke('card-refresh-forged-for-other-organization', 400);
    expect(body).toMatchObject({
      statusCode: 400,
      type: 'application/vnd.microsoft.error',
      value: {
        code: 'other_organization',
        message: "This incident belongs to another organization; here you see Acme's incidents only.",
      },
    });
    expect(JSON.stringify(body)).not.toContain('Storefront');
  });
});
