// Discord's REST answering 429 (rate limited) or 500 while a deferred reply is delivered: a 429 is waited out and
// the reply arrives; a persistent 500 is given up on after the client's retries, logged, and the server serves on.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import type { QueryBackend } from '../../src/query/backend.ts';
import { startHarness } from '../adapters/discord/discord-harness.ts';
import { fixture } from '../adapters/discord/fixtures.ts';

function slowed(backend: QueryBackend): QueryBackend {
  return {
    ...backend,
    name: backend.name,
    async runMetrics(queries, signal) {
      await new Promise((resolve) => setTimeout(resolve, 300));
      return backend.runMetrics(queries, signal);
    },
  };
}

/** A Discord REST that answers the first `failures` requests with `status`, then 200. */
async function flakyRest(status: number, failures: number) {
  const seen: number[] = [];
  const server = createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      const failing = seen.length < failures;
      seen.push(failing ? status : 200);
      if (failing && status === 429) {
        response.writeHead(429, {
          'content-type': 'application/json',
          'retry-after': '1',
          'x-ratelimit-scope': 'user',
        });
        response.end(
          JSON.stringify({ message: 'You are being rate limited.', retry_after: 0.2, global: false }),
        );
      } else if (failing) {
        response.writeHead(status, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ message: 'Internal Server Error', code: 0 }));
      } else {
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ id: '1300000000000000999' }));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/api`,
    seen,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

async function until(condition: () => boolean, timeoutMs: number) {
  const end = Date.now() + timeoutMs;
  while (!condition() && Date.now() < end) await new Promise((resolve) => setTimeout(resolve, 20));
  return condition();
}

describe('Discord REST faults during a deferred reply', () => {
  it('429: waits as told and delivers the reply', async () => {
    const rest = await flakyRest(429, 1);
    const harness = await startHarness({
      deadlineMs: 50,
      wrapBackend: slowed,
      env: { DISCORD_API_BASE_URL: rest.baseUrl },
    });
    try {
      expect((await harness.post(fixture('slash-show-in-installed-guild'))).body).toEqual({ type: 5 });
      expect(await until(() => rest.seen.includes(200), 15_000)).toBe(true);
      expect(rest.seen).toEqual([429, 200]);
    } finally {
      await harness.close();
      await rest.close();
    }
  }, 30_000);

  it('500 every time: gives up after bounded retries; the server keeps answering', async () => {
    const rest = await flakyRest(500, Number.POSITIVE_INFINITY);
    const harness = await startHarness({
      deadlineMs: 50,
      wrapBackend: slowed,
      env: { DISCORD_API_BASE_URL: rest.baseUrl },
    });
    try {
      expect((await harness.post(fixture('slash-show-in-installed-guild'))).body).toEqual({ type: 5 });
      expect(await until(() => rest.seen.length > 0, 10_000)).toBe(true);
      // The adapter's close waits for the late reply: it ends, so the retries are bounded.
      await harness.server.shutdown(20_000);
      expect(rest.seen.length).toBeGreaterThanOrEqual(1);
      expect(rest.seen.length).toBeLessThanOrEqual(5);
      expect(rest.seen.every((status) => status === 500)).toBe(true);
    } finally {
      await harness.test.close();
      await harness.rest.close();
      await rest.close();
    }
  }, 40_000);

  it('a failing REST does not stop the server answering new interactions', async () => {
    const rest = await flakyRest(500, Number.POSITIVE_INFINITY);
    const harness = await startHarness({ env: { DISCORD_API_BASE_URL: rest.baseUrl } });
    try {
      const { status, body } = await harness.post(fixture('slash-show-in-installed-guild'));
      expect(status).toBe(200);
      expect(body.type).toBe(4);
      expect((await harness.post({ type: 1 })).body).toEqual({ type: 1 });
    } finally {
      await harness.close();
      await rest.close();
    }
  });
});
