// The HTTP contract of POST /discord/interactions: every status code, on a real server with real signatures.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from './discord-harness.ts';
import { expectValidCallback } from './discord-schemas.ts';
import { fixture, fixtureText } from './fixtures.ts';

describe('POST /discord/interactions', () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness();
  });
  afterAll(() => harness.close());

  it('answers a signed PING with PONG', async () => {
    const { status, body } = await harness.post(fixtureText('ping'));
    expect(status).toBe(200);
    expect(body).toEqual({ type: 1 });
    expectValidCallback(body);
  });

  it('401 without signature headers', async () => {
    const { status, body } = await harness.post(fixtureText('ping'), { sign: false });
    expect(status).toBe(401);
    expect(body.error).toBe('invalid request signature: missing signature headers');
  });

  it('401 for a body changed after signing', async () => {
    const signed = fixtureText('ping');
    const headers = harness.signer.headers(signed);
    const tampered = signed.replace('"type": 1', '"type": 2');
    expect(tampered).not.toBe(signed);
    const { status } = await harness.post(tampered, { sign: false, headers });
    expect(status).toBe(401);
  });

  it('401 for a replayed request (signed six minutes ago)', async () => {
    const { status, body } = await harness.post(fixtureText('ping'), {
      timestamp: Math.floor(Date.now() / 1000) - 360,
    });
    expect(status).toBe(401);
    expect(body.error).toContain('timestamp too old');
  });

  it('401 for a timestamp two minutes in the future', async () => {
    const { status } = await harness.post(fixtureText('ping'), {
      timestamp: Math.floor(Date.now() / 1000) + 120,
    });
    expect(status).toBe(401);
  });

  it('401 for a signature from another key', async () => {
    const body = fixtureText('ping');
    const { createDiscordSigner } = await import('./signing.ts');
    const { status } = await harness.post(body, {
      sign: false,
      headers: createDiscordSigner().headers(body),
    });
    expect(status).toBe(401);
  });

  it('413 for a body over 1 MiB, before looking at the signature', async () => {
    const huge = JSON.stringify({ type: 1, padding: 'x'.repeat(1024 * 1024) });
    const { status, body } = await harness.post(huge, { sign: false });
    expect(status).toBe(413);
    expect(body.error).toMatch(/1 MiB/);
  });

  it('400 with a one-line reason for signed malformed JSON', async () => {
    const { status, body } = await harness.post('{"type": 2,');
    expect(status).toBe(400);
    expect(body.error).toMatch(/^malformed JSON/);
    expect(body.error).not.toContain('\n');
  });

  it('400 with the failing field for a signed payload that fails the schema', async () => {
    const payload = { ...fixture('slash-help'), guild_id: 'not-a-snowflake' };
    const { status, body } = await harness.post(payload);
    expect(status).toBe(400);
    expect(body.error).toBe('guild_id: must be a snowflake');
  });

  it('counts the requests by status', async () => {
    const text = await harness.test.app.metrics.registry.getSingleMetricAsString(
      'incident_cards_http_requests_total',
    );
    expect(text).toMatch(/route="\/discord\/interactions",status="401"/);
  });
});

describe('POST /discord/interactions without DISCORD_PUBLIC_KEY', () => {
  it('503 with a reason', async () => {
    const harness = await startHarness({ withoutPublicKey: true });
    try {
      const { status, body } = await harness.post(fixtureText('ping'));
      expect(status).toBe(503);
      expect(body.error).toContain('DISCORD_PUBLIC_KEY');
    } finally {
      await harness.close();
    }
  });
});
