// How each adapter words `other_organization`: that the links name another organization's incidents (never which
// one, the link already says), the asker's own organization, and the own numbers that are missing.
import { describe, expect, it } from 'vitest';
import { errorText as discordText } from '../../adapters/discord/words.ts';
import { errorMessage as teamsText } from '../../adapters/teams/words.ts';
import type { ErrorReply } from '../../src/command/model.ts';

const reply = (missing: number[], elsewhere: number[]): ErrorReply => ({
  kind: 'error',
  code: 'other_organization',
  refs: elsewhere.map((identifier) => ({ organizationId: 'globex', identifier })),
  missing: missing.map((identifier) => ({ organizationId: null, identifier })),
  organization: 'Acme',
});

describe.each([
  ['Teams', teamsText, '`@bot list`'],
  ['Discord', discordText, '`/incident list`'],
])('%s', (_platform, words, listHint) => {
  it('one foreign incident', () => {
    expect(words(reply([], [42]))).toBe(
      "This incident belongs to another organization; here you see Acme's incidents only.",
    );
  });

  it('several foreign incidents', () => {
    expect(words(reply([], [42, 43]))).toBe(
      "Incidents #42, #43 belong to another organization; here you see Acme's incidents only.",
    );
  });

  it('foreign and missing ones together, with how to list the own', () => {
    const text = words(reply([7], [42]));
    expect(text).toMatch(/^No incident #7 in Acme; #42 belongs to another organization\./);
    expect(text).toContain(listHint);
  });

  it('never names the other organization', () => {
    expect(words(reply([7], [42, 43]))).not.toMatch(/globex/i);
  });
});
