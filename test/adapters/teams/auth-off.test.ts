// TEAMS_AUTH=off, for a local client such as the Microsoft 365 Agents Playground: no token, loopback only,
// never with an app id or in production. The message flow and card refresh work end to end without a token.
import { Readable } from 'node:stream';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { teamsAdapter } from '../../../adapters/teams/index.ts';
import { messagesRoute } from '../../../adapters/teams/routes.ts';
import { adapterContext } from '../../../src/adapter.ts';
import { createLogger } from '../../../src/log.ts';
import { dataset } from '../../fixtures/teams/dataset.ts';
import { createTestApp } from '../../support/test-app.ts';
import { startTeamsHarness, type TeamsHarness } from './harness.ts';
import { checkedCards } from './schemas.ts';

describe('with TEAMS_AUTH=off and no app id, on loopback', () => {
  let harness: TeamsHarness;
  beforeAll(async () => {
    harness = await startTeamsHarness({ MICROSOFT_APP_ID: '', TEAMS_AUTH: 'off' });
  });
  afterAll(() => harness?.close());

  it('answers a message without a token and replies to the local connector', async () => {
    const answer = await harness.post(harness.fixture('message-incident-42-in-channel'), { token: null });
    expect(answer.status).toBe(200);
    const call = harness.connector.calls.at(-1);
    expect(call?.authorization).toBeUndefined();
    expect(JSON.stringify(checkedCards(call?.activity))).toContain('Critical: Checkout errors');
  });

  it('refreshes a card without a token', async () => {
    const answer = await harness.post(harness.fixture('card-refresh-manual'), { token: null });
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ statusCode: 200, type: 'application/vnd.microsoft.card.adaptive' });
    checkedCards(answer.body);
  });

  it('will not send replies to a serviceUrl off this machine', async () => {
    const activity = {
      ...harness.fixture('message-help-in-group-chat'),
      serviceUrl: 'https://smba.trafficmanager.net/amer/',
    };
    const answer = await harness.post(activity, { token: null });
    expect(answer.status).toBe(400);
  });
});

describe('refusals', () => {
  it.each([
    [
      'an app id is set',
      { TEAMS_AUTH: 'off', MICROSOFT_APP_ID: 'a3f1c2d4-5e6f-4a7b-8c9d-0e1f2a3b4c5d' },
      /MICROSOFT_APP_ID is set/,
    ],
    ['NODE_ENV is production', { TEAMS_AUTH: 'off', NODE_ENV: 'production' }, /NODE_ENV=production/],
  ])('the adapter refuses to start with TEAMS_AUTH=off when %s', async (_situation, env, message) => {
    const testApp = await createTestApp({ dataset, env });
    try {
      expect(() => teamsAdapter(adapterContext(testApp.app))).toThrow(message);
    } finally {
      await testApp.close();
    }
  });

  it('refuses an unauthenticated request from another machine', async () => {
    const testApp = await createTestApp({ env: { TEAMS_AUTH: 'off' } });
    try {
      const route = teamsAdapter(adapterContext(testApp.app)).routes[0]!;
      const answer = await call(route.handle, '10.20.30.40', { type: 'message' });
      expect(answer).toMatchObject({ status: 401, body: /loopback only/ });
    } finally {
      await testApp.close();
    }
  });

  it('answers 503 with the reason when Teams is not configured', async () => {
    const route = messagesRoute({
      auth: { mode: 'unconfigured', reason: 'Teams is not configured: set MICROSOFT_APP_ID' },
      runtime: null,
      logger: createLogger('silent'),
    });
    const answer = await call(route.handle, '127.0.0.1', { type: 'message' });
    expect(answer).toMatchObject({ status: 503, body: /set MICROSOFT_APP_ID/ });
  });
});

/** Calls a route handler with a request from `remoteAddress` and collects the answer. */
async function call(
  handle: (request: IncomingMessage, response: ServerResponse) => Promise<void>,
  remoteAddress: string,
  activity: unknown,
): Promise<{ status: number; body: string }> {
  const request = Object.assign(Readable.from([Buffer.from(JSON.stringify(activity))]), {
    headers: { 'content-type': 'application/json' },
    method: 'POST',
    socket: { remoteAddress },
  }) as unknown as IncomingMessage;
  let status = 0;
  let body = '';
  const response = {
    writeHead(code: number) {
      status = code;
      return response;
    },
    end(text?: string) {
      body = text ?? '';
    },
  } as unknown as ServerResponse;
  await handle(request, response);
  return { status, body };
}
