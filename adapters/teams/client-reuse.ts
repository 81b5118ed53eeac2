// botbuilder builds a new ConnectorClient (and user-token client), each with its own HTTP pipeline and
// credentials, for every inbound activity, invokes included, even though most never send anything. Both are
// reusable per app id and connector; reusing them removes most of the per-request cost beyond the JWT check.
// (botbuilder's older BotFrameworkAdapter cached its connector clients the same way.)
import type { Activity } from 'botbuilder';
import {
  type AuthenticateRequestResult,
  type BotFrameworkAuthentication,
  type ClaimsIdentity,
  type ConnectorClient,
  ConnectorFactory,
  type UserTokenClient,
} from 'botframework-connector';
import { DelegatingAuthentication } from './auth-delegate.ts';

/** Clients are few (one per app id, connector region and audience); the bound only guards against surprises. */
const MAX_CACHED = 256;

export function reuseClients(inner: BotFrameworkAuthentication): BotFrameworkAuthentication {
  return new ReusingClients(inner);
}

class ReusingClients extends DelegatingAuthentication {
  private readonly connectors = new Map<string, Promise<ConnectorClient>>();
  private readonly userTokenClients = new Map<string, Promise<UserTokenClient>>();

  override async authenticateRequest(
    activity: Activity,
    authHeader: string,
  ): Promise<AuthenticateRequestResult> {
    const result = await this.inner.authenticateRequest(activity, authHeader);
    const factory = result.connectorFactory;
    if (!factory) return result;
    return { ...result, connectorFactory: this.reusing(factory, appIdOf(result.claimsIdentity)) };
  }

  override createConnectorFactory(claimsIdentity: ClaimsIdentity): ConnectorFactory {
    return this.reusing(this.inner.createConnectorFactory(claimsIdentity), appIdOf(claimsIdentity));
  }

  override createUserTokenClient(claimsIdentity: ClaimsIdentity): Promise<UserTokenClient> {
    return remember(this.userTokenClients, appIdOf(claimsIdentity), () =>
      this.inner.createUserTokenClient(claimsIdentity),
    );
  }

  private reusing(factory: ConnectorFactory, appId: string): ConnectorFactory {
    const connectors = this.connectors;
    return new (class extends ConnectorFactory {
      override create(serviceUrl: string, audience?: string): Promise<ConnectorClient> {
        return remember(connectors, `${appId}\n${serviceUrl}\n${audience ?? ''}`, () =>
          factory.create(serviceUrl, audience).then(withTimeout),
        );
      }
    })();
  }
}

/** Replies and proactive messages: a connector that does not answer must not hold a turn (or shutdown). */
export const OUTBOUND_TIMEOUT_MS = 15_000;

type PipelineRequest = { timeout: number };
type Pipelined = {
  client?: {
    pipeline?: {
      addPolicy(policy: {
        name: string;
        sendRequest(
          request: PipelineRequest,
          next: (r: PipelineRequest) => Promise<unknown>,
        ): Promise<unknown>;
      }): void;
    };
  };
};

/**
 * botbuilder's connector sends with no time limit (timeout 0). Its HTTP pipeline (Azure core) honours a
 * request's `timeout`, so one policy sets it on every call that has none.
 */
function withTimeout(connector: ConnectorClient): ConnectorClient {
  (connector as unknown as Pipelined).client?.pipeline?.addPolicy({
    name: 'incident-cards-outbound-timeout',
    sendRequest(request, next) {
      if (!request.timeout) request.timeout = OUTBOUND_TIMEOUT_MS;
      return next(request);
    },
  });
  return connector;
}

/** The app id botbuilder's own factories build credentials for: the token's audience, else its appid. */
function appIdOf(identity: ClaimsIdentity): string {
  return identity.getClaimValue('aud') ?? identity.getClaimValue('appid') ?? '';
}

function remember<T>(cache: Map<string, Promise<T>>, key: string, create: () => Promise<T>): Promise<T> {
  const known = cache.get(key);
  if (known) return known;
  if (cache.size >= MAX_CACHED) cache.clear();
  const created = create();
  cache.set(key, created);
  created.catch(() => cache.delete(key));
  return created;
}
