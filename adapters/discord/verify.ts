// Verifies Discord's Ed25519 request signature over `timestamp + raw body`, and refuses replays.
import { createPublicKey, type KeyObject, verify } from 'node:crypto';

/** DER prefix of an Ed25519 SubjectPublicKeyInfo; the portal's 64 hex chars are the 32 raw key bytes after it. */
export const ED25519_SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

/** Discord retries for a few seconds; anything older is a replay. */
export const MAX_AGE_MS = 5 * 60_000;
/** Some tolerance for clock skew, no more. */
export const MAX_FUTURE_MS = 60_000;

export type SignatureHeaders = { signature: string | undefined; timestamp: string | undefined };
export type Verification = { ok: true } | { ok: false; reason: string };
export type Verifier = (headers: SignatureHeaders, body: Buffer) => Verification;

function publicKeyFromHex(hex: string): KeyObject {
  return createPublicKey({
    key: Buffer.concat([ED25519_SPKI_PREFIX, Buffer.from(hex, 'hex')]),
    format: 'der',
    type: 'spki',
  });
}

export function createVerifier(publicKeyHex: string, now: () => number = Date.now): Verifier {
  const key = publicKeyFromHex(publicKeyHex);
  return ({ signature, timestamp }, body) => {
    if (!signature || !timestamp) return { ok: false, reason: 'missing signature headers' };
    if (!/^[0-9a-f]{128}$/i.test(signature)) return { ok: false, reason: 'malformed signature' };
    if (!/^\d{1,12}$/.test(timestamp)) return { ok: false, reason: 'malformed timestamp' };
    const skew = now() - Number(timestamp) * 1000;
    if (skew > MAX_AGE_MS) return { ok: false, reason: 'timestamp too old' };
    if (skew < -MAX_FUTURE_MS) return { ok: false, reason: 'timestamp in the future' };
    const signed = Buffer.concat([Buffer.from(timestamp, 'utf8'), body]);
    const valid = verify(null, signed, key, Buffer.from(signature, 'hex'));
    return valid ? { ok: true } : { ok: false, reason: 'invalid signature' };
  };
}
