// Inbound authentication through POST /api/messages → CloudAdapter.process with tokens signed by a loopback
// OpenID server: only a token botbuilder accepts gets an answer; every other one is 401, never 500.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { SignOptions } from '../../support/teams-openid.ts';
import { APP_ID, startTeamsHarness, type TeamsHarness } from './harness.ts';

let harness: TeamsHarness;
beforeAll(async () => {
  // CloudAdapter prints every refused request to the console itself; the 401s below are the point here.
  vi.spyOn(console, 'error').mockImplementation(() => {});
  harness = await startTeamsHarness();
});
afterAll(() => harness?.close());

const QUERY_LINK = 'query-link-own-incident';

describe('a signed composeExtension/queryLink invoke', () => {
  it('with a valid token is answered with the unfurl', async () => {
    const answer = await harness.post(harness.fixture(QUERY_LINK));
    expect(answer.status).toBe(200);
    expect(JSON.stringify(answer.body)).toContain('Critical: Checkout errors');
  });

  it.each<[string, SignOptions]>([
    ['another app is the audience', { audience: 'b1b2b3b4-0000-4000-8000-000000000000' }],
    ['another issuer signed it', { issuer: 'https://sts.example.com/' }],
    ['it expired (beyond the 5 minute clock skew)', { expiresIn: -600 }],
    ['it is not valid yet (beyond the clock skew)', { notBeforeIn: 600 }],
    ['its serviceurl claim names another connector', { serviceUrl: 'https://smba.trafficmanager.net/emea/' }],
    ['its key is endorsed for skype only, not msteams', { key: 'skype-only' }],
    ['another key forged the signature under the published key id', { key: 'forged' }],
  ])('is refused with 401 when %s', async (_situation, sign) => {
    const answer = await harness.post(harness.fixture(QUERY_LINK), { sign });
    expect(answer.status).toBe(401);
    expect(harness.commands).toHaveLength(1);
  });

  it.each<[string, string | null]>([
    ['there is no Authorization header', null],
    ['the token is not a JWT', 'not-a-jwt'],
  ])('is refused with 401 when %s', async (_situation, token) => {
    const answer = await harness.post(harness.fixture(QUERY_LINK), { token });
    expect(answer.status).toBe(401);
  });

  it('is refused when the scheme is not Bearer', async () => {
    const token = await harness.openId.sign(APP_ID, harness.connector.serviceUrl);
    const response = await fetch(`${harness.url}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Basic ${token}` },
      body: JSON.stringify(harness.fixture(QUERY_LINK)),
    });
    expect(response.status).toBe(401);
  });
});

describe('requests that are not activities', () => {
  it('answers 415 to a body that is not JSON', async () => {
    const response = await fetch(`${harness.url}/api/messages`, { method: 'POST', body: 'hello' });
    expect(response.status).toBe(415);
  });

  it('answers 400 to JSON that is not one activity', async () => {
    const response = await fetch(`${harness.url}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '[1,2]',
    });
    expect(response.status).toBe(400);
  });

  it('answers 413 to an oversized body', async () => {
    const response = await fetch(`${harness.url}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ type: 'message', text: 'x'.repeat(300_000) }),
    });
    expect(response.status).toBe(413);
  });
});
