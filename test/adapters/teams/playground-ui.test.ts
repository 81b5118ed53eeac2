// The Agents Playground's own web page, in a headless Chromium (Debian's `chromium`; skipped with a message
// when it is not installed): what a person sees when they type to the bot, press Refresh and unfurl a link.
// Every request off this machine is aborted (the page asks a CDN for fonts and falls back to local ones).
// Screenshots land in test-results/playground/ for a look after the run.
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BotProcess, type Playground, startBot, startPlayground } from '../../support/playground.ts';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const PUBLIC_URL = 'http://incidents.test';
const SCREENSHOTS = new URL('../../../test-results/playground/', import.meta.url);
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);
const present = existsSync(CHROMIUM);

const required = process.env.PLAYGROUND_UI === 'required';

if (!present && !required)
  console.warn(
    `playground UI test skipped: no Chromium at ${CHROMIUM} (apt-get install chromium, or set CHROMIUM_PATH)`,
  );

describe.runIf(!present && required)('the Agents Playground page (PLAYGROUND_UI=required)', () => {
  it('needs Chromium', () => {
    throw new Error(
      `PLAYGROUND_UI=required but there is no Chromium at ${CHROMIUM}: apt-get install chromium`,
    );
  });
});

describe.skipIf(!present)('the Agents Playground page in a browser', () => {
  let bot: BotProcess;
  let playground: Playground;
  let browser: Browser;
  let page: Page;
  const aborted: string[] = [];

  beforeAll(async () => {
    bot = await startBot({ env: { PUBLIC_URL, METRIC_CACHE_MS: '120000' } });
    playground = await startPlayground({ endpoint: `${bot.url}/api/messages` });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    });
    page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await page.route('**/*', (route) => {
      const url = new URL(route.request().url());
      if (LOOPBACK.has(url.hostname)) return route.continue();
      aborted.push(url.origin);
      return route.abort();
    });
    await mkdir(SCREENSHOTS, { recursive: true });
    await page.goto(playground.url);
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await playground?.stop();
    await bot?.stop();
  });

  const screenshot = (name: string) =>
    page.screenshot({ path: new URL(`${name}.png`, SCREENSHOTS).pathname });

  async function say(text: string) {
    await page.locator('[data-lexical-editor="true"]').click();
    await page.keyboard.type(text);
    await page.keyboard.press('Enter');
  }

  async function incidentPage(identifier: number) {
    const html = await (await fetch(bot.signed(`/o/acme/incidents/${identifier}`))).text();
    return {
      title: /<h1>([^<]*)<\/h1>/.exec(html)![1]!,
      value: /<p><strong>([^<]*)<\/strong><\/p>/.exec(html)![1]!,
    };
  }

  it('shows the live card for a typed command, and Refresh replaces it in place', async () => {
    await say('list');
    await page.getByText('Open incidents in Acme Corp').waitFor();
    const row = await page
      .getByText(/^#\d+ (Open|Warning|Critical): /)
      .first()
      .textContent();
    const identifier = Number(/^#(\d+)/.exec(row ?? '')?.[1]);
    const expected = await incidentPage(identifier);

    await say(`incident ${identifier}`);
    const card = page
      .locator('.ac-adaptiveCard')
      .filter({ hasText: `#${identifier} · acme` })
      .last();
    await card.getByText(expected.title).waitFor();
    expect(await card.getByText(expected.value).isVisible()).toBe(true);
    // Teams (and the playground) format {{DATE}}/{{TIME}} for the reader: no raw ISO time on screen.
    expect(await card.getByText(/\d{4}-\d\d-\d\dT/).count()).toBe(0);
    // The footer: the latest activity, if any, then when the card was computed.
    expect(await card.getByText(/(^|· )Updated /).isVisible()).toBe(true);
    await screenshot('1-incident-card');

    const cards = await page.locator('.ac-adaptiveCard').count();
    await card.getByRole('button', { name: 'Refresh' }).click();
    await card.getByText(/^Refreshed /).waitFor();
    expect(await card.getByText(expected.title).isVisible()).toBe(true);
    expect(await page.locator('.ac-adaptiveCard').count()).toBe(cards);
    await screenshot('2-refreshed');
  });

  it('unfurls a pasted incident link in the link-unfurling dialog and sends it without the bot answering', async () => {
    const row = await page
      .getByText(/^#\d+ (Open|Warning|Critical): /)
      .first()
      .textContent();
    const identifier = Number(/^#(\d+)/.exec(row ?? '')?.[1]);
    const expected = await incidentPage(identifier);
    await page.getByRole('button', { name: 'Trigger Message Extension App' }).click();
    await page.getByRole('menuitem', { name: 'Link Unfurling' }).click();
    await page.getByLabel('Enter an URL').fill(`${PUBLIC_URL}/o/acme/incidents/${identifier}`);
    const dialog = page.getByRole('dialog');
    await dialog.getByText(expected.title).waitFor();
    expect(await dialog.getByText(expected.value).isVisible()).toBe(true);
    await screenshot('3-link-unfurl');

    const before = bot.records().length;
    await dialog.getByRole('button', { name: 'Send to Conversation' }).click();
    await dialog.waitFor({ state: 'hidden' });
    // A probe after the card: its answer proves the bot has handled the card message before it.
    await say('help');
    await page.getByText('@bot help').last().waitFor();
    await screenshot('4-sent-to-conversation');
    expect(
      bot
        .records()
        .slice(before)
        .filter((record) => record.level >= 50),
    ).toEqual([]);
    const helpCards = await page.locator('.ac-adaptiveCard').filter({ hasText: '@bot help' }).count();
    expect(helpCards).toBe(1);
  });

  it('kept every request on this machine and the bot log free of errors', () => {
    expect(bot.problems()).toEqual([]);
    // Only the page's web fonts were asked for elsewhere, and never reached.
    expect([...new Set(aborted)].every((origin) => origin.endsWith('.cdn.office.net'))).toBe(true);
  });
});
