// The chart image route over real HTTP: a card's signed URL answers a PNG (cached per incident state and minute,
// with Cache-Control and ETag); anything else answers 403 and never the image. Cards and the incident page carry
// the URL, which changes with the state and the minute; a chart that cannot be computed leaves it out.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { QueryBackend } from '../../src/query/backend.ts';
import type { IncidentRecord } from '../../src/repository.ts';
import { importDataset } from '../../src/store/import/import.ts';
import { type RunningServer, startServer } from '../../src/server.ts';
import { CHECKOUT_INCIDENT, checkoutDataset, checkoutErrors } from '../fixtures/checkout-dataset.ts';
import { createTestApp, type TestApp } from '../support/test-app.ts';

const PUBLIC_URL = 'https://cards.example.com';
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const T0 = Date.parse('2026-11-20T10:30:10Z');
const MINUTE = 60_000;

const dataset = {
  ...checkoutDataset(checkoutErrors(300)),
  organizations: [
    { id: 'acme', name: 'Acme' },
    { id: 'globex', name: 'Globex' },
  ],
  projects: [
    { id: 11, organizationId: 'acme', slug: 'checkout-api' },
    { id: 21, organizationId: 'globex', slug: 'shop' },
  ],
  alertRules: [
    ...checkoutDataset().alertRules,
    { ...checkoutDataset().alertRules[0]!, id: 201, organizationId: 'globex', projects: [21] },
  ],
  incidents: [
    CHECKOUT_INCIDENT,
    { ...CHECKOUT_INCIDENT, id: 6001, organizationId: 'globex', alertRuleId: 201, projects: [21] },
  ],
};

describe('GET /o/<org>/incidents/<identifier>/chart.png', () => {
  let clock = T0;
  let test: TestApp;
  let server: RunningServer;

  beforeAll(async () => {
    test = await createTestApp({
      dataset,
      now: () => clock,
      env: { PUBLIC_URL, SIGNING_SECRET: 'the chart route test secret' },
    });
    server = await startServer(test.app, [], { port: 0, host: '127.0.0.1' });
  });
  afterAll(async () => {
    await server?.close();
    await test?.close();
  });

  const record = (organizationId = 'acme') =>
    test.app.repository.findIncident(organizationId, 42) as IncidentRecord;
  const chartUrl = async (organizationId = 'acme') => {
    const [card] = await test.app.cards.build([record(organizationId)]);
    if (!card?.chartUrl) throw new Error('the card has no chart');
    return new URL(card.chartUrl);
  };
  /** The card's URL, asked of the test server instead of PUBLIC_URL. */
  const get = (url: URL | string, headers: Record<string, string> = {}) => {
    const local = new URL(typeof url === 'string' ? url : `${url.pathname}${url.search}`, server.url);
    return fetch(local, { headers });
  };

  it('puts a signed https URL under PUBLIC_URL in the card', async () => {
    const url = await chartUrl();
    expect(url.origin).toBe(PUBLIC_URL);
    expect(url.pathname).toBe('/o/acme/incidents/42/chart.png');
    expect([...url.searchParams.keys()]).toEqual(['v', 'exp', 'sig']);
  });

  it('answers the PNG, cacheable, with an ETag; the same request again is a 304', async () => {
    const url = await chartUrl();
    const response = await get(url);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('image/png');
    expect(response.headers.get('cache-control')).toBe('public, max-age=60');
    const etag = response.headers.get('etag');
    expect(etag).toMatch(/^"[^"]+"$/);
    const png = Buffer.from(await response.arrayBuffer());
    expect(png.subarray(0, 8)).toEqual(PNG_SIGNATURE);
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([1200, 400]);
    const again = await get(url, { 'if-none-match': etag! });
    expect(again.status).toBe(304);
    expect(Buffer.from(await (await get(url)).arrayBuffer()).equals(png)).toBe(true);
  });

  it.each([
    ['without a signature', (url: URL) => url.pathname],
    ['with only the state', (url: URL) => `${url.pathname}?v=${url.searchParams.get('v')}`],
    [
      'with an altered signature',
      (url: URL) => url.href.replace(/sig=./, (m) => (m.endsWith('A') ? 'sig=B' : 'sig=A')),
    ],
    [
      'with a later expiry',
      (url: URL) => url.href.replace(/exp=(\d+)/, (_m, exp) => `exp=${Number(exp) + 1}`),
    ],
    ['for another organization’s incident', (url: URL) => url.href.replace('/o/acme/', '/o/globex/')],
    ['for another incident', (url: URL) => url.href.replace('/incidents/42/', '/incidents/43/')],
  ])('refuses the image %s (403)', async (_name, alter) => {
    const response = await get(new URL(alter(await chartUrl()), PUBLIC_URL));
    expect(response.status).toBe(403);
    expect(response.headers.get('content-type')).not.toBe('image/png');
    const body = Buffer.from(await response.arrayBuffer());
    expect(body.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(false);
  });

  it('refuses an expired URL (403)', async () => {
    const url = await chartUrl();
    clock = T0 + 31 * 24 * 60 * MINUTE;
    try {
      expect((await get(url)).status).toBe(403);
    } finally {
      clock = T0;
    }
  });

  it('gives every organization its own signature', async () => {
    const globex = await chartUrl('globex');
    expect((await get(globex)).status).toBe(200);
    expect(globex.searchParams.get('sig')).not.toBe((await chartUrl()).searchParams.get('sig'));
  });

  it('changes the URL with the minute and with the incident state, and the picture with the data', async () => {
    const first = await chartUrl();
    const firstPng = Buffer.from(await (await get(first)).arrayBuffer());
    expect((await chartUrl()).href).toBe(first.href);
    clock = T0 + MINUTE;
    const nextMinute = await chartUrl();
    expect(nextMinute.href).not.toBe(first.href);
    expect(nextMinute.searchParams.get('v')).toBe(first.searchParams.get('v'));

    const more = checkoutErrors(900).map((event, i) => ({ ...event, message: `more ${i}` }));
    const imported = await importDataset(test.store, {
      version: 1,
      incidents: [{ ...CHECKOUT_INCIDENT, status: 'resolved', dateClosed: '2026-11-20T10:20:00Z' }],
      events: more,
    });
    expect(imported.ok).toBe(true);
    await test.app.repository.reload();
    const resolved = await chartUrl();
    expect(resolved.searchParams.get('v')).not.toBe(first.searchParams.get('v'));
    const resolvedPng = Buffer.from(await (await get(resolved)).arrayBuffer());
    expect(resolvedPng.subarray(0, 8)).toEqual(PNG_SIGNATURE);
    expect(resolvedPng.equals(firstPng)).toBe(false);
  });

  it('shows the same chart on the incident page', async () => {
    const url = await chartUrl();
    const [card] = await test.app.cards.build([record()]);
    // The page opens from the card's signed link only (issue 17).
    const page = await (await get(new URL(card!.link))).text();
    expect(page).toContain(`<img src="${url.href.replaceAll('&', '&amp;')}"`);
  });
});

describe('a chart that cannot be computed', () => {
  it('leaves the image out and the card still answers with its value', async () => {
    const failSeries = (backend: QueryBackend): QueryBackend => ({
      ...backend,
      runMetrics(queries, signal) {
        if (queries.some((query) => query.kind === 'series'))
          return Promise.reject(new Error('series broke'));
        return backend.runMetrics(queries, signal);
      },
    });
    const test = await createTestApp({
      dataset: checkoutDataset(checkoutErrors(120)),
      now: () => T0,
      env: { PUBLIC_URL },
      wrapBackend: failSeries,
    });
    try {
      const [card] = await test.app.cards.build([test.app.repository.findIncident('acme', 42)!]);
      expect(card?.chartUrl).toBeUndefined();
      expect(card?.metricError).toBeNull();
      expect(card?.statusText).toBe('120 events in the last 10 minutes');
    } finally {
      await test.close();
    }
  });
});
