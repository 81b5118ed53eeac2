// The smaller findings of the review, each as the behaviour that now holds.
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { createLogger } from '../../src/log.ts';
import { type Harness, startHarness } from '../adapters/discord/discord-harness.ts';
import { fixture } from '../adapters/discord/fixtures.ts';

describe('/readyz', () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness();
  });
  afterAll(() => harness.close());

  it('tells a caller on this machine the details, and a proxied (public) caller only ready or not', async () => {
    const local = await fetch(`${harness.server.url}/readyz`);
    expect(await local.json()).toEqual({ status: 'ready', backend: 'duckdb' });
    const proxied = await fetch(`${harness.server.url}/readyz`, {
      headers: { 'x-forwarded-for': '203.0.113.9' },
    });
    expect(await proxied.json()).toEqual({ status: 'ready' });
  });

  it('a Discord PING is answered from its type alone', async () => {
    const { status, body } = await harness.post({ type: 1, anything: { else: [1, 'x'] } });
    expect(status).toBe(200);
    expect(body).toEqual({ type: 1 });
  });

  it('deeply nested Discord options are a 400, not a 500', async () => {
    const payload = fixture('slash-show-in-installed-guild') as { data: Record<string, unknown> };
    // Written as text: too deep for JSON.stringify itself.
    const levels = 20_000;
    const options = `${'[{"name":"show","type":1,"options":'.repeat(levels)}[]${'}]'.repeat(levels)}`;
    const text = JSON.stringify({ ...payload, data: { ...payload.data, options: '§' } }).replace(
      '"§"',
      options,
    );
    const { status } = await harness.post(text);
    expect(status).toBe(400);
  });

  it('an unsigned Discord request is refused before its body is read', async () => {
    const response = await fetch(`${harness.server.url}/discord/interactions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect(response.status).toBe(401);
  });
});

describe('CLICKHOUSE_URL credentials', () => {
  it('are used, not silently dropped', () => {
    const loaded = loadConfig({ CLICKHOUSE_URL: 'http://reader:s%40cret@127.0.0.1:8123' });
    expect(loaded.ok && loaded.config.clickhouse).toMatchObject({
      url: 'http://127.0.0.1:8123',
      user: 'reader',
      password: 's@cret',
    });
  });

  it('are refused beside CLICKHOUSE_USER', () => {
    const loaded = loadConfig({ CLICKHOUSE_URL: 'http://reader:x@127.0.0.1:8123', CLICKHOUSE_USER: 'other' });
    expect(loaded).toMatchObject({ ok: false, reason: expect.stringMatching(/carries credentials/) });
  });
});

describe('logs', () => {
  it('never carry interaction tokens, Authorization headers or secrets', () => {
    let written = '';
    const sink = new Writable({
      write(chunk, _encoding, done) {
        written += chunk.toString();
        done();
      },
    });
    const logger = createLogger('info', sink);
    logger.info({ interaction: { id: '1', token: 'aW50ZXJhY3Rpb24tdG9rZW4' } }, 'one');
    logger.info({ headers: { authorization: 'Bearer eyJhbGciOi' } }, 'two');
    logger.info({ token: 'tkn-123', password: 'pw-123', signingSecret: 'sec-123' }, 'three');
    expect(written).toContain('[redacted]');
    for (const secret of ['aW50ZXJhY3Rpb24tdG9rZW4', 'eyJhbGciOi', 'tkn-123', 'pw-123', 'sec-123'])
      expect(written).not.toContain(secret);
  });
});
