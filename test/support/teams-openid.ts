// A loopback stand-in for Bot Framework's token service: an OpenID configuration, a JWKS whose keys carry
// Bot Framework `endorsements`, and token signing with jose. Tests and the Teams benchmark point
// TEAMS_OPENID_METADATA_URL at it.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, type JWK, SignJWT } from 'jose';

export const BOT_FRAMEWORK_ISSUER = 'https://api.botframework.com';

type KeyPair = Awaited<ReturnType<typeof generateKeyPair>>;

export type SignOptions = {
  /** Which key signs: the published msteams key (default), the one endorsed for another channel only, or
   *  a key nobody published that claims the msteams key's id (a forged signature). */
  key?: 'msteams' | 'skype-only' | 'forged';
  issuer?: string;
  audience?: string;
  serviceUrl?: string;
  /** Seconds from now; negative for an expired token. */
  expiresIn?: number;
  notBeforeIn?: number;
};

export type OpenIdServer = {
  metadataUrl: string;
  /** A signed Bot Framework channel token for `appId` and the activity's serviceUrl. */
  sign(appId: string, serviceUrl: string, options?: SignOptions): Promise<string>;
  close(): Promise<void>;
};

export async function startOpenIdServer(): Promise<OpenIdServer> {
  const trusted = await generateKeyPair('RS256', { extractable: true });
  const skypeOnly = await generateKeyPair('RS256', { extractable: true });
  const forged = await generateKeyPair('RS256', { extractable: true });
  const jwks = {
    keys: [
      await publicJwk(trusted, 'msteams-key', ['msteams']),
      await publicJwk(skypeOnly, 'skype-key', ['skype']),
    ],
  };
  const server = createServer((request, response) => {
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const body =
      request.url === '/.well-known/openidconfiguration'
        ? {
            issuer: BOT_FRAMEWORK_ISSUER,
            jwks_uri: `${base}/keys`,
            id_token_signing_alg_values_supported: ['RS256'],
          }
        : request.url === '/keys'
          ? jwks
          : null;
    response.writeHead(body ? 200 : 404, { 'content-type': 'application/json' });
    response.end(JSON.stringify(body ?? { error: 'not found' }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    metadataUrl: `http://127.0.0.1:${port}/.well-known/openidconfiguration`,
    async sign(appId, serviceUrl, options = {}) {
      const key = options.key ?? 'msteams';
      const signer = key === 'skype-only' ? skypeOnly : key === 'forged' ? forged : trusted;
      const kid = key === 'skype-only' ? 'skype-key' : 'msteams-key';
      const now = Math.floor(Date.now() / 1000);
      return new SignJWT({ serviceurl: options.serviceUrl ?? serviceUrl })
        .setProtectedHeader({ alg: 'RS256', kid, typ: 'JWT' })
        .setIssuer(options.issuer ?? BOT_FRAMEWORK_ISSUER)
        .setAudience(options.audience ?? appId)
        .setIssuedAt(now - 5)
        .setNotBefore(now + (options.notBeforeIn ?? -5))
        .setExpirationTime(now + (options.expiresIn ?? 3600))
        .sign(signer.privateKey);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

async function publicJwk(
  pair: KeyPair,
  kid: string,
  endorsements: string[],
): Promise<JWK & { endorsements: string[] }> {
  return { ...(await exportJWK(pair.publicKey)), kid, use: 'sig', alg: 'RS256', endorsements };
}
