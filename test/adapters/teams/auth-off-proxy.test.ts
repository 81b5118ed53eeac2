// TEAMS_AUTH=off is for a client on this machine talking to it directly: a request that came through a proxy
// (forwarding headers) or carries a non-loopback Host (DNS rebinding from a browser) is refused, over real HTTP.
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTeamsHarness, type TeamsHarness } from './harness.ts';

describe('TEAMS_AUTH=off behind a proxy or with a foreign Host', () => {
  let harness: TeamsHarness;
  beforeAll(async () => {
    harness = await startTeamsHarness({ MICROSOFT_APP_ID: '', TEAMS_AUTH: 'off' });
  });
  afterAll(() => harness?.close());

  async function post(headers: Record<string, string>) {
    const response = await request(`${harness.url}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(harness.fixture('message-help-in-group-chat')),
    });
    return { status: response.statusCode, text: await response.body.text() };
  }

  it.each([
    ['X-Forwarded-For', { 'x-forwarded-for': '203.0.113.9' }, /proxied/],
    ['Forwarded', { forwarded: 'for=203.0.113.9' }, /proxied/],
    ['X-Real-IP', { 'x-real-ip': '203.0.113.9' }, /proxied/],
    ['Via', { via: '1.1 proxy' }, /proxied/],
    ['a rebinding Host', { host: 'attacker.example:3978' }, /loopback Host/],
  ])('refuses a request with %s', async (_name, headers, reason) => {
    const answer = await post(headers);
    expect(answer.status).toBe(401);
    expect(answer.text).toMatch(reason);
    expect(harness.commands).toHaveLength(0);
  });

  it.each([['localhost:3978'], ['127.0.0.1'], ['[::1]:3978']])('accepts Host %s', async (host) => {
    expect((await post({ host })).status).toBe(200);
  });
});
