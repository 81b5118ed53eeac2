// Which authentication the Teams route runs with, decided once at start-up from the configuration.
import { describe, expect, it } from 'vitest';
import { botFrameworkAuthOptions, teamsAuth } from '../../../adapters/teams/verify.ts';
import { TEAMS_SETTINGS } from '../../../adapters/teams/config.ts';
import { loadSection } from '../../../src/config.ts';

const APP_ID = 'a3f1c2d4-5e6f-4a7b-8c9d-0e1f2a3b4c5d';

function config(env: Record<string, string>) {
  const loaded = loadSection(TEAMS_SETTINGS, env);
  if (!loaded.ok) throw new Error(loaded.reason);
  return loaded.value;
}

describe('teamsAuth', () => {
  it('validates Bot Framework tokens when an app id is set', () => {
    const result = teamsAuth(config({ MICROSOFT_APP_ID: APP_ID, MICROSOFT_APP_PASSWORD: 'secret' }));
    expect(result).toMatchObject({ ok: true, auth: { mode: 'jwt', appId: APP_ID, outbound: 'token' } });
  });

  it('sends replies without a token when no password is configured', () => {
    const result = teamsAuth(config({ MICROSOFT_APP_ID: APP_ID }));
    expect(result).toMatchObject({ ok: true, auth: { mode: 'jwt', outbound: 'anonymous' } });
  });

  it('keeps a managed identity signing its replies without a password', () => {
    const result = teamsAuth(
      config({
        MICROSOFT_APP_ID: APP_ID,
        MICROSOFT_APP_TYPE: 'UserAssignedMSI',
        MICROSOFT_APP_TENANT_ID: APP_ID,
      }),
    );
    expect(result).toMatchObject({ ok: true, auth: { mode: 'jwt', outbound: 'token' } });
  });

  it('leaves the route unconfigured (503) without an app id rather than accepting anything', () => {
    const result = teamsAuth(config({}));
    expect(result).toMatchObject({ ok: true, auth: { mode: 'unconfigured' } });
  });

  it('allows TEAMS_AUTH=off without an app id outside production', () => {
    expect(teamsAuth(config({ TEAMS_AUTH: 'off' }))).toMatchObject({ ok: true, auth: { mode: 'off' } });
  });

  it.each([
    ['an app id is set', { TEAMS_AUTH: 'off', MICROSOFT_APP_ID: APP_ID }, /MICROSOFT_APP_ID is set/],
    ['NODE_ENV is production', { TEAMS_AUTH: 'off', NODE_ENV: 'production' }, /NODE_ENV=production/],
  ])('refuses TEAMS_AUTH=off when %s', (_situation, env, reason) => {
    const result = teamsAuth(config(env));
    expect(result.ok).toBe(false);
    expect(result.ok ? '' : result.reason).toMatch(reason);
  });
});

describe('botFrameworkAuthOptions', () => {
  it('leaves botbuilder its public-cloud defaults when no metadata URL is configured', () => {
    const options = botFrameworkAuthOptions(config({ MICROSOFT_APP_ID: APP_ID }));
    expect(Object.keys(options).sort()).toEqual([
      'MicrosoftAppId',
      'MicrosoftAppPassword',
      'MicrosoftAppTenantId',
      'MicrosoftAppType',
    ]);
  });

  it('sets every parameterized setting when only the metadata URL is replaced', () => {
    const metadataUrl = 'http://127.0.0.1:9/.well-known/openidconfiguration';
    const options = botFrameworkAuthOptions(
      config({ MICROSOFT_APP_ID: APP_ID, TEAMS_OPENID_METADATA_URL: metadataUrl }),
    );
    expect(options).toMatchObject({
      ChannelService: '',
      ValidateAuthority: true,
      ToChannelFromBotLoginUrl: 'https://login.microsoftonline.com/botframework.com',
      ToChannelFromBotOAuthScope: 'https://api.botframework.com',
      ToBotFromChannelTokenIssuer: 'https://api.botframework.com',
      OAuthUrl: 'https://api.botframework.com',
      ToBotFromChannelOpenIdMetadataUrl: metadataUrl,
      ToBotFromEmulatorOpenIdMetadataUrl: metadataUrl,
      CallerId: 'urn:botframework:azure',
    });
  });
});
