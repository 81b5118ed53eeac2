// Signed URLs: an HMAC-SHA256 over a path and an expiry, so a link handed out in a card (an incident page, a
// chart image) opens without a login while a guessed, altered, expired or other-organization URL does not.
import { createHmac, timingSafeEqual } from 'node:crypto';

/** How long a link in a card keeps working. */
export const DEFAULT_EXPIRY_MS = 30 * 24 * 3_600_000;

/** What a signed URL carries beside its path: `exp` (epoch seconds) and `sig` (base64url HMAC). */
export type Signature = { exp: number; sig: string };

export type VerifyResult =
  | { ok: true; expiresAt: number }
  | { ok: false; reason: 'missing' | 'malformed' | 'expired' | 'mismatch' };

export type UrlSigner = {
  /** The signature of `path` (as it appears in the URL, percent-encoding included) until `expiresAt` (ms). */
  sign(path: string, expiresAt: number): Signature;
  /** `path?exp=…&sig=…` (with `extra` parameters first; they are not covered by the signature). */
  signedPath(path: string, expiresAt: number, extra?: Record<string, string>): string;
  /** Checks the `exp` and `sig` of a request's query against its path. */
  verify(path: string, query: URLSearchParams): VerifyResult;
};

const SIG = /^[A-Za-z0-9_-]{43}$/;
const EXP = /^\d{1,12}$/;

export function createUrlSigner(secret: string | Buffer, options: { now?: () => number } = {}): UrlSigner {
  const now = options.now ?? Date.now;
  const key = Buffer.from(secret);
  if (key.length === 0) throw new Error('a URL signer needs a secret');
  const mac = (path: string, exp: number) => createHmac('sha256', key).update(`${path}\n${exp}`).digest();
  const sign = (path: string, expiresAt: number): Signature => {
    const exp = Math.floor(expiresAt / 1000);
    return { exp, sig: mac(path, exp).toString('base64url') };
  };
  return {
    sign,
    signedPath(path, expiresAt, extra = {}) {
      const { exp, sig } = sign(path, expiresAt);
      return `${path}?${new URLSearchParams({ ...extra, exp: String(exp), sig })}`;
    },
    verify(path, query) {
      const expText = query.get('exp');
      const sigText = query.get('sig');
      if (expText === null || sigText === null) return { ok: false, reason: 'missing' };
      if (!EXP.test(expText) || !SIG.test(sigText)) return { ok: false, reason: 'malformed' };
      const exp = Number(expText);
      // The signature first: an altered expiry is an altered URL, whatever its date.
      if (!timingSafeEqual(mac(path, exp), Buffer.from(sigText, 'base64url'))) {
        return { ok: false, reason: 'mismatch' };
      }
      if (exp * 1000 <= now()) return { ok: false, reason: 'expired' };
      return { ok: true, expiresAt: exp * 1000 };
    },
  };
}
