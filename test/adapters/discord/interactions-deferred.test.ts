// Discord's deadline, on a fake clock so machine load cannot move it: a slow event store gets a deferred answer
// (5, or 6 for buttons) and an edit of @original through the REST client; a failing one still gets a card that
// says the value is unavailable.
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { QueryBackend } from '../../../src/query/backend.ts';
import {
  type GatedBackend,
  gatedBackend,
  untilReal,
  useFakeDeadlineClock,
  useRealClock,
} from '../../support/fake-clock.ts';
import { APPLICATION_ID, type Harness, startHarness } from './discord-harness.ts';
import { expectValidCallback, expectValidEditOriginal } from './discord-schemas.ts';
import { fixture } from './fixtures.ts';

/** Card links are signed (issue 17): the page path, then its expiry and signature. */
const SIGNED_PAGE_42 = expect.stringMatching(
  /^https:\/\/cards\.example\.com\/o\/acme\/incidents\/42\?exp=\d+&sig=[\w-]{43}$/,
);

function failing(backend: QueryBackend): QueryBackend {
  return Object.assign(Object.create(backend) as QueryBackend, {
    async runMetrics() {
      throw new Error('event store unreachable');
    },
  });
}

const originalPath = (payload: Record<string, unknown>) =>
  `/api/v10/webhooks/${APPLICATION_ID}/${payload.token as string}/messages/@original`;

describe('a slow event store (fake clock)', () => {
  let harness: Harness;
  let gate: GatedBackend;
  beforeAll(async () => {
    harness = await startHarness({
      deadlineMs: 200,
      env: { QUERY_TIMEOUT_MS: '60000' },
      wrapBackend: (backend) => {
        gate = gatedBackend(backend);
        return gate;
      },
    });
  });
  afterEach(() => useRealClock());
  afterAll(async () => {
    gate.release();
    await harness.close();
  });

  /** Posts on the fake clock, lets the deadline pass once the metric query has started, returns the answer. */
  async function postPastDeadline(payload: Record<string, unknown>) {
    gate.hold();
    useFakeDeadlineClock();
    const calls = gate.calls();
    let answer: { status: number; body: { type: number } } | undefined;
    void harness.post(payload).then((received) => {
      answer = received;
    });
    await untilReal(() => gate.calls() > calls);
    await vi.advanceTimersByTimeAsync(200);
    await untilReal(() => answer !== undefined);
    useRealClock();
    gate.release();
    return answer!;
  }

  it('defers /incident show, then edits @original with the card', async () => {
    const payload = fixture('slash-show-in-installed-guild');
    const { status, body } = await postPastDeadline(payload);
    expect(status).toBe(200);
    expect(body).toEqual({ type: 5 });
    expectValidCallback(body);
    const edit = await harness.rest.waitFor((request) => request.path === originalPath(payload));
    expect(edit.method).toBe('PATCH');
    expect(edit.authorization).toBeUndefined();
    expectValidEditOriginal(edit.body);
    expect(edit.body).toMatchObject({
      embeds: [{ url: SIGNED_PAGE_42 }],
    });
    // The Refresh row first, then the card's action rows.
    const rows = (edit.body as { components: { components: { custom_id?: string }[] }[] }).components;
    expect(rows[0]!.components[0]!.custom_id).toBe('ic1:r:acme:42');
  });

  it('defers a Refresh click with a silent acknowledgement, then edits the card message', async () => {
    const payload = fixture('button-refresh');
    const { body } = await postPastDeadline(payload);
    expect(body).toEqual({ type: 6 });
    expectValidCallback(body);
    const edit = await harness.rest.waitFor((request) => request.path === originalPath(payload));
    expectValidEditOriginal(edit.body);
    expect(edit.body).toMatchObject({ embeds: [{ title: 'Critical: Checkout errors' }] });
  });

  it('answers what needs no metric without waiting on the stuck event store', async () => {
    gate.hold();
    // The clock never moves here: a reply that waited on the event store would never come.
    useFakeDeadlineClock();
    const calls = gate.calls();
    const autocomplete = await harness.post(fixture('autocomplete-show-id-by-title'));
    expect(autocomplete.body.type).toBe(8);
    expect(autocomplete.body.data.choices.length).toBeGreaterThan(0);
    expect((await harness.post(fixture('slash-list-open'))).body.type).toBe(4);
    expect(gate.calls()).toBe(calls);
    useRealClock();
    gate.release();
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
    const { body } = await postPastDeadline(payload);
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
