// The Discord route on a real loopback server: a test app with the situation's dataset, a generated Ed25519
// key, a fake Discord REST, and a client that signs like Discord (or deliberately does not).
import { readFileSync } from 'node:fs';
import { createDiscordAdapter } from '../../../adapters/discord/index.ts';
import type { QueryBackend } from '../../../src/query/backend.ts';
import { type RunningServer, startServer } from '../../../src/server.ts';
import { createTestApp, type TestApp } from '../../support/test-app.ts';
import { type FakeDiscordRest, startFakeDiscordRest } from './fake-discord-rest.ts';
import { createDiscordSigner, type DiscordSigner } from './signing.ts';

export const PUBLIC_URL = 'https://cards.example.com';
export const APPLICATION_ID = '1300000000000000001';
export const DATASET = JSON.parse(
  readFileSync(new URL('../../fixtures/discord/dataset.json', import.meta.url), 'utf8'),
) as unknown;

export type Harness = {
  test: TestApp;
  server: RunningServer;
  rest: FakeDiscordRest;
  signer: DiscordSigner;
  /** POSTs a signed body; `sign: false` sends it unsigned, `timestamp` signs with that time (seconds). */
  post(
    body: string | object,
    options?: { sign?: boolean; timestamp?: number; headers?: Record<string, string> },
    // biome-ignore lint/suspicious/noExplicitAny: bodies are checked against Discord's schema by the tests, then read freely
  ): Promise<{ status: number; body: any }>;
  close(): Promise<void>;
};

export type HarnessOptions = {
  deadlineMs?: number;
  wrapBackend?: (backend: QueryBackend) => QueryBackend;
  env?: Record<string, string>;
  /** Replaces the situation's dataset (e.g. with members and responder roles). */
  dataset?: unknown;
  /** Leaves DISCORD_PUBLIC_KEY unset. */
  withoutPublicKey?: boolean;
};

export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const signer = createDiscordSigner();
  const rest = await startFakeDiscordRest();
  const test = await createTestApp({
    dataset: options.dataset ?? DATASET,
    wrapBackend: options.wrapBackend,
    env: {
      PUBLIC_URL,
      DISCORD_APPLICATION_ID: APPLICATION_ID,
      DISCORD_PUBLIC_KEY: options.withoutPublicKey ? undefined : signer.publicKeyHex,
      DISCORD_BOT_TOKEN: 'test-bot-token',
      DISCORD_API_BASE_URL: rest.baseUrl,
      ...options.env,
    },
  });
  const server = await startServer(test.app, [createDiscordAdapter({ deadlineMs: options.deadlineMs })], {
    port: 0,
    host: '127.0.0.1',
  });
  return {
    test,
    server,
    rest,
    signer,
    async post(body, postOptions = {}) {
      const text = typeof body === 'string' ? body : JSON.stringify(body);
      const headers =
        postOptions.sign === false
          ? { 'content-type': 'application/json' }
          : signer.headers(text, postOptions.timestamp);
      const response = await fetch(`${server.url}/discord/interactions`, {
        method: 'POST',
        headers: { ...headers, ...postOptions.headers },
        body: text,
      });
      const raw = await response.text();
      return { status: response.status, body: raw ? JSON.parse(raw) : null };
    },
    async close() {
      await server.close();
      await test.close();
      await rest.close();
    },
  };
}
