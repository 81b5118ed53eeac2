// Notifications through a Teams client nobody here wrote: `@bot subscribe` in the playground's team channel,
// then errors arrive over the NDJSON ingest endpoint, `serve`'s own alert evaluator (1-second ticks) opens the
// incident and escalates it, and the outbox worker delivers through the real Teams notifier (TEAMS_AUTH=off,
// MICROSOFT_APP_ID unset: botbuilder posts without a token to the serviceUrl the playground gave). The channel
// gets one card, edited in place on escalation, and a reply in the card's thread. Any error line in the bot's
// log fails the run.
import { execFile } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type BotProcess,
  cardsOf,
  type Playground,
  type PlaygroundConfig,
  type PlaygroundMessage,
  startBot,
  startPlayground,
  textsOf,
} from '../../support/playground.ts';
import { alertingDataset } from '../../alerting/alerting-fixture.ts';

const BOT_BIN = fileURLToPath(new URL('../../../bin/incident-cards.mjs', import.meta.url));
/** The tenant .m365agentsplayground.yml puts the playground in. */
const PLAYGROUND_TENANT = '3f9c2a71-5d4e-4b8a-9e21-6c0d8f4a7b13';
const RULE_NAME = 'Checkout errors (live)';

let bot: BotProcess;
let playground: Playground;
let config: PlaygroundConfig;
let orgKey: string;

/** The CLI on the prepared data dir, before `serve` holds the store. */
async function cli(dataDir: string, ...args: string[]): Promise<string[]> {
  const { stdout } = await promisify(execFile)(process.execPath, [BOT_BIN, ...args, '--data-dir', dataDir], {
    env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'silent' },
  });
  return stdout.trim().split('\n');
}

beforeAll(async () => {
  const dataDir = await mkdtemp(join(tmpdir(), 'incident-cards-playground-notify-'));
  // Acme installed in the playground's tenant, one count() rule with small thresholds, no incident yet.
  const dataset = {
    ...alertingDataset({
      resolveThreshold: 1,
      triggers: [
        { id: 2001, label: 'critical', alertThreshold: 6 },
        { id: 2002, label: 'warning', alertThreshold: 2 },
      ],
    }),
    installations: [{ platform: 'teams', tenantId: PLAYGROUND_TENANT, organizationId: 'acme' }],
    incidents: [],
  };
  const file = join(dataDir, 'dataset.json');
  await writeFile(file, JSON.stringify(dataset));
  await cli(dataDir, 'import', file);
  orgKey = (await cli(dataDir, 'keys', 'create', 'acme')).at(-1)!;
  bot = await startBot({ dataDir, env: { ALERT_EVAL_INTERVAL_S: '1', DEMO_TRAFFIC: 'off' } });
  playground = await startPlayground({ endpoint: `${bot.url}/api/messages` });
  config = await playground.config();
}, 90_000);

afterAll(async () => {
  await playground?.stop();
  await bot?.stop();
});

let sequence = 0;
/** `count` production errors of acme's project 11, now, through the NDJSON bulk endpoint. */
async function sendErrors(count: number): Promise<void> {
  const lines = Array.from({ length: count }, () =>
    JSON.stringify({
      id: `playground-${sequence++}`,
      timestamp: new Date().toISOString(),
      projectId: 11,
      level: 'error',
      environment: 'production',
      message: 'card declined',
    }),
  );
  const response = await fetch(`${bot.url}/api/ingest/events`, {
    method: 'POST',
    headers: { authorization: `Bearer ${orgKey}` },
    body: `${lines.join('\n')}\n`,
  });
  expect(response.status, await response.text()).toBe(200);
}

const fromBot = (message: PlaygroundMessage) => message.from.id === config.bot.id;
const titleOf = (message: PlaygroundMessage | undefined) => textsOf(cardsOf(message)[0])[0];

describe('a subscribed team channel', () => {
  it('gets a card when an incident opens, edited in place (and a thread reply) when it escalates', async () => {
    const channel = config.teams[0]!.id;
    const sent = await playground.send(channel, 'subscribe', { mention: true });
    const confirmed = await playground.waitFor('the subscription confirmed', () =>
      playground.messages(channel).find((m) => m.messageId !== sent && fromBot(m)),
    );
    expect(textsOf(cardsOf(confirmed)).join(' ')).toContain('Every alert rule of Acme');
    const before = new Set(playground.messages(channel).map((m) => m.messageId));
    const notifications = () =>
      playground.messages(channel).filter((m) => fromBot(m) && !before.has(m.messageId) && cardsOf(m).length);

    await sendErrors(4);
    const [posted] = await playground.waitFor(
      'the notification card',
      () => (notifications().length > 0 ? notifications() : undefined),
      20_000,
    );
    expect(titleOf(posted)).toBe(`Warning: ${RULE_NAME}`);

    await sendErrors(6);
    const escalated = await playground.waitFor(
      'the card edited to critical',
      () => notifications().find((m) => titleOf(m) === `Critical: ${RULE_NAME}`),
      20_000,
    );
    // Edited in place: the same message, no second card.
    expect(escalated.messageId).toBe(posted!.messageId);
    expect(notifications()).toHaveLength(1);
    const edits = playground.events.filter(
      (event) => event.action === 'updateMessage' && event.message?.messageId === posted!.messageId,
    );
    expect(edits.length).toBeGreaterThan(0);
    const reply = await playground.waitFor('the reply in the card’s thread', () =>
      playground
        .messages(channel)
        .find((m) => fromBot(m) && !before.has(m.messageId) && m.messageId !== posted!.messageId),
    );
    expect(reply.text).toMatch(/critical/i);
    expect(bot.problems(), 'error lines in the bot log').toEqual([]);
  }, 60_000);
});
