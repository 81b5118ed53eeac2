// Times on Teams cards are formatted by the reader's client ({{DATE}}/{{TIME}}), in their own time zone;
// previews, which are not Adaptive Cards, get plain UTC text instead of raw ISO.
import { describe, expect, it } from 'vitest';
import { readerTime, utcText } from '../../../adapters/teams/date-time.ts';
import { liveCard, unfurlCard } from '../../../adapters/teams/render-card.ts';
import { sampleCard } from '../../support/sample-card.ts';

describe('readerTime', () => {
  it.each([
    ['2026-11-20T10:00:00Z', '{{DATE(2026-11-20T10:00:00Z, SHORT)}} {{TIME(2026-11-20T10:00:00Z)}}'],
    ['2026-11-20T10:00:00.123Z', '{{DATE(2026-11-20T10:00:00Z, SHORT)}} {{TIME(2026-11-20T10:00:00Z)}}'],
    [
      '2026-11-20T12:15:00Z (after 2h 15m)',
      '{{DATE(2026-11-20T12:15:00Z, SHORT)}} {{TIME(2026-11-20T12:15:00Z)}} (after 2h 15m)',
    ],
    ['2h 15m so far', '2h 15m so far'],
    ['2026-11-20', '2026-11-20'],
  ])('%j → %j', (text, expected) => {
    expect(readerTime(text)).toBe(expected);
  });
});

describe('utcText', () => {
  it.each([
    ['2026-11-20T10:07:59Z', '20 Nov 2026, 10:07 UTC'],
    ['2026-01-02T00:00:00.500Z', '2 Jan 2026, 00:00 UTC'],
    ['no time here', 'no time here'],
  ])('%j → %j', (text, expected) => {
    expect(utcText(text)).toBe(expected);
  });
});

describe('card facts', () => {
  const closed = sampleCard({
    status: 'resolved',
    dateStarted: '2026-11-20T10:00:00Z',
    dateClosed: '2026-11-20T12:15:00Z',
    fields: [
      { label: 'Started', value: '2026-11-20T10:00:00Z', inline: true },
      { label: 'Closed', value: '2026-11-20T12:15:00Z (after 2h 15m)', inline: true },
    ],
  });

  it.each([
    ['the live card', liveCard([closed], { watchers: [] })],
    ['the unfurl card', unfurlCard(closed)],
  ])('%s shows Started and Closed in the reader’s time', (_name, card) => {
    const facts = JSON.stringify(card.body);
    expect(facts).toContain('"value":"{{DATE(2026-11-20T10:00:00Z, SHORT)}} {{TIME(2026-11-20T10:00:00Z)}}"');
    expect(facts).toContain(
      '"value":"{{DATE(2026-11-20T12:15:00Z, SHORT)}} {{TIME(2026-11-20T12:15:00Z)}} (after 2h 15m)"',
    );
  });
});
