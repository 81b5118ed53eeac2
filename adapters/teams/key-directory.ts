// The signing keys Bot Framework publishes (OpenID metadata → JWKS), fetched by us before botbuilder sees a
// token. botbuilder fetches them itself without a time limit and once per request while its copy is missing, so
// a stream of forged tokens with the Bot Framework issuer held one socket each, forever. Here there is one
// shared, time-limited fetch; its answer is cached, a failure is cached too (briefly), and a token whose key id
// is not published is refused without any fetch at all once the keys are known.
import { get as httpGet } from 'node:http';
import { get as httpsGet } from 'node:https';
import { z } from 'zod';
import { compactKey, createBoundedCache } from '../../src/bounded-cache.ts';

const OpenIdConfiguration = z.object({ jwks_uri: z.url() });
const Jwks = z.object({ keys: z.array(z.object({ kid: z.string() }).loose()).max(1_000) });

const MAX_DOCUMENT_BYTES = 1024 * 1024;

export type KeyDirectoryOptions = {
  metadataUrls: readonly string[];
  /** Per HTTP call (metadata, then keys). */
  timeoutMs?: number;
  /** Keys are re-read this often; Bot Framework rotates them with weeks of overlap. */
  refreshMs?: number;
  /** After a failed fetch, tokens are refused without fetching again for this long. */
  retryAfterMs?: number;
  now?: () => number;
};

export type KeyVerdict = { ok: true } | { ok: false; reason: string };

export type KeyDirectory = {
  /** Whether the token's key id is one the configured metadata publishes. Never waits longer than the timeout. */
  check(token: string): Promise<KeyVerdict>;
};

type Known = { ok: true; kids: ReadonlySet<string> } | { ok: false; reason: string };

export function createKeyDirectory(options: KeyDirectoryOptions): KeyDirectory {
  const timeoutMs = options.timeoutMs ?? 5_000;
  const refreshMs = options.refreshMs ?? 6 * 3_600_000;
  const retryAfterMs = options.retryAfterMs ?? 30_000;
  const now = options.now ?? Date.now;
  const known = createBoundedCache<Known>({ maxEntries: 8, maxBytes: 1 << 20, ttlMs: refreshMs, now });
  const fetching = new Map<string, Promise<Known>>();

  function keysOf(url: string): Promise<Known> {
    const cached = known.get(url);
    if (cached) return Promise.resolve(cached);
    let shared = fetching.get(url);
    if (!shared) {
      shared = fetchKids(url, timeoutMs)
        .then(
          (kids): Known => ({ ok: true, kids }),
          (error: unknown): Known => ({
            ok: false,
            reason: `signing keys unavailable from ${url}: ${error instanceof Error ? error.message : String(error)}`,
          }),
        )
        .then((result) => {
          known.set(url, result, result.ok ? refreshMs : retryAfterMs);
          return result;
        })
        .finally(() => fetching.delete(url));
      fetching.set(url, shared);
    }
    return shared;
  }

  return {
    async check(token) {
      const kid = keyIdOf(token);
      if (!kid) return { ok: false, reason: 'the token has no key id' };
      const results = await Promise.all(options.metadataUrls.map(keysOf));
      if (results.some((result) => result.ok && result.kids.has(kid))) return { ok: true };
      const failure = results.find((result) => !result.ok);
      return {
        ok: false,
        reason: failure && !failure.ok ? failure.reason : `key ${compactKey(kid, 64)} is not published`,
      };
    },
  };
}

async function fetchKids(metadataUrl: string, timeoutMs: number): Promise<ReadonlySet<string>> {
  const configuration = OpenIdConfiguration.parse(await getJson(metadataUrl, timeoutMs));
  const jwks = Jwks.parse(await getJson(configuration.jwks_uri, timeoutMs));
  return new Set(jwks.keys.map((key) => key.kid));
}

/**
 * node:http rather than undici: an undici request aborted on a hung peer left a fresh connection open to it
 * (seen in the hanging-endpoint test); here the socket is destroyed and nothing reconnects.
 */
function getJson(url: string, timeoutMs: number): Promise<unknown> {
  const get = url.startsWith('https:') ? httpsGet : httpGet;
  return new Promise((resolve, reject) => {
    const request = get(url, { agent: false, timeout: timeoutMs }, (response) => {
      if (response.statusCode !== 200) {
        response.resume();
        reject(new Error(`HTTP ${response.statusCode}`));
        return;
      }
      const chunks: Buffer[] = [];
      let size = 0;
      response.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > MAX_DOCUMENT_BYTES) request.destroy(new Error('document too large'));
        else chunks.push(chunk);
      });
      response.on('end', () => {
        try {
          resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')));
        } catch (error) {
          reject(error);
        }
      });
      response.on('error', reject);
    });
    const timer = setTimeout(() => request.destroy(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
    request.on('close', () => clearTimeout(timer));
    request.on('timeout', () => request.destroy(new Error(`idle for ${timeoutMs} ms`)));
    request.on('error', reject);
  });
}

/** The `kid` of a JWT's header, read without verifying anything (botbuilder verifies). */
function keyIdOf(authorization: string): string | null {
  const token = authorization.replace(/^Bearer\s+/i, '');
  const header = token.split('.')[0];
  if (!header || header.length > 4_096) return null;
  try {
    const parsed: unknown = JSON.parse(Buffer.from(header, 'base64url').toString('utf8'));
    const kid = (parsed as { kid?: unknown } | null)?.kid;
    return typeof kid === 'string' && kid.length > 0 && kid.length <= 256 ? kid : null;
  } catch {
    return null;
  }
}
