// The real discord.js gateway client against the fake Discord: a test app with the Discord fixture dataset
// (plus twelve more acme incidents, for messages with ten links and more), logged in and ready.
import { adapterContext } from '../../../../src/adapter.ts';
import { discordSettings } from '../../../../adapters/discord/config.ts';
import { readFileSync } from 'node:fs';
import { type RunningGateway, startGateway } from '../../../../adapters/discord/gateway/gateway.ts';
import type { QueryBackend } from '../../../../src/query/backend.ts';
import { createTestApp, type TestApp } from '../../../support/test-app.ts';
import {
  type FakeDiscord,
  type FakeDiscordOptions,
  messagePayload,
  startFakeDiscord,
} from './fake-discord.ts';

export const PUBLIC_URL = 'https://cards.example.com';
export const ACME_GUILD = '111122223333444455';
export const GLOBEX_GUILD = '222233334444555566';
/** Not connected to any organization. */
export const UNKNOWN_GUILD = '333344445555666677';
export const ACME_CHANNELS = Array.from({ length: 12 }, (_, i) =>
  String(1_200_000_000_000_000_000n + BigInt(i)),
);
export const GLOBEX_CHANNEL = '1200000000000000900';
export const UNKNOWN_CHANNEL = '1200000000000000950';
export const EXTRA_IDENTIFIERS = Array.from({ length: 12 }, (_, i) => 100 + i);

export const link = (organizationId: string, identifier: number) =>
  `${PUBLIC_URL}/o/${organizationId}/incidents/${identifier}`;

function dataset(): unknown {
  const base = JSON.parse(
    readFileSync(new URL('../../../fixtures/discord/dataset.json', import.meta.url), 'utf8'),
  ) as { incidents: { id: number; identifier: number; organizationId: string; title: string }[] };
  const template = base.incidents.find((incident) => incident.identifier === 42)!;
  const extra = EXTRA_IDENTIFIERS.map((identifier) => ({
    ...template,
    id: 6000 + identifier,
    identifier,
    title: `Checkout errors, copy ${identifier}`,
  }));
  return { ...base, incidents: [...base.incidents, ...extra] };
}

export type GatewayHarness = {
  test: TestApp;
  fake: FakeDiscord;
  gateway: RunningGateway;
  /** Dispatches MESSAGE_CREATE and returns the message id. */
  send(fields: Omit<Parameters<typeof messagePayload>[0], 'id'> & { id?: string }): string;
  update(fields: Parameters<typeof messagePayload>[0]): void;
  remove(id: string, channelId: string, guildId: string): void;
  close(): Promise<void>;
};

export type GatewayHarnessOptions = Partial<Omit<FakeDiscordOptions, 'guilds'>> & {
  env?: Record<string, string>;
  wrapBackend?: (backend: QueryBackend) => QueryBackend;
  now?: () => number;
};

export async function startGatewayHarness(options: GatewayHarnessOptions = {}): Promise<GatewayHarness> {
  const fake = await startFakeDiscord({
    guilds: [
      { id: ACME_GUILD, channels: ACME_CHANNELS },
      { id: GLOBEX_GUILD, channels: [GLOBEX_CHANNEL] },
      { id: UNKNOWN_GUILD, channels: [UNKNOWN_CHANNEL] },
    ],
    ...options,
  });
  const test = await createTestApp({
    dataset: dataset(),
    wrapBackend: options.wrapBackend,
    env: {
      PUBLIC_URL,
      DISCORD_BOT_TOKEN: 'test-bot-token',
      DISCORD_API_BASE_URL: fake.apiBaseUrl,
      DISCORD_GATEWAY: 'on',
      ...options.env,
    },
  });
  const gateway = startGateway(adapterContext(test.app), discordSettings(test.app.config.env), {
    now: options.now,
  });
  let nextId = 1_500_000_000_000_000_000n;
  return {
    test,
    fake,
    gateway,
    send(fields) {
      const id = fields.id ?? String(nextId++);
      fake.dispatch('MESSAGE_CREATE', messagePayload({ ...fields, id }), fields.guildId);
      return id;
    },
    update(fields) {
      fake.dispatch('MESSAGE_UPDATE', messagePayload({ ...fields, edited: true }), fields.guildId);
    },
    remove(id, channelId, guildId) {
      fake.dispatch('MESSAGE_DELETE', { id, channel_id: channelId, guild_id: guildId }, guildId);
    },
    async close() {
      await gateway.close();
      await test.close();
      await fake.close();
    },
  };
}
