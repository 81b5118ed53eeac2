// Incident references in free text: our own links (under PUBLIC_URL, with or without a path prefix),
// Sentry alert links (`<org>.sentry.io` and configured self-hosted hosts) and `#<id>` mentions.
import { describe, expect, it } from 'vitest';
import { findIncidentRefs, parseIncidentLink } from '../../src/command/incident-links.ts';

const settings = {
  publicUrl: 'https://cards.example.com',
  unfurlHosts: ['sentry.internal', 'sentry.corp:9000'],
};
const prefixed = { publicUrl: 'https://example.com/cards', unfurlHosts: [] };
const ref = (organizationId: string, identifier: number) => ({ organizationId, identifier });

describe('parseIncidentLink', () => {
  it.each([
    ['our own link', 'https://cards.example.com/o/acme/incidents/42', ref('acme', 42)],
    ['with a trailing slash', 'https://cards.example.com/o/acme/incidents/42/', ref('acme', 42)],
    ['host in capitals', 'https://CARDS.example.com/o/acme/incidents/7', ref('acme', 7)],
    ['organization in capitals', 'https://cards.example.com/o/ACME/incidents/7', ref('acme', 7)],
    [
      'the largest identifier',
      'https://cards.example.com/o/acme/incidents/999999999',
      ref('acme', 999999999),
    ],
    ['Sentry SaaS', 'https://acme.sentry.io/alerts/rules/details/101/?alert=42', ref('acme', 42)],
    [
      'Sentry SaaS without slash',
      'https://acme.sentry.io/alerts/rules/details/101?alert=42',
      ref('acme', 42),
    ],
    [
      'self-hosted Sentry',
      'https://sentry.internal/organizations/globex/alerts/rules/details/7/?alert=3',
      ref('globex', 3),
    ],
    [
      'self-hosted Sentry with a port',
      'https://sentry.corp:9000/organizations/globex/alerts/rules/details/7?alert=3',
      ref('globex', 3),
    ],
  ])('%s', (_case, link, expected) => {
    expect(parseIncidentLink(link, settings)).toEqual(expected);
  });

  it.each([
    ['not a URL', 'cards.example.com/o/acme/incidents/42'],
    ['another host', 'https://evil.example.com/o/acme/incidents/42'],
    ['a longer path', 'https://cards.example.com/o/acme/incidents/42/edit'],
    ['a path before ours', 'https://cards.example.com/x/o/acme/incidents/42'],
    ['identifier zero', 'https://cards.example.com/o/acme/incidents/0'],
    ['identifier too long', 'https://cards.example.com/o/acme/incidents/1234567890'],
    ['identifier not a number', 'https://cards.example.com/o/acme/incidents/4x2'],
    ['organization with other characters', 'https://cards.example.com/o/ac_me/incidents/42'],
    ['organization starting with a dash', 'https://cards.example.com/o/-acme/incidents/42'],
    ['Sentry link without alert', 'https://acme.sentry.io/alerts/rules/details/101/'],
    ['Sentry alert not a number', 'https://acme.sentry.io/alerts/rules/details/101/?alert=4x'],
    ['Sentry alert zero', 'https://acme.sentry.io/alerts/rules/details/101/?alert=0'],
    ['Sentry alert too long', 'https://acme.sentry.io/alerts/rules/details/101/?alert=1234567890'],
    ['Sentry rule id not a number', 'https://acme.sentry.io/alerts/rules/details/x/?alert=4'],
    ['Sentry SaaS, longer path', 'https://acme.sentry.io/alerts/rules/details/101/edit?alert=4'],
    ['Sentry SaaS, path before', 'https://acme.sentry.io/x/alerts/rules/details/101/?alert=4'],
    ['sentry.io itself', 'https://sentry.io/alerts/rules/details/101/?alert=4'],
    ['a deeper sentry.io host', 'https://a.b.sentry.io/alerts/rules/details/101/?alert=4'],
    ['a look-alike of sentry.io', 'https://acme.sentry.io.evil.com/alerts/rules/details/101/?alert=4'],
    [
      'self-hosted path on an unlisted host',
      'https://sentry.other/organizations/globex/alerts/rules/details/7/?alert=3',
    ],
    [
      'self-hosted host with another port',
      'https://sentry.corp:9001/organizations/globex/alerts/rules/details/7/?alert=3',
    ],
    ['self-hosted, longer path', 'https://sentry.internal/organizations/g/alerts/rules/details/7/x?alert=3'],
    ['self-hosted, path before', 'https://sentry.internal/x/organizations/g/alerts/rules/details/7/?alert=3'],
    [
      'self-hosted, rule id not a number',
      'https://sentry.internal/organizations/g/alerts/rules/details/x?alert=3',
    ],
  ])('rejects %s', (_case, link) => {
    expect(parseIncidentLink(link, settings)).toBeNull();
  });

  it('honours a PUBLIC_URL with a path prefix', () => {
    expect(parseIncidentLink('https://example.com/cards/o/acme/incidents/5', prefixed)).toEqual(
      ref('acme', 5),
    );
    expect(parseIncidentLink('https://example.com/o/acme/incidents/5', prefixed)).toBeNull();
    expect(
      parseIncidentLink('https://example.com/cards/o/acme/incidents/5', {
        ...prefixed,
        publicUrl: 'https://example.com/cards/',
      }),
    ).toEqual(ref('acme', 5));
  });
});

describe('findIncidentRefs', () => {
  it('finds links and #mentions in the order they appear, without duplicates', () => {
    const text =
      'see #7 and https://cards.example.com/o/acme/incidents/42, (#8) also #7; ' +
      'https://cards.example.com/o/acme/incidents/42 and https://acme.sentry.io/alerts/rules/details/1/?alert=9';
    expect(findIncidentRefs(text, settings)).toEqual([
      { organizationId: null, identifier: 7 },
      ref('acme', 42),
      { organizationId: null, identifier: 8 },
      ref('acme', 9),
    ]);
  });

  it('keeps the same identifier in two organizations apart, and a bare #id beside a linked one', () => {
    const text =
      'https://cards.example.com/o/acme/incidents/4 https://cards.example.com/o/globex/incidents/4 #4';
    expect(findIncidentRefs(text, settings)).toEqual([
      ref('acme', 4),
      ref('globex', 4),
      { organizationId: null, identifier: 4 },
    ]);
  });

  it.each([
    ['a # inside a word', 'issue#12'],
    ['#0', 'see #0'],
    ['a # inside a link', 'https://example.org/page#12'],
    ['an identifier too long', '#1234567890'],
    ['nothing at all', 'all quiet'],
  ])('finds nothing in %s', (_case, text) => {
    expect(findIncidentRefs(text, settings)).toEqual([]);
  });

  it.each([
    ['at the start', '#5', 5],
    ['after a colon', 'incident:#5', 5],
    ['after a comma', 'a,#5', 5],
    ['in parentheses', '(#5)', 5],
  ])('finds a mention %s', (_case, text, identifier) => {
    expect(findIncidentRefs(text, settings)).toEqual([{ organizationId: null, identifier }]);
  });
});
