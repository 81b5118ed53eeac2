import { describe, expect, it } from 'vitest';
import { actionCustomId, parseCustomId, refreshCustomId } from '../../../adapters/discord/custom-id.ts';

describe('button custom_ids', () => {
  it('round-trips one card and several cards', () => {
    expect(refreshCustomId('acme', [42])).toBe('ic1:r:acme:42');
    expect(parseCustomId('ic1:r:acme:42')).toEqual({
      ok: true,
      value: { action: 'refresh', organizationId: 'acme', identifiers: [42] },
    });
    const many = refreshCustomId('acme', [42, 43, 44]);
    expect(many).toBe('ic1:r:acme:42.43.44');
    expect(parseCustomId(many!)).toMatchObject({ ok: true, value: { identifiers: [42, 43, 44] } });
  });

  it('never builds one longer than 100 characters', () => {
    const ids = Array.from({ length: 10 }, (_, i) => 999_999_990 + i);
    expect(refreshCustomId('a'.repeat(40), ids)).toBeNull();
    expect(refreshCustomId('acme', [])).toBeNull();
  });

  it.each([
    ['an older format', 'refresh-42', 'unknown custom_id version'],
    ['a future version', 'ic2:r:acme:42', 'unknown custom_id version'],
    ['an unknown action', 'ic1:x:acme:42', 'malformed custom_id'],
    ['an upper-case organization', 'ic1:r:ACME:42', 'malformed custom_id'],
    ['identifier zero', 'ic1:r:acme:0', 'malformed custom_id'],
    ['a non-numeric identifier', 'ic1:r:acme:42a', 'malformed custom_id'],
    [
      'eleven identifiers',
      `ic1:r:acme:${Array.from({ length: 11 }, (_, i) => i + 1).join('.')}`,
      'malformed custom_id',
    ],
    ['an over-long id', `ic1:r:${'a'.repeat(100)}:1`, 'custom_id too long'],
  ])('rejects %s', (_situation, customId, reason) => {
    expect(parseCustomId(customId)).toEqual({ ok: false, reason });
  });

  it('round-trips an action: verb, incident and the version the card shows', () => {
    expect(actionCustomId('res', 'acme', 42, 7)).toBe('ic1:a:res:acme:42:7');
    expect(parseCustomId('ic1:a:res:acme:42:7')).toEqual({
      ok: true,
      value: { action: 'act', verb: 'res', organizationId: 'acme', identifier: 42, version: 7 },
    });
    // The longest organization id that still fits, and one that does not (that card gets no actions).
    expect(actionCustomId('ack', 'a'.repeat(70), 999_999_999, 999_999_999)).toHaveLength(100);
    expect(actionCustomId('ack', 'a'.repeat(71), 999_999_999, 999_999_999)).toBeNull();
  });

  it.each([
    ['an unknown verb', 'ic1:a:del:acme:42:7'],
    ['no version', 'ic1:a:res:acme:42'],
    ['version zero', 'ic1:a:res:acme:42:0'],
    ['a negative version', 'ic1:a:res:acme:42:-1'],
  ])('rejects an action with %s', (_situation, customId) => {
    expect(parseCustomId(customId)).toEqual({ ok: false, reason: 'malformed custom_id' });
  });
});
