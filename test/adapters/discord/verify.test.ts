import { describe, expect, it } from 'vitest';
import { createVerifier } from '../../../adapters/discord/verify.ts';
import { createDiscordSigner } from './signing.ts';

const NOW = Date.parse('2026-11-20T10:10:00Z');
const nowSeconds = NOW / 1000;
const body = Buffer.from('{"type":1}');

describe('Discord signature verification', () => {
  const signer = createDiscordSigner();
  const verify = createVerifier(signer.publicKeyHex, () => NOW);
  const headersAt = (timestamp: number, payload: Buffer = body) => {
    const headers = signer.headers(payload, timestamp);
    return { signature: headers['x-signature-ed25519'], timestamp: headers['x-signature-timestamp'] };
  };

  it('accepts a fresh, correctly signed body', () => {
    expect(verify(headersAt(nowSeconds), body)).toEqual({ ok: true });
  });

  it.each([
    ['a body changed after signing', headersAt(nowSeconds), Buffer.from('{"type":2}'), 'invalid signature'],
    ['a timestamp older than five minutes', headersAt(nowSeconds - 301), body, 'timestamp too old'],
    ['a timestamp more than a minute ahead', headersAt(nowSeconds + 61), body, 'timestamp in the future'],
    [
      'no signature',
      { signature: undefined, timestamp: String(nowSeconds) },
      body,
      'missing signature headers',
    ],
    ['no timestamp', { signature: 'ab'.repeat(64), timestamp: undefined }, body, 'missing signature headers'],
    [
      'a signature that is not hex',
      { signature: 'zz'.repeat(64), timestamp: String(nowSeconds) },
      body,
      'malformed signature',
    ],
    [
      'a timestamp that is not a number',
      { signature: 'ab'.repeat(64), timestamp: 'yesterday' },
      body,
      'malformed timestamp',
    ],
  ])('rejects %s', (_situation, headers, payload, reason) => {
    expect(verify(headers, payload)).toEqual({ ok: false, reason });
  });

  it('rejects a signature made with another key', () => {
    const other = createDiscordSigner().headers(body, nowSeconds);
    const result = verify(
      { signature: other['x-signature-ed25519'], timestamp: other['x-signature-timestamp'] },
      body,
    );
    expect(result).toEqual({ ok: false, reason: 'invalid signature' });
  });

  it('re-signing with a new timestamp does not make an old signature valid', () => {
    const old = headersAt(nowSeconds - 10);
    expect(verify({ signature: old.signature, timestamp: String(nowSeconds) }, body).ok).toBe(false);
  });
});
