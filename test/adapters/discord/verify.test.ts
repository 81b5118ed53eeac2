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

  it.each([
    ['exactly five minutes old', nowSeconds - 300],
    ['exactly a minute ahead', nowSeconds + 60],
  ])('accepts a timestamp %s (the edges are inside the window)', (_case, timestamp) => {
    expect(verify(headersAt(timestamp), body)).toEqual({ ok: true });
  });

  it('accepts a signature in upper-case hex', () => {
    const headers = headersAt(nowSeconds);
    expect(verify({ ...headers, signature: headers.signature!.toUpperCase() }, body)).toEqual({ ok: true });
  });

  it.each([
    ['a signature one character short', (sig: string) => sig.slice(1), 'malformed signature'],
    ['a signature one character long', (sig: string) => `${sig}0`, 'malformed signature'],
    ['a signature with a trailing letter', (sig: string) => `${sig.slice(1)}g`, 'malformed signature'],
    ['a signature with a leading letter', (sig: string) => `g${sig.slice(1)}`, 'malformed signature'],
  ])('rejects %s', (_case, change, reason) => {
    const headers = headersAt(nowSeconds);
    expect(verify({ ...headers, signature: change(headers.signature!) }, body)).toEqual({
      ok: false,
      reason,
    });
  });

  it.each([
    ['with a trailing letter', `${nowSeconds}a`],
    ['with a leading letter', `a${nowSeconds}`],
    ['of thirteen digits', '1'.repeat(13)],
    ['empty', ''],
  ])('rejects a timestamp %s', (_case, timestamp) => {
    const headers = headersAt(nowSeconds);
    const result = verify({ ...headers, timestamp }, body);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toMatch(/malformed timestamp|missing signature headers/);
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
