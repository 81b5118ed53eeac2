// The gateway's life: refused Message Content intent (one clear error, HTTP interactions unharmed), recommended
// shard count, and `incident-cards discord gateway` as its own process that stops cleanly on SIGTERM.
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDiscordAdapter } from '../../../../adapters/discord/index.ts';
import { createDiscordGatewayAdapter } from '../../../../adapters/discord/gateway/index.ts';
import type { GatewayStart } from '../../../../adapters/discord/gateway/gateway.ts';
import { startServer } from '../../../../src/server.ts';
import { createTestApp } from '../../../support/test-app.ts';
import { createDiscordSigner } from '../signing.ts';
import { startFakeDiscord } from './fake-discord.ts';
import {
  ACME_CHANNELS,
  ACME_GUILD,
  GLOBEX_CHANNEL,
  GLOBEX_GUILD,
  startGatewayHarness,
} from './gateway-harness.ts';

const BIN = join(import.meta.dirname, '..', '..', '..', '..', 'bin', 'incident-cards.mjs');

describe('a bot without the Message Content intent', () => {
  it('logs why the gateway stopped and keeps answering interactions over HTTP', async () => {
    const fake = await startFakeDiscord({
      guilds: [{ id: ACME_GUILD, channels: ACME_CHANNELS }],
      refuseMessageContent: true,
    });
    const signer = createDiscordSigner();
    const test = await createTestApp({
      env: {
        DISCORD_BOT_TOKEN: 'test-bot-token',
        DISCORD_PUBLIC_KEY: signer.publicKeyHex,
        DISCORD_API_BASE_URL: fake.apiBaseUrl,
        DISCORD_GATEWAY: 'on',
      },
    });
    let started: (start: GatewayStart) => void = () => {};
    const outcome = new Promise<GatewayStart>((resolve) => {
      started = resolve;
    });
    const server = await startServer(
      test.app,
      [createDiscordAdapter(), createDiscordGatewayAdapter({ onStarted: started })],
      { port: 0, host: '127.0.0.1' },
    );
    try {
      const start = await outcome;
      expect(start.ok).toBe(false);
      expect(!start.ok && start.reason).toMatch(/Message Content Intent.*developer portal/);
      for (let waited = 0; !fake.closes.includes(4014) && waited < 5_000; waited += 20) {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      expect(fake.closes).toContain(4014);
      expect(fake.identifies).toHaveLength(1);
      const ping = JSON.stringify({
        type: 1,
        id: '1300000000000000555',
        application_id: '1300000000000000001',
      });
      const response = await fetch(`${server.url}/discord/interactions`, {
        method: 'POST',
        headers: signer.headers(ping),
        body: ping,
      });
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ type: 1 });
    } finally {
      await server.close();
      await test.close();
      await fake.close();
    }
  });
});

describe('automatic sharding', () => {
  let harness: Awaited<ReturnType<typeof startGatewayHarness>>;
  beforeAll(async () => {
    harness = await startGatewayHarness({ shards: 2 });
  });
  afterAll(() => harness.close());

  it('runs the shard count /gateway/bot recommends, each guild on its own shard', async () => {
    expect(await harness.gateway.started).toEqual({ ok: true, shards: 2 });
    expect(harness.fake.identifies.map((identify) => identify.shard).sort()).toEqual([
      [0, 2],
      [1, 2],
    ]);
    harness.send({
      channelId: GLOBEX_CHANNEL,
      guildId: GLOBEX_GUILD,
      content: 'https://globex.sentry.io/alerts/rules/details/3/?alert=7',
    });
    harness.send({
      channelId: ACME_CHANNELS[0]!,
      guildId: ACME_GUILD,
      content: 'https://cards.example.com/o/acme/incidents/42',
    });
    const requests = await harness.fake.waitForRequests(2);
    expect(requests.map((request) => request.channelId).sort()).toEqual(
      [ACME_CHANNELS[0], GLOBEX_CHANNEL].sort(),
    );
  });
});

describe('incident-cards discord gateway', () => {
  let dataDir: string;
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'incident-cards-gateway-'));
  });
  afterAll(() => rm(dataDir, { recursive: true, force: true }));

  it('runs the gateway alone and closes the session cleanly on SIGTERM', async () => {
    const fake = await startFakeDiscord({ guilds: [{ id: ACME_GUILD, channels: ACME_CHANNELS }] });
    try {
      const child = spawn('node', [BIN, 'discord', 'gateway'], {
        env: {
          ...process.env,
          DATA_DIR: dataDir,
          LOG_LEVEL: 'silent',
          DISCORD_BOT_TOKEN: 'test-bot-token',
          DISCORD_API_BASE_URL: fake.apiBaseUrl,
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stderr = '';
      child.stderr.on('data', (chunk) => {
        stderr += String(chunk);
      });
      const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
      await fake.waitForSessions(1, 30_000);
      const deadline = Date.now() + 30_000;
      while (!stderr.includes('discord gateway ready') && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
      expect(fake.closes).toContain(1000);
    } finally {
      await fake.close();
    }
  }, 60_000);

  it('explains itself with --help and refuses to start without a bot token', async () => {
    const help = await runCli(['discord', 'gateway', '--help'], {});
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/usage: incident-cards discord gateway/);
    expect(help.stdout).toMatch(/Message Content/);
    const missing = await runCli(['discord', 'gateway'], { DATA_DIR: dataDir });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/DISCORD_BOT_TOKEN/);
  }, 60_000);
});

function runCli(args: string[], env: Record<string, string>) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const { DISCORD_BOT_TOKEN: _unset, ...rest } = process.env;
    const child = spawn('node', [BIN, ...args], { env: { ...rest, LOG_LEVEL: 'silent', ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => {
      stdout += String(chunk);
    });
    child.stderr.on('data', (chunk) => {
      stderr += String(chunk);
    });
    child.once('exit', (code) => resolve({ code, stdout, stderr }));
  });
}
