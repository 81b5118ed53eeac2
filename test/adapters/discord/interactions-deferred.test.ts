// Discord's deadline: a slow event store gets a deferred answer (5, or 6 for buttons) and an edit of
// @original through the REST client; a failing one still gets a card that says the value is unavailable.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { QueryBackend } from '../../../src/query/backend.ts';
import { APPLICATION_ID, type Harness, startHarness } from './discord-harness.ts';
import { expectValidCallback, expectValidEditOriginal } from './discord-schemas.ts';
import { fixture } from './fixtures.ts';

/** Card links are signed (issue 17): the page path, then its expiry and signature. */
const SIGNED_PAGE_42 = expect.stringMatching(
  /^https:\/\/cards\.example\.com\/o\/acme\/incidents\/42\?exp=\d+&sig=[\w-]{43}$/,
);

function slowed(backend: QueryBackend, delayMs: number): QueryBackend {
  return Object.assign(Object.create(backend) as QueryBackend, {
    async runMetrics(...args: Parameters<QueryBackend['runMetrics']>) {
      await new Promise((resolve) => setTimeout(resolve, delayMs));
      return backend.runMetrics(...args);
    },
  });
}

function failing(backend: QueryBackend): QueryBackend {
  return Object.assign(Object.create(backend) as QueryBackend, {
    async runMetrics() {
      throw new Error('event store unreachable');
    },
  });
}

const originalPath = (payload: Record<string, unknown>) =>
  `/api/v10/webhooks/${APPLICATION_ID}/${payload.token as string}/messages/@original`;

describe('a slow event store', () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness({ deadlineMs: 200, wrapBackend: (backend) => slowed(backend, 600) });
  });
  afterAll(() => harness.close());

  it('defers /incident show, then edits @original with the card', async () => {
    const payload = fixture('slash-show-in-installed-guild');
    const { status, body } = await harness.post(payload);
    expect(status).toBe(200);
    expect(body).toEqual({ type: 5 });
    expectValidCallback(body);
    const edit = await harness.rest.waitFor((request) => request.path === originalPath(payload));
    expect(edit.method).toBe('PATCH');
    expect(edit.authorization).toBeUndefined();
    expectValidEditOriginal(edit.body);
    expect(edit.body).toMatchObject({
      embeds: [{ url: SIGNED_PAGE_42 }],
      components: [{ type: 1 }],
    });
  });

  it('defers a Refresh click with a silent acknowledgement, then edits the card message', async () => {
    const payload = fixture('button-refresh');
    const { body } = await harness.post(payload);
    expect(body).toEqual({ type: 6 });
    expectValidCallback(body);
    const edit = await harness.rest.waitFor((request) => request.path === originalPath(payload));
    expectValidEditOriginal(edit.body);
    expect(edit.body).toMatchObject({ embeds: [{ title: 'Critical: Checkout errors' }] });
  });

  it('answers what needs no metric at once', async () => {
    const started = performance.now();
    const { body } = await harness.post(fixture('autocomplete-show-id-by-title'));
    expect(body.type).toBe(8);
    expect((await harness.post(fixture('slash-list-open'))).body.type).toBe(4);
    expect(performance.now() - started).toBeLessThan(200);
  });

  it('counts the deferred replies', async () => {
    const text = await harness.test.app.metrics.registry.getSingleMetricAsString(
      'incident_cards_deferred_replies_total',
    );
    expect(text).toMatch(/platform="discord"} 2/);
  });
});

describe('a failing event store', () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness({ wrapBackend: failing });
  });
  afterAll(() => harness.close());

  it('still answers with the card, saying the metric is unavailable', async () => {
    const { status, body } = await harness.post(fixture('slash-show-in-installed-guild'));
    expect(status).toBe(200);
    expectValidCallback(body);
    expect(body.type).toBe(4);
    expect(body.data.embeds[0].description).toMatch(/^⚠️ Metric unavailable \(the event store query failed\)/);
    expect(body.data.components[0].components[0].label).toBe('Refresh');
  });
});
