// Signed URLs: the link a card hands out opens; a guessed, altered, expired or other-organization one does not.
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { createUrlSigner, DEFAULT_EXPIRY_MS } from '../../src/http/signed-url.ts';
import { loadSigningSecret, SIGNING_SECRET_FILE } from '../../src/http/signing-secret.ts';
import { createLogger } from '../../src/log.ts';

const NOW = Date.parse('2026-11-20T10:00:00Z');
const PATH = '/o/acme/incidents/42/chart.png';
const signer = createUrlSigner('a test secret of some length', { now: () => NOW });

const queryOf = (signedPath: string) => new URL(signedPath, 'http://x').searchParams;
const signed = queryOf(signer.signedPath(PATH, NOW + DEFAULT_EXPIRY_MS, { v: 'state1' }));
const { exp, sig } = signer.sign(PATH, NOW + DEFAULT_EXPIRY_MS);

const withParams = (params: Record<string, string>) => new URLSearchParams(params);
const flip = (text: string) => `${text[0] === 'A' ? 'B' : 'A'}${text.slice(1)}`;

describe('verifying a signed path', () => {
  it('accepts the URL it signed, for 30 days', () => {
    expect(signer.verify(PATH, signed)).toEqual({
      ok: true,
      expiresAt: ((NOW + DEFAULT_EXPIRY_MS) / 1000) * 1000,
    });
    expect(signed.get('v')).toBe('state1');
  });

  it.each([
    ['no signature at all', PATH, withParams({}), 'missing'],
    ['an expiry but no signature', PATH, withParams({ exp: String(exp) }), 'missing'],
    [
      'a signature that is not base64url HMAC',
      PATH,
      withParams({ exp: String(exp), sig: 'abc' }),
      'malformed',
    ],
    ['an expiry that is not a number', PATH, withParams({ exp: '1e12', sig }), 'malformed'],
    ['an altered signature', PATH, withParams({ exp: String(exp), sig: flip(sig) }), 'mismatch'],
    ['a later expiry', PATH, withParams({ exp: String(exp + 86_400), sig }), 'mismatch'],
    ['another organization’s path', '/o/globex/incidents/42/chart.png', signed, 'mismatch'],
    ['another incident’s path', '/o/acme/incidents/43/chart.png', signed, 'mismatch'],
    ['the incident page with the chart’s signature', '/o/acme/incidents/42', signed, 'mismatch'],
  ])('refuses %s', (_name, path, query, reason) => {
    expect(signer.verify(path, query)).toEqual({ ok: false, reason });
  });

  it('refuses a URL signed with another secret', () => {
    const other = createUrlSigner('another secret, same length', { now: () => NOW });
    expect(other.verify(PATH, signed)).toEqual({ ok: false, reason: 'mismatch' });
  });

  it('refuses its own URL once expired', () => {
    const later = createUrlSigner('a test secret of some length', { now: () => NOW + DEFAULT_EXPIRY_MS });
    expect(later.verify(PATH, signed)).toEqual({ ok: false, reason: 'expired' });
  });
});

describe('the signing secret', () => {
  const dirs: string[] = [];
  afterEach(async () => {
    for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
  });
  const logger = createLogger('silent');

  it('is SIGNING_SECRET when set, and nothing is written', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'signing-'));
    dirs.push(dataDir);
    expect(await loadSigningSecret({ configured: 'from the environment', dataDir, logger })).toEqual({
      ok: true,
      secret: 'from the environment',
    });
    await expect(stat(join(dataDir, SIGNING_SECRET_FILE))).rejects.toThrow();
  });

  it('is generated into DATA_DIR on first start (mode 0600, logged) and read back afterwards', async () => {
    const dataDir = join(await mkdtemp(join(tmpdir(), 'signing-')), 'data');
    dirs.push(join(dataDir, '..'));
    const lines: string[] = [];
    const recording = pino({ level: 'info' }, { write: (line: string) => void lines.push(line) });
    const first = await loadSigningSecret({ configured: undefined, dataDir, logger: recording });
    const second = await loadSigningSecret({ configured: undefined, dataDir, logger: recording });
    if (!first.ok) throw new Error(first.reason);
    expect(first.secret).toMatch(/^[0-9a-f]{64}$/);
    expect(second).toEqual(first);
    const file = join(dataDir, SIGNING_SECRET_FILE);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect((await readFile(file, 'utf8')).trim()).toBe(first.secret);
    expect(lines.filter((line) => line.includes('generated one into the data directory'))).toHaveLength(1);
  });
});
