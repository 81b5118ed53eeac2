// The Teams adapter on the real server and store: a test App with the Teams dataset, the loopback OpenID
// server for inbound tokens and the fake connector for outbound messages. Requests go through the real
// POST /api/messages → CloudAdapter.process path with real signed JWTs.
import { readFileSync } from 'node:fs';
import { request } from 'undici';
import { teamsAdapter } from '../../../adapters/teams/index.ts';
import type { CommandInput } from '../../../src/command/model.ts';
import type { QueryBackend } from '../../../src/query/backend.ts';
import { startServer } from '../../../src/server.ts';
import { dataset, NOW } from '../../fixtures/teams/dataset.ts';
import { createTestApp, type TestApp } from '../../support/test-app.ts';
import { type FakeConnector, startFakeConnector } from '../../support/teams-connector.ts';
import { type OpenIdServer, type SignOptions, startOpenIdServer } from '../../support/teams-openid.ts';

export const APP_ID = 'a3f1c2d4-5e6f-4a7b-8c9d-0e1f2a3b4c5d';
export const PUBLIC_URL = 'https://incidents.example.com';

export type Activity = Record<string, unknown> & { serviceUrl: string };
export type Answer = { status: number; body: unknown; text: string };

export type TeamsHarness = {
  url: string;
  testApp: TestApp;
  openId: OpenIdServer;
  connector: FakeConnector;
  /** Every command the adapter dispatched, in order. */
  commands: CommandInput[];
  /** Makes every dispatch fail with an unexpected error until called with false. */
  breakDispatch(broken: boolean): void;
  /** A fixture activity from test/fixtures/teams, pointed at the fake connector. */
  fixture(name: string): Activity;
  /** Posts with a valid token unless `token` says otherwise (null: no Authorization header). */
  post(activity: Activity, options?: { token?: string | null; sign?: SignOptions }): Promise<Answer>;
  close(): Promise<void>;
};

export async function startTeamsHarness(
  env: Record<string, string> = {},
  options: { wrapBackend?: (backend: QueryBackend) => QueryBackend; dataset?: unknown } = {},
): Promise<TeamsHarness> {
  const openId = await startOpenIdServer();
  const connector = await startFakeConnector();
  const testApp = await createTestApp({
    dataset: options.dataset ?? dataset,
    now: () => NOW,
    wrapBackend: options.wrapBackend,
    env: {
      PUBLIC_URL,
      MICROSOFT_APP_ID: APP_ID,
      TEAMS_OPENID_METADATA_URL: openId.metadataUrl,
      ...env,
    },
  });
  const commands: CommandInput[] = [];
  const dispatch = testApp.app.dispatch;
  let broken = false;
  testApp.app.dispatch = (command, options) => {
    commands.push(command);
    return broken ? Promise.reject(new Error('the store fell over')) : dispatch(command, options);
  };
  const server = await startServer(testApp.app, [teamsAdapter], { port: 0, host: '127.0.0.1' });
  return {
    url: server.url,
    testApp,
    openId,
    connector,
    commands,
    breakDispatch: (value) => {
      broken = value;
    },
    fixture: (name) => ({ ...loadFixture(name), serviceUrl: connector.serviceUrl }),
    async post(activity, options = {}) {
      const token =
        options.token === undefined
          ? await openId.sign(APP_ID, activity.serviceUrl, options.sign)
          : options.token;
      return postActivity(server.url, activity, token);
    },
    async close() {
      await server.close();
      await testApp.close();
      await connector.close();
      await openId.close();
    },
  };
}

export function loadFixture(name: string): Activity {
  const file = new URL(`../../fixtures/teams/${name}.json`, import.meta.url);
  return JSON.parse(readFileSync(file, 'utf8')) as Activity;
}

export async function postActivity(
  baseUrl: string,
  activity: unknown,
  token: string | null,
): Promise<Answer> {
  const response = await request(`${baseUrl}/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(activity),
  });
  const text = await response.body.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // Plain-text answers (401 reasons) stay text.
  }
  return { status: response.statusCode, body, text };
}
