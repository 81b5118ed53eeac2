// The incident page opens from a card's signed link only; everything else is refused without incident data.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningServer, startServer } from '../../src/server.ts';
import { checkoutDataset, checkoutErrors } from '../fixtures/checkout-dataset.ts';
import { createTestApp, type TestApp } from '../support/test-app.ts';

const PUBLIC_URL = 'https://cards.example.com';
let test: TestApp;
let server: RunningServer;
let now = Date.parse('2026-11-20T12:00:00Z');

beforeAll(async () => {
  const dataset = checkoutDataset(checkoutErrors(5));
  dataset.organizations.push({ id: 'globex', name: 'Globex' });
  test = await createTestApp({ dataset, now: () => now, env: { PUBLIC_URL } });
  server = await startServer(test.app, [], { port: 0, host: '127.0.0.1' });
});
afterAll(async () => {
  await server.close();
  await test.close();
});

/** The card's link, pointed at the test server. */
async function cardLink(): Promise<string> {
  const [card] = await test.app.cards.build([test.app.repository.findIncident('acme', 42)!]);
  expect(card!.link.startsWith(`${PUBLIC_URL}/o/acme/incidents/42?`)).toBe(true);
  return card!.link.replace(PUBLIC_URL, server.url);
}

async function get(url: string) {
  const response = await fetch(url);
  return { status: response.status, headers: response.headers, text: await response.text() };
}

describe('incident page access', () => {
  it('the link in a card opens the page, with the security headers', async () => {
    const page = await get(await cardLink());
    expect(page.status).toBe(200);
    expect(page.text).toContain('Checkout errors');
    expect(page.headers.get('content-security-policy')).toMatch(/frame-ancestors 'none'/);
    expect(page.headers.get('content-security-policy')).not.toMatch(/script-src|unsafe-eval/);
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    expect(page.headers.get('referrer-policy')).toBe('no-referrer');
    expect(page.headers.get('cache-control')).toMatch(/private/);
  });

  it.each([
    ['a guessed URL', (link: string) => link.split('?')[0]!],
    [
      'another organization’s path with this signature',
      (link: string) => link.replace('/o/acme/', '/o/globex/'),
    ],
    [
      'another incident with this signature',
      (link: string) => link.replace('/incidents/42', '/incidents/43'),
    ],
    [
      'an altered signature',
      (link: string) => link.replace(/sig=./, (m) => (m.endsWith('A') ? 'sig=B' : 'sig=A')),
    ],
    [
      'an altered expiry',
      (link: string) => link.replace(/exp=(\d+)/, (_m, exp) => `exp=${Number(exp) + 86_400}`),
    ],
  ])('refuses %s with 403 and no incident data', async (_name, alter) => {
    const page = await get(alter(await cardLink()));
    expect(page.status).toBe(403);
    expect(page.text).not.toContain('Checkout');
    expect(page.text).not.toContain('level:error');
    expect(page.headers.get('content-security-policy')).toBeTruthy();
  });

  it('refuses an expired link', async () => {
    const link = await cardLink();
    const saved = now;
    now += 40 * 86_400_000;
    try {
      expect((await get(link)).status).toBe(403);
    } finally {
      now = saved;
    }
  });

  it('answers 400 to malformed %-escapes, not 500', async () => {
    expect((await get(`${server.url}/o/%E0%A4%A/incidents/42`)).status).toBe(400);
    expect((await get(`${server.url}/o/%/incidents/42`)).status).toBe(400);
  });

  it.each(['0x2a', '4.2e1', '042', '42.0', '-42', '+42', '0'])(
    'identifier %s is not an alias of 42: 404',
    async (identifier) => {
      const link = (await cardLink()).replace('/incidents/42', `/incidents/${identifier}`);
      expect((await get(link)).status).toBe(404);
    },
  );
});

describe('GET /', () => {
  it('is a small HTML page for newcomers without any tenant data', async () => {
    const page = await get(`${server.url}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    expect(page.text).toMatch(/incident-cards \d+\.\d+\.\d+/);
    expect(page.text).toMatch(/ready/);
    expect(page.text).toContain('docs/teams.md');
    expect(page.text).not.toContain('acme');
    expect(page.text).not.toContain('Checkout');
  });
});
