// The wrappers around botbuilder's validation: a token is verified once per channel and serviceUrl until it
// expires, and the per-request connector and user-token clients are built once.
import type { Activity } from 'botbuilder';
import {
  type AuthenticateRequestResult,
  BotFrameworkAuthentication,
  ClaimsIdentity,
  type ConnectorClient,
  ConnectorFactory,
  type UserTokenClient,
} from 'botframework-connector';
import { describe, expect, it } from 'vitest';
import { reuseClients } from '../../../adapters/teams/client-reuse.ts';
import { rememberValidTokens } from '../../../adapters/teams/token-cache.ts';

const NOW = 1_800_000_000_000;

class CountingFactory extends ConnectorFactory {
  created = 0;
  override async create(): Promise<ConnectorClient> {
    this.created += 1;
    return { id: this.created } as unknown as ConnectorClient;
  }
}

/** Stands in for botbuilder's validation: accepts the header "Bearer good", counting its work. */
class FakeValidation extends BotFrameworkAuthentication {
  checks = 0;
  userTokenClients = 0;
  readonly factory = new CountingFactory();
  override async authenticateRequest(
    _activity: Activity,
    authHeader: string,
  ): Promise<AuthenticateRequestResult> {
    this.checks += 1;
    if (authHeader !== 'Bearer good') throw new Error('refused');
    const claims = new ClaimsIdentity(
      [
        { type: 'aud', value: 'app' },
        { type: 'exp', value: String(NOW / 1000 + 60) },
      ],
      true,
    );
    return {
      audience: 'https://api.botframework.com',
      claimsIdentity: claims,
      connectorFactory: this.factory,
    };
  }
  override authenticateStreamingRequest(): Promise<AuthenticateRequestResult> {
    throw new Error('not used');
  }
  override createConnectorFactory(): ConnectorFactory {
    return this.factory;
  }
  override async createUserTokenClient(): Promise<UserTokenClient> {
    this.userTokenClients += 1;
    return {} as UserTokenClient;
  }
}

const activity = (serviceUrl: string) => ({ channelId: 'msteams', serviceUrl }) as Activity;

describe('rememberValidTokens', () => {
  it('verifies a token once per channel and serviceUrl until it expires', async () => {
    let now = NOW;
    const inner = new FakeValidation();
    const auth = rememberValidTokens(inner, () => now);
    await auth.authenticateRequest(activity('https://a/'), 'Bearer good');
    await auth.authenticateRequest(activity('https://a/'), 'Bearer good');
    expect(inner.checks).toBe(1);
    await auth.authenticateRequest(activity('https://b/'), 'Bearer good');
    expect(inner.checks).toBe(2);
    now = NOW + 61_000;
    await auth.authenticateRequest(activity('https://a/'), 'Bearer good');
    expect(inner.checks).toBe(3);
  });

  it('checks a refused token again every time', async () => {
    const inner = new FakeValidation();
    const auth = rememberValidTokens(inner, () => NOW);
    await expect(auth.authenticateRequest(activity('https://a/'), 'Bearer bad')).rejects.toThrow('refused');
    await expect(auth.authenticateRequest(activity('https://a/'), 'Bearer bad')).rejects.toThrow('refused');
    expect(inner.checks).toBe(2);
  });
});

describe('reuseClients', () => {
  it('builds one connector client per app id, serviceUrl and audience', async () => {
    const inner = new FakeValidation();
    const auth = reuseClients(inner);
    for (const url of ['https://a/', 'https://a/', 'https://b/']) {
      const result = await auth.authenticateRequest(activity(url), 'Bearer good');
      await result.connectorFactory?.create(url, 'https://api.botframework.com');
    }
    expect(inner.factory.created).toBe(2);
  });

  it('builds one user-token client per app id', async () => {
    const inner = new FakeValidation();
    const auth = reuseClients(inner);
    const identity = new ClaimsIdentity([{ type: 'aud', value: 'app' }], true);
    await auth.createUserTokenClient(identity);
    await auth.createUserTokenClient(identity);
    expect(inner.userTokenClients).toBe(1);
  });
});
