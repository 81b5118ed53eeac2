import { describe, expect, it } from 'vitest';
import { incidentTimeRange } from '../../src/incidents/time-range.ts';

const NOW = Date.parse('2026-11-20T12:00:00Z');
const at = (iso: string) => Date.parse(iso);
const input = (dateStarted: string, dateClosed: string | null, timeWindow = 600, retentionDays = 90) => ({
  incident: { dateStarted, dateClosed },
  rule: { timeWindow },
  organization: { retentionDays },
  now: NOW,
});

describe('incidentTimeRange', () => {
  it.each([
    [
      'open incident: one window before the start to one window after now',
      '2026-11-20T10:00:00Z',
      null,
      600,
      90,
      '2026-11-20T09:50:00.000Z',
      '2026-11-20T12:10:00.000Z',
    ],
    [
      'closed incident ends one window after the close',
      '2026-11-20T10:00:00Z',
      '2026-11-20T11:00:00Z',
      3600,
      90,
      '2026-11-20T09:00:00.000Z',
      '2026-11-20T12:00:00.000Z',
    ],
    [
      'start clamped to retention',
      '2026-11-10T10:00:00Z',
      null,
      600,
      1,
      '2026-11-19T12:00:00.000Z',
      '2026-11-20T12:10:00.000Z',
    ],
    [
      'end never before the clamped start',
      '2026-11-01T10:00:00Z',
      '2026-11-01T11:00:00Z',
      600,
      1,
      '2026-11-19T12:00:00.000Z',
      '2026-11-19T12:00:00.000Z',
    ],
  ])('%s', (_name, started, closed, window, retention, start, end) => {
    const range = incidentTimeRange(input(started, closed, window, retention));
    expect(new Date(range.start).toISOString()).toBe(start);
    expect(new Date(range.end).toISOString()).toBe(end);
  });

  it('uses an explicit range (a trigger window) but still clamps it', () => {
    const range = incidentTimeRange(input('2026-11-20T10:00:00Z', null, 600, 1), {
      start: at('2026-11-18T00:00:00Z'),
      end: at('2026-11-20T10:00:00Z'),
    });
    expect(range).toEqual({ start: at('2026-11-19T12:00:00Z'), end: at('2026-11-20T10:00:00Z') });
  });
});
