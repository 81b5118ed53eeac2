// The contract's Discord side: signed interactions to POST /discord/interactions, with Discord's real
// default deadline; every answer validated against Discord's OpenAPI schema.
import { createDiscordAdapter } from '../../../adapters/discord/index.ts';
import { startServer } from '../../../src/server.ts';
import { NOW } from '../../fixtures/teams/dataset.ts';
import { createTestApp } from '../../support/test-app.ts';
import { expectValidCallback } from '../discord/discord-schemas.ts';
import { startFakeDiscordRest } from '../discord/fake-discord-rest.ts';
import { fixture } from '../discord/fixtures.ts';
import { createDiscordSigner } from '../discord/signing.ts';
import {
  type Ask,
  contractDataset,
  DISCORD_GUILDS,
  type Outcome,
  type Platform,
  type Tenant,
} from './driver.ts';

const EPHEMERAL = 64;

function interaction(tenant: Tenant, ask: Ask): Record<string, unknown> {
  const guildId = DISCORD_GUILDS[tenant];
  const base = fixture(ask.kind === 'help' ? 'slash-help' : 'slash-show-in-installed-guild');
  const patched = { ...base, guild_id: guildId, guild: { ...(base.guild as object), id: guildId } };
  if (ask.kind === 'help') return patched;
  const data = base.data as { options: [{ options: [{ value: string }] }] };
  const show = data.options[0];
  return {
    ...patched,
    data: {
      ...data,
      options: [{ ...show, options: [{ ...show.options[0], value: String(ask.identifier) }] }],
    },
  };
}

// biome-ignore lint/suspicious/noExplicitAny: the body was validated against Discord's schema just before
function outcome(status: number, body: any): Outcome {
  expectValidCallback(body);
  const text = JSON.stringify(body.data);
  const [embed] = body.data.embeds ?? [];
  if (embed?.footer?.text?.includes('incident #')) return { status, kind: 'card', text };
  if (body.data.flags === EPHEMERAL && body.data.content) return { status, kind: 'error', text };
  if (body.data.flags === EPHEMERAL && embed) return { status, kind: 'help', text };
  throw new Error(`unrecognised Discord answer ${text}`);
}

export const discord: Platform = {
  name: 'discord',
  commandPrefix: '/incident',
  listHint: '`/incident list`',
  foreignWords: /@bot|Teams|tenant/,
  async start(options = {}) {
    const signer = createDiscordSigner();
    const rest = await startFakeDiscordRest();
    const test = await createTestApp({
      dataset: contractDataset,
      now: () => NOW,
      wrapBackend: options.wrapBackend,
      env: {
        PUBLIC_URL: 'https://incidents.example.com',
        DISCORD_APPLICATION_ID: '1300000000000000001',
        DISCORD_PUBLIC_KEY: signer.publicKeyHex,
        DISCORD_API_BASE_URL: rest.baseUrl,
      },
    });
    const server = await startServer(test.app, [createDiscordAdapter()], { port: 0, host: '127.0.0.1' });
    return {
      async ask(tenant, ask) {
        const text = JSON.stringify(interaction(tenant, ask));
        const response = await fetch(`${server.url}/discord/interactions`, {
          method: 'POST',
          headers: signer.headers(text),
          body: text,
        });
        return outcome(response.status, await response.json());
      },
      async close() {
        await server.close();
        await test.close();
        await rest.close();
      },
    };
  },
};
