// Link unfurls end to end: the fake Discord dispatches messages over a real WebSocket, the real discord.js
// client receives them, and the replies it sends through REST are checked against Discord's OpenAPI schema.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectValidCreateMessage } from '../discord-schemas.ts';
import {
  ACME_CHANNELS,
  ACME_GUILD,
  type GatewayHarness,
  link,
  startGatewayHarness,
} from './gateway-harness.ts';

// biome-ignore lint/suspicious/noExplicitAny: bodies are checked against Discord's schema first, then read freely
type Body = any;

describe('a message with incident links', () => {
  let harness: GatewayHarness;
  beforeAll(async () => {
    harness = await startGatewayHarness();
    expect(await harness.gateway.started).toEqual({ ok: true, shards: 1 });
  });
  afterAll(() => harness.close());

  it('gets one reply with the live card', async () => {
    const id = harness.send({
      channelId: ACME_CHANNELS[0]!,
      guildId: ACME_GUILD,
      content: `look at ${link('acme', 42)} please`,
    });
    const [request] = await harness.fake.waitForRequests(1);
    expect(request).toMatchObject({ method: 'POST', channelId: ACME_CHANNELS[0], authorization: 'Bot test-bot-token' });
    expectValidCreateMessage(request!.body);
    const body = request!.body as Body;
    expect(body.message_reference).toEqual({ message_id: id, fail_if_not_exists: true });
    expect(body.allowed_mentions).toEqual({ parse: [], replied_user: false });
    expect(body.embeds).toHaveLength(1);
    expect(body.embeds[0]).toMatchObject({ url: link('acme', 42), title: 'Critical: Checkout errors' });
    expect(body.components[0].components.map((button: Body) => button.custom_id ?? button.url)).toEqual([
      'ic1:r:acme:42',
      link('acme', 42),
      'ic1:x:1300000000000000200',
    ]);
  });
});
