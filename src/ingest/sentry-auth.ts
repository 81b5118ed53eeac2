// Finds the public key a Sentry SDK authenticates with, where SDKs put it: the X-Sentry-Auth header
// (`Sentry sentry_key=<key>, sentry_version=7, …`), the `sentry_key` query parameter, or the envelope header's dsn.
import type { IncomingHttpHeaders } from 'node:http';

export function keyFromHeaders(headers: IncomingHttpHeaders): string | null {
  for (const name of ['x-sentry-auth', 'authorization'] as const) {
    const value = headers[name];
    if (typeof value !== 'string' || !/^\s*sentry\s/i.test(value)) continue;
    const match = /(?:^|[\s,])sentry_key\s*=\s*([^,\s]+)/i.exec(value.replace(/^\s*sentry\s+/i, ' '));
    if (match) return match[1]!;
  }
  return null;
}

export function keyFromQuery(search: URLSearchParams): string | null {
  return search.get('sentry_key');
}

export function keyFromDsn(dsn: unknown): string | null {
  if (typeof dsn !== 'string') return null;
  try {
    return new URL(dsn).username || null;
  } catch {
    return null;
  }
}

/** `Authorization: Bearer <key>` for the bulk endpoints. */
export function bearerKey(headers: IncomingHttpHeaders): string | null {
  const match = /^\s*Bearer\s+(\S+)\s*$/i.exec(headers.authorization ?? '');
  return match ? match[1]! : null;
}
