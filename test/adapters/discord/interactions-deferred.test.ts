// Discord's deadline: a slow event store gets a deferred answer (5, or 6 for buttons) and an edit of
// @original through the REST client; a failing one still gets a card that says the value is unavailable.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { QueryBackend } from '../../../src/query/backend.ts';
import { APPLICATION_ID, type Harness, startHarness } from './discord-harness.ts';
import { expectValidCallback, expectValidEditOriginal } from './discord-schemas.ts';
import { fixture } from './fixtures.ts';

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
      embeds: [{ url: 'https://cards.example.com/o/acme/incidents/42' }],
    });
    // The Refresh row first, then the card's action rows.
    const rows = (edit.body as { components: { components: { custom_id?: string }[] }[] }).components;
    expect(rows[0]!.components[0]!.custom_id).toBe('ic1:r:acme:42');
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

  it('defers an action with DEFERRED_UPDATE_MESSAGE, then edits the card message with the acted-on card', async () => {
    const version = harness.test.app.repository.findIncident('acme', 45)!.incident.version ?? 1;
    const payload = {
      ...fixture('button-refresh'),
      id: '1300000000000000777',
      token: 'action-token-deferred',
      member: { ...(fixture('button-refresh').member as object), permissions: String(1 << 13) },
      data: { component_type: 2, custom_id: `ic1:a:ack:acme:45:${version}` },
    };
    const { body } = await harness.post(payload);
    expect(body).toEqual({ type: 6 });
    const edit = await harness.rest.waitFor((request) => request.path === originalPath(payload));
    expectValidEditOriginal(edit.body);
    expect(JSON.stringify(edit.body)).toMatch(/Acknowledged by Ana · <t:\d+:R>/);
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
