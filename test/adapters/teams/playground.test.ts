// Teams through a client nobody here wrote: the Microsoft 365 Agents Playground, driven through the same HTTP
// API and WebSocket its web UI uses, against `incident-cards serve` (TEAMS_AUTH=off, the demo dataset, the
// checked-in .m365agentsplayground.yml that puts the playground in the demo's acme tenant). Every bot reply is
// read from the playground's stream; every card is checked against the incident page the bot serves (the
// same live computation, no Teams in between) and against the Adaptive Card 1.5 schema. Any error line in the
// bot's log fails the run.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  type BotProcess,
  type InvokeAnswer,
  cardsOf,
  type Playground,
  type PlaygroundConfig,
  type PlaygroundMessage,
  startBot,
  startPlayground,
  textsOf,
} from '../../support/playground.ts';
import { checkedCards } from './schemas.ts';

const PUBLIC_URL = 'http://incidents.test';
const SEARCH_COMMAND = 'searchIncidents';
const MESSAGE_ACTION = 'insertIncidentCards';

let bot: BotProcess;
let playground: Playground;
let config: PlaygroundConfig;
let chat: string;

beforeAll(async () => {
  // The metric cache outlives the test, so the card and the incident page show the same computation.
  bot = await startBot({ env: { PUBLIC_URL, METRIC_CACHE_MS: '120000' } });
  playground = await startPlayground({ endpoint: `${bot.url}/api/messages` });
  config = await playground.config();
  chat = config.personalChat.id;
}, 90_000);

afterAll(async () => {
  await playground?.stop();
  await bot?.stop();
});

let reported = 0;
afterEach(() => {
  const fresh = bot.problems().slice(reported);
  reported += fresh.length;
  expect(fresh, 'error lines in the bot log').toEqual([]);
});

/** The incident page the card's title links to: the same live card, rendered as HTML by the bot itself. */
async function incidentPage(identifier: number): Promise<{ title: string; value: string }> {
  const html = await (await fetch(bot.signed(`/o/acme/incidents/${identifier}`))).text();
  const title = /<h1>([^<]*)<\/h1>/.exec(html)?.[1];
  const value = /<p><strong>([^<]*)<\/strong><\/p>/.exec(html)?.[1];
  if (!title || !value) throw new Error(`no incident page for #${identifier}: ${html.slice(0, 200)}`);
  return { title: decodeHtml(title), value: decodeHtml(value) };
}

function decodeHtml(html: string): string {
  return html
    .replace(/&amp;/g, '&')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'");
}

/** Sends `text` and waits for the bot's next message in that conversation. */
async function ask(conversationId: string, text: string): Promise<PlaygroundMessage> {
  const before = playground.messages(conversationId).length;
  const sent = await playground.send(conversationId, text);
  return playground.waitFor(`the bot's answer to "${text}"`, () =>
    playground
      .messages(conversationId)
      .slice(before)
      .find((message) => message.messageId !== sent && message.from.id === config.bot.id),
  );
}

/** The numbers of acme's open incidents, as the bot's `list` card shows them ("#7 Open: …"). */
async function openIncidents(): Promise<{ identifier: number; heading: string }[]> {
  const list = await ask(chat, 'list');
  return textsOf(cardsOf(list)).flatMap((text) => {
    const match = /^#(\d+) (.+)$/.exec(text);
    return match ? [{ identifier: Number(match[1]), heading: match[2]! }] : [];
  });
}

describe('messages in the personal chat', () => {
  it('installs into every kind of conversation without an error (installationUpdate + conversationUpdate)', async () => {
    const conversations = [chat, config.groupChats[0]!.id, config.teams[0]!.id];
    for (const conversationId of conversations) await playground.install(conversationId);
    // The playground answers at once and sends both activities after; the bot's turns finish shortly after.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
  });

  it('answers help with the help card', async () => {
    const answer = await ask(chat, 'help');
    const [card] = checkedCards({ attachments: answer.attachments });
    expect(textsOf(card)[0]).toBe('Incident cards');
    expect(textsOf(card).join('\n')).toContain('incident 42');
  });

  it('answers list with the open incidents of the tenant’s organization, and incident <n> with its live card', async () => {
    const open = await openIncidents();
    expect(open.length).toBeGreaterThan(0);
    const { identifier, heading } = open[0]!;
    const answer = await ask(chat, `incident ${identifier}`);
    const [card] = checkedCards({ attachments: answer.attachments });
    const page = await incidentPage(identifier);
    const texts = textsOf(card);
    expect(texts[0]).toBe(page.title);
    expect(heading).toBe(page.title);
    expect(texts).toContain(page.value);
    expect(page.value).toMatch(/\d/);
    expect(texts).toContain(`#${identifier} · acme · ${page.title.split(':')[0]}`);
    expect(texts.find((text) => text.startsWith('Started: '))).toMatch(
      /^Started: \{\{DATE\(\S+Z, SHORT\)\}\} \{\{TIME\(\S+Z\)\}\}$/,
    );
  });
  it('answers a pasted incident link and a #id with their cards, in the message’s order', async () => {
    const [first, second] = await openIncidents();
    const answer = await ask(
      chat,
      `is #${second!.identifier} related to ${PUBLIC_URL}/o/acme/incidents/${first!.identifier}?`,
    );
    const [card] = checkedCards({ attachments: answer.attachments });
    const titles = textsOf(card).filter((text) => /^#\d+ · acme · /.test(text));
    expect(titles.map((text) => Number(/^#(\d+)/.exec(text)![1]))).toEqual([
      second!.identifier,
      first!.identifier,
    ]);
  });

  it('ignores a message that only carries a card (Send to conversation after a link unfurl)', async () => {
    const { identifier } = (await openIncidents())[0]!;
    const unfurl = (await playground.invoke('composeExtension/queryLink', chat, {
      url: `${PUBLIC_URL}/o/acme/incidents/${identifier}`,
    })) as { composeExtension: { attachments: { contentType: string; content: unknown }[] } };
    const [attachment] = unfurl.composeExtension.attachments;
    const sent = await playground.sendCards(chat, [
      { contentType: attachment!.contentType, content: attachment!.content },
    ]);
    // A probe with a distinct answer (the list card): once it is there, the bot has handled the card message.
    const probe = await playground.send(chat, 'list');
    await playground.waitFor('the answer to the probe', () => {
      const shown = playground.messages(chat);
      return shown
        .slice(shown.findIndex((m) => m.messageId === probe))
        .find((m) => textsOf(cardsOf(m))[0]?.startsWith('Open incidents in'));
    });
    const after = playground.messages(chat);
    const answers = after
      .slice(after.findIndex((m) => m.messageId === sent) + 1)
      .filter((m) => m.from.id === config.bot.id);
    expect(answers.map((m) => textsOf(cardsOf(m))[0])).toEqual(['Open incidents in Acme Corp']);
  });
});

describe('a team channel', () => {
  it('answers an @mention in the General channel in the post’s thread', async () => {
    const channel = config.teams[0]!.id;
    const { identifier } = (await openIncidents())[0]!;
    const sent = await playground.send(channel, `incident ${identifier}`, { mention: true });
    const answer = await playground.waitFor('the answer in the channel', () =>
      playground.messages(channel).find((m) => m.messageId !== sent && m.from.id === config.bot.id),
    );
    const [card] = checkedCards({ attachments: answer.attachments });
    expect(textsOf(card)[0]).toBe((await incidentPage(identifier)).title);
  });
});

describe('the compose box and message actions', () => {
  it('searches with the manifest’s command and inserts the picked incident', async () => {
    const open = await openIncidents();
    const answer = await playground.invoke('composeExtension/query', chat, {
      commandId: SEARCH_COMMAND,
      parameters: [{ name: 'searchText', value: '' }],
      queryOptions: { skip: 0, count: 25 },
      context: { theme: 'default' },
    });
    const results = (
      answer as {
        composeExtension: { attachments: { content: unknown; preview: { content: { title: string } } }[] };
      }
    ).composeExtension.attachments;
    const titles = results.map((result) => result.preview.content.title);
    for (const { identifier, heading } of open) expect(titles).toContain(`#${identifier} ${heading}`);
    // Previews are not Adaptive Cards: plain UTC text; the result cards let the reader's client format the time.
    for (const result of results) {
      expect((result.preview.content as { text?: string }).text).toMatch(
        /^Started \d{1,2} \w{3} \d{4}, \d\d:\d\d UTC$/,
      );
      expect(textsOf(result.content)[1]).toMatch(
        /^Started \{\{DATE\(\S+Z, SHORT\)\}\} \{\{TIME\(\S+Z\)\}\}$/,
      );
    }
  });

  it('answers a search command the manifest does not declare with no results', async () => {
    const answer = await playground.invoke('composeExtension/query', chat, {
      commandId: 'somethingElse',
      parameters: [{ name: 'searchText', value: '' }],
      queryOptions: { skip: 0, count: 25 },
    });
    expect(answer).toEqual({
      composeExtension: { type: 'result', attachmentLayout: 'list', attachments: [] },
    });
  });

  it('answers an anonymous link unfurl (not in the manifest) with an error that says why', async () => {
    const { identifier } = (await openIncidents())[0]!;
    const answer = await playground.invokeResult('composeExtension/anonymousQueryLink', chat, {
      url: `${PUBLIC_URL}/o/acme/incidents/${identifier}`,
    });
    expect(answer.body).toMatchObject({
      innerHttpError: {
        statusCode: 400,
        body: {
          error: { code: 'NotSupported', message: expect.stringMatching(/supportsAnonymizedPayloads/) },
        },
      },
    });
    const warning = await playground.waitFor('the warning in the bot log', () =>
      bot
        .records()
        .find(
          (record) =>
            record.msg === 'teams invoke failed' && record.name === 'composeExtension/anonymousQueryLink',
        ),
    );
    expect(warning).toMatchObject({ level: 40, status: 400, reason: expect.stringMatching(/anonymously/) });
  });

  it('unfurls a pasted incident link into the live card (queryLink)', async () => {
    const { identifier } = (await openIncidents())[0]!;
    const answer = await playground.invoke('composeExtension/queryLink', chat, {
      url: `${PUBLIC_URL}/o/acme/incidents/${identifier}`,
    });
    const [result] = (answer as { composeExtension: { attachments: { content: unknown }[] } })
      .composeExtension.attachments;
    const page = await incidentPage(identifier);
    expect(textsOf(result?.content)[0]).toBe(page.title);
    expect(textsOf(result?.content)).toContain(page.value);
  });

  it('runs the message action: the dialog lists the message’s references, the submit inserts their cards', async () => {
    const [first, second] = await openIncidents();
    const text = `see #${first!.identifier} and ${PUBLIC_URL}/o/acme/incidents/${second!.identifier}`;
    const messageId = await playground.send(chat, text);
    const task = (await playground.invoke('composeExtension/fetchTask', chat, {
      commandId: MESSAGE_ACTION,
      commandContext: 'message',
      context: { theme: 'default' },
      messagePayload: playground.messagePayload(chat, messageId),
    })) as {
      task: {
        type: string;
        value: {
          card: {
            content: { body: Record<string, unknown>[]; actions: { data: Record<string, unknown> }[] };
          };
        };
      };
    };
    expect(task.task.type).toBe('continue');
    const dialog = task.task.value.card.content;
    const toggles = dialog.body.filter((element) => element.type === 'Input.Toggle');
    expect(toggles.map((toggle) => toggle.title)).toEqual([
      `acme #${first!.identifier}`,
      `acme #${second!.identifier}`,
    ]);
    // The user unticks the second one; Adaptive Cards merge the inputs into the submit action's data.
    const data = {
      ...dialog.actions[0]!.data,
      [toggles[0]!.id as string]: 'true',
      [toggles[1]!.id as string]: 'false',
    };
    const inserted = (await playground.invoke('composeExtension/submitAction', chat, {
      commandId: MESSAGE_ACTION,
      commandContext: 'message',
      context: { theme: 'default' },
      data,
      messagePayload: playground.messagePayload(chat, messageId),
    })) as { composeExtension: { attachments: { content: unknown }[] } };
    const cards = inserted.composeExtension.attachments.map((attachment) => attachment.content);
    expect(cards).toHaveLength(1);
    const page = await incidentPage(first!.identifier);
    expect(textsOf(cards[0])[0]).toBe(page.title);
    expect(textsOf(cards[0])).toContain(page.value);
  });
});

describe('refreshing a card', () => {
  it('Refresh (Action.Execute) answers the recomputed card for the same message', async () => {
    const { identifier } = (await openIncidents())[0]!;
    const answer = await ask(chat, `incident ${identifier}`);
    const [card] = cardsOf(answer) as {
      actions: { type: string; title: string; verb: string; data: unknown }[];
    }[];
    const refresh = card!.actions.find((action) => action.type === 'Action.Execute')!;
    const refreshed = await playground.invoke(
      'adaptiveCard/action',
      chat,
      { action: { type: refresh.type, title: refresh.title, verb: refresh.verb, data: refresh.data } },
      answer.messageId,
    );
    expect(refreshed.type).toBe('application/vnd.microsoft.card.adaptive');
    const [checked] = checkedCards({
      attachments: [{ contentType: refreshed.type, content: refreshed.value }],
    });
    const page = await incidentPage(identifier);
    expect(textsOf(checked)[0]).toBe(page.title);
    expect(textsOf(checked)).toContain(page.value);
    // The footer: the incident's latest activity, if any (the live demo traffic may have just changed it), then
    // when the card was refreshed.
    expect(textsOf(checked).at(-1)).toMatch(/(^|· )Refreshed /);
    // The person who pressed it now gets the card refreshed automatically.
    expect((checked as { refresh: { userIds: string[] } }).refresh.userIds).toContain(config.currentUser.id);
  });

  it('the Action.Submit fallback of older clients updates the bot’s message in place', async () => {
    const { identifier } = (await openIncidents())[0]!;
    const answer = await ask(chat, `incident ${identifier}`);
    const [card] = cardsOf(answer) as { actions: { fallback?: { data: Record<string, unknown> } }[] }[];
    const fallback = card!.actions.find((action) => action.fallback)!.fallback!;
    expect(await playground.submit(chat, answer.messageId, fallback.data)).toBe(200);
    const updated = await playground.waitFor('the updated card', () =>
      playground.events.find(
        (event) => event.action === 'updateMessage' && event.message?.messageId === answer.messageId,
      ),
    );
    const [checked] = checkedCards({ attachments: updated.message!.attachments });
    const page = await incidentPage(identifier);
    expect(textsOf(checked)[0]).toBe(page.title);
    expect(textsOf(checked).at(-1)).toMatch(/(^|· )Refreshed /);
    expect(playground.messages(chat).filter((m) => m.messageId === answer.messageId)).toHaveLength(1);
  });

  it('a refresh of another organization’s card says so, without naming it', async () => {
    const { identifier } = (await openIncidents())[0]!;
    const answer = await ask(chat, `incident ${identifier}`);
    const [card] = cardsOf(answer) as { actions: { type: string; title: string; verb: string }[] }[];
    const refresh = card!.actions.find((action) => action.type === 'Action.Execute')!;
    // The card's data names globex (a card pasted from another tenant, or forged): acme has an incident of that
    // number too, and the answer must not pretend it is missing there.
    const foreign = { refs: [{ organizationId: 'globex', identifier }], watchers: [] };
    const answered = await playground.invokeResult(
      'adaptiveCard/action',
      chat,
      { action: { type: refresh.type, title: refresh.title, verb: refresh.verb, data: foreign } },
      answer.messageId,
    );
    // botbuilder sends the invoke's statusCode as the HTTP status; the playground passes the bot's answer on.
    const refreshed = (answered.body as { innerHttpError: { statusCode: number; body: InvokeAnswer } })
      .innerHttpError;
    expect(refreshed.statusCode).toBe(400);
    expect(refreshed.body).toMatchObject({
      type: 'application/vnd.microsoft.error',
      value: { code: 'other_organization' },
    });
    const { message } = refreshed.body.value as { message: string };
    expect(message).toMatch(/belongs to another organization/);
    expect(message).not.toMatch(/globex/i);
    expect(message).not.toMatch(/^No incident/);
    const warning = await playground.waitFor('the warning in the bot log', () =>
      bot
        .records()
        .find((record) => record.msg === 'teams invoke failed' && record.name === 'adaptiveCard/action'),
    );
    expect(warning).toMatchObject({ level: 40, status: 400, reason: message });
  });
});
