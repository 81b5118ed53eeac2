// The live demo: its traffic, evaluated minute by minute, opens an incident about two minutes after start that
// escalates, de-escalates and resolves, and the next spike opens a new one.
import { describe, expect, it } from 'vitest';
import { createAlertEvaluator } from '../../src/alerting/alert-evaluator.ts';
import { LIVE_DEMO_RULE, liveEvents } from '../../demo/live-traffic.ts';
import { importDataset } from '../../src/store/import/import.ts';
import { alertingDataset } from '../alerting/alerting-fixture.ts';
import { createTestApp } from '../support/test-app.ts';

const MINUTE = 60_000;
const START = Date.parse('2026-12-01T12:00:00Z');

describe('live demo traffic', () => {
  it('writes each minute at its rate, whatever the slices', () => {
    let n = 0;
    const next = () => n++;
    const whole = liveEvents(START, START + 6 * MINUTE, START, next);
    const sliced = Array.from({ length: 72 }, (_, i) =>
      liveEvents(START + i * 5_000, START + (i + 1) * 5_000, START, next),
    ).flat();
    const perMinute = (rows: typeof whole) =>
      Array.from(
        { length: 6 },
        (_, m) => rows.filter((r) => Math.floor((r.timestamp - START) / MINUTE) === m).length,
      );
    expect(perMinute(whole)).toEqual([2, 30, 60, 60, 30, 2]);
    expect(perMinute(sliced)).toEqual(perMinute(whole));
  });

  it('opens an incident at +2 min, escalates, de-escalates, resolves at +6 min, and again after the next spike', async () => {
    const test = await createTestApp({ dataset: alertingDataset() });
    try {
      expect((await importDataset(test.store, { version: 1, alertRules: [LIVE_DEMO_RULE] })).ok).toBe(true);
      let n = 0;
      await test.store.backend.writeEvents(liveEvents(START, START + 20 * MINUTE, START, () => n++));
      const evaluator = createAlertEvaluator(test.app, test.store.database, MINUTE);
      const report = await evaluator.replay({
        from: START,
        to: START + 20 * MINUTE,
        ruleId: LIVE_DEMO_RULE.id,
      });
      const minute = (iso: string) => (Date.parse(iso) - START) / MINUTE;
      expect(report.changes.map((c) => [minute(c.at), c.kind, c.to])).toEqual([
        [2, 'created', 'warning'],
        [3, 'escalated', 'critical'],
        [5, 'deescalated', 'warning'],
        [6, 'resolved', 'resolved'],
        [17, 'created', 'warning'],
        [18, 'escalated', 'critical'],
        [20, 'deescalated', 'warning'],
      ]);
    } finally {
      await test.close();
    }
  });
});
