// Inbound Bot Framework JWT validation, by botbuilder's own code, and the TEAMS_AUTH=off escape hatch for a
// local client. Decides at start-up which of three modes the route runs in; refuses unsafe combinations.
import type { Activity } from 'botbuilder';
import {
  CallerIdConstants,
  ConfigurationBotFrameworkAuthentication,
  type ConfigurationBotFrameworkAuthenticationOptions,
  ConfigurationServiceClientCredentialFactory,
} from 'botbuilder';
import {
  type AuthenticateRequestResult,
  AuthenticationConstants,
  AuthenticationError,
  type BotFrameworkAuthentication,
  MicrosoftAppCredentials,
  type ServiceClientCredentials,
  type ServiceClientCredentialsFactory,
} from 'botframework-connector';
import type { TeamsSettings } from './config.ts';
import { DelegatingAuthentication } from './auth-delegate.ts';
import { reuseClients } from './client-reuse.ts';
import { rememberValidTokens } from './token-cache.ts';
import { createKeyDirectory, type KeyDirectory } from './key-directory.ts';
import { within } from '../../src/within.ts';

export type TeamsAuth =
  /** Every request carries a Bot Framework JWT for MICROSOFT_APP_ID. */
  | {
      mode: 'jwt';
      authentication: BotFrameworkAuthentication;
      appId: string;
      outbound: 'token' | 'anonymous';
    }
  /** TEAMS_AUTH=off: no token, loopback callers only (the route checks each request). */
  | { mode: 'off'; authentication: BotFrameworkAuthentication }
  /** No app id and auth on: the route answers 503 with the reason instead of accepting anything. */
  | { mode: 'unconfigured'; reason: string };

export type TeamsAuthResult = { ok: true; auth: TeamsAuth } | { ok: false; reason: string };

export function teamsAuth(config: TeamsSettings): TeamsAuthResult {
  const { appId, auth } = config;
  if (auth === 'off') {
    if (appId)
      return {
        ok: false,
        reason:
          'TEAMS_AUTH=off is refused: MICROSOFT_APP_ID is set (auth can only be off for a local client without an app registration; unset one of them)',
      };
    if (config.nodeEnv === 'production')
      return { ok: false, reason: 'TEAMS_AUTH=off is refused with NODE_ENV=production' };
    return { ok: true, auth: { mode: 'off', authentication: authentication(config) } };
  }
  if (!appId) {
    return {
      ok: true,
      auth: {
        mode: 'unconfigured',
        reason: 'Teams is not configured: set MICROSOFT_APP_ID (see docs/teams.md)',
      },
    };
  }
  const outbound = config.appPassword || isPasswordless(config) ? 'token' : 'anonymous';
  return { ok: true, auth: { mode: 'jwt', authentication: authentication(config), appId, outbound } };
}

/**
 * botbuilder's validation, failing closed and time-limited, keys fetched by us (key-directory.ts), each token
 * checked once, per-request clients reused.
 */
function authentication(config: TeamsSettings): BotFrameworkAuthentication {
  const keys = createKeyDirectory({ metadataUrls: metadataUrls(config) });
  return reuseClients(rememberValidTokens(failClosed(configured(config), keys)));
}

function metadataUrls(config: TeamsSettings): string[] {
  if (config.openIdMetadataUrl) return [config.openIdMetadataUrl];
  return [
    AuthenticationConstants.ToBotFromChannelOpenIdMetadataUrl,
    AuthenticationConstants.ToBotFromEmulatorOpenIdMetadataUrl,
  ];
}

/** Beyond the key fetch's own limits: nothing in token validation may hold a request longer than this. */
const AUTH_TIMEOUT_MS = 10_000;

/** A managed identity gets its tokens without a password; every other app type signs with one. */
function isPasswordless(config: TeamsSettings): boolean {
  return config.appType?.toLowerCase() === 'userassignedmsi';
}

function credentialOptions(config: TeamsSettings) {
  const { appId, appPassword, appType, tenantId } = config;
  return {
    MicrosoftAppId: appId ?? '',
    MicrosoftAppPassword: appPassword ?? '',
    MicrosoftAppType: appType ?? 'MultiTenant',
    MicrosoftAppTenantId: tenantId ?? '',
  };
}

/** What botbuilder's ConfigurationBotFrameworkAuthentication is given (exported for its test). */
export function botFrameworkAuthOptions(
  config: TeamsSettings,
): ConfigurationBotFrameworkAuthenticationOptions {
  const metadataUrl = config.openIdMetadataUrl;
  const credentials = credentialOptions(config);
  return metadataUrl ? { ...credentials, ...publicCloudWithKeysFrom(metadataUrl) } : credentials;
}

function configured(config: TeamsSettings): BotFrameworkAuthentication {
  const { appId, appPassword } = config;
  const options = botFrameworkAuthOptions(config);
  const factory = new ConfigurationServiceClientCredentialFactory(credentialOptions(config));
  const outboundFactory =
    appId && !appPassword && !isPasswordless(config) ? new InboundOnly(factory) : factory;
  return new ConfigurationBotFrameworkAuthentication(options, outboundFactory);
}

/**
 * botbuilder switches to its "parameterized" cloud as soon as any one of these is set and then uses exactly
 * what it is given, so replacing only the metadata URL would leave the issuer, scopes and caller id empty.
 * Every value but the key location is the public cloud's. Emulator-style tokens are checked against the
 * same keys: a deployment that replaces the channel's key server trusts nothing else either.
 */
function publicCloudWithKeysFrom(metadataUrl: string): ConfigurationBotFrameworkAuthenticationOptions {
  return {
    ChannelService: '',
    ValidateAuthority: true,
    ToChannelFromBotLoginUrl: AuthenticationConstants.ToChannelFromBotLoginUrl,
    ToChannelFromBotOAuthScope: AuthenticationConstants.ToChannelFromBotOAuthScope,
    ToBotFromChannelTokenIssuer: AuthenticationConstants.ToBotFromChannelTokenIssuer,
    OAuthUrl: AuthenticationConstants.OAuthUrl,
    ToBotFromChannelOpenIdMetadataUrl: metadataUrl,
    ToBotFromEmulatorOpenIdMetadataUrl: metadataUrl,
    CallerId: CallerIdConstants.PublicAzureChannel,
  };
}

/**
 * Validates inbound tokens for the app id but sends replies without a token: used when no password is
 * configured (a bot that only answers invokes, or a test connector on loopback). Replies to a real
 * connector then fail with its 401, which is logged.
 */
class InboundOnly implements ServiceClientCredentialsFactory {
  constructor(private readonly inner: ServiceClientCredentialsFactory) {}
  isValidAppId(appId: string): Promise<boolean> {
    return this.inner.isValidAppId(appId);
  }
  isAuthenticationDisabled(): Promise<boolean> {
    return this.inner.isAuthenticationDisabled();
  }
  async createCredentials(): Promise<ServiceClientCredentials> {
    return MicrosoftAppCredentials.Empty;
  }
}

/**
 * botbuilder lets some token failures escape as plain errors (a bad signature, `nbf` in the future), which
 * CloudAdapter turns into 500. Every failure to authenticate is the caller's problem: 401.
 */
function failClosed(inner: BotFrameworkAuthentication, keys: KeyDirectory): BotFrameworkAuthentication {
  return new FailClosed(inner, keys);
}

class FailClosed extends DelegatingAuthentication {
  constructor(
    inner: BotFrameworkAuthentication,
    private readonly keys: KeyDirectory,
  ) {
    super(inner);
  }

  override async authenticateRequest(
    activity: Activity,
    authHeader: string,
  ): Promise<AuthenticateRequestResult> {
    // No header: botbuilder decides (refused unless auth is off); there is no key to look up.
    if (authHeader) {
      const verdict = await this.keys.check(authHeader);
      if (!verdict.ok) throw new AuthenticationError(`Unauthorized: ${verdict.reason}`, 401);
    }
    try {
      const timed = await within(this.inner.authenticateRequest(activity, authHeader), AUTH_TIMEOUT_MS);
      if (timed.kind === 'late') throw new Error(`token validation took longer than ${AUTH_TIMEOUT_MS} ms`);
      return timed.value;
    } catch (error) {
      throw unauthorized(error);
    }
  }
  override async authenticateStreamingRequest(
    authHeader: string,
    channelId: string,
  ): Promise<AuthenticateRequestResult> {
    try {
      return await this.inner.authenticateStreamingRequest(authHeader, channelId);
    } catch (error) {
      throw unauthorized(error);
    }
  }
}

function unauthorized(error: unknown): AuthenticationError {
  if (error instanceof AuthenticationError) return error;
  const reason = error instanceof Error ? error.message : String(error);
  return new AuthenticationError(`Unauthorized: ${reason}`, 401);
}
