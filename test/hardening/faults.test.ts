// Faults from the outside world, each with what the server must do: answer in bounded time, share the work,
// cancel what nobody waits for, and keep serving.
import { afterEach, describe, expect, it } from 'vitest';
import { teamsAdapter } from '../../adapters/teams/index.ts';
import { createClickHouseBackend } from '../../src/query/backends/clickhouse.ts';
import { createBulkRunner } from '../../src/query/bulk-runner.ts';
import { startServer } from '../../src/server.ts';
import { postActivity } from '../adapters/teams/harness.ts';
import { type HangingServer, startHangingServer } from '../support/hanging-server.ts';
import { startOpenIdServer } from '../support/teams-openid.ts';
import { createTestApp } from '../support/test-app.ts';

let hanging: HangingServer | undefined;
afterEach(async () => hanging?.close());

async function until(condition: () => boolean, timeoutMs = 10_000) {
  const end = Date.now() + timeoutMs;
  while (!condition() && Date.now() < end) await new Promise((resolve) => setTimeout(resolve, 20));
  return condition();
}

describe('a hanging OpenID endpoint', () => {
  it('20 forged tokens share one time-limited key fetch, are refused, and hold no socket afterwards', async () => {
    hanging = await startHangingServer();
    const openId = await startOpenIdServer();
    const test = await createTestApp({
      env: {
        MICROSOFT_APP_ID: 'a3f1c2d4-5e6f-4a7b-8c9d-0e1f2a3b4c5d',
        TEAMS_OPENID_METADATA_URL: `${hanging.url}/.well-known/openidconfiguration`,
      },
    });
    const server = await startServer(test.app, [teamsAdapter], { port: 0, host: '127.0.0.1' });
    try {
      const activity = { type: 'message', serviceUrl: 'https://smba.trafficmanager.net/amer/', text: 'hi' };
      const token = await openId.sign('a3f1c2d4-5e6f-4a7b-8c9d-0e1f2a3b4c5d', activity.serviceUrl);
      const answers = await Promise.all(
        Array.from({ length: 20 }, () => postActivity(server.url, activity, token)),
      );
      expect(answers.map((answer) => answer.status)).toEqual(Array(20).fill(401));
      expect(hanging.accepted()).toBe(1);
      expect(await until(() => hanging!.open() === 0)).toBe(true);
      // The failure is remembered: the next forged tokens are refused without another fetch.
      const again = await postActivity(server.url, activity, token);
      expect(again.status).toBe(401);
      expect(hanging.accepted()).toBe(1);
    } finally {
      await server.close();
      await test.close();
      await openId.close();
    }
  }, 30_000);
});

describe('a hanging ClickHouse', () => {
  it('metric queries answer "timeout" within the runner limit and leave no request behind', async () => {
    hanging = await startHangingServer();
    const backend = await createClickHouseBackend({
      url: hanging.url,
      database: 'hang_test',
      timeoutMs: 300,
    });
    const runner = createBulkRunner({ backend, cacheMs: 0, timeoutMs: 300 });
    try {
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          runner.load({
            dataset: 'events',
            aggregate: { fn: 'count' },
            filter: null,
            projectIds: [1],
            environment: null,
            start: 0,
            end: 1_000 + i,
          }),
        ),
      );
      expect(results.every((result) => !result.ok && result.reason === 'timeout')).toBe(true);
      // One shared schema check, not one per query.
      expect(hanging.accepted()).toBeLessThanOrEqual(2);
    } finally {
      await backend.close();
    }
    expect(await until(() => hanging!.open() === 0)).toBe(true);
  }, 30_000);
});
