// The ordering under the pipelined ingestion writer: preparations overlap, the serial steps never do and follow
// submission order, whatever order the preparations finish in and whichever of them fail.
import { describe, expect, it } from 'vitest';
import { createOrderedLanes } from '../../../src/store/duckdb/ordered-lanes.ts';

const later = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('ordered lanes', () => {
  it('runs the serial steps one at a time in submission order, preparations finishing in any order', async () => {
    const lanes = createOrderedLanes(['a', 'b']);
    const log: string[] = [];
    let serial = 0;
    let mostSerial = 0;
    let preparing = 0;
    let mostPreparing = 0;
    // Earlier jobs prepare for longer, so each later one is ready first.
    const jobs = [30, 20, 10, 5, 1].map((ms, index) =>
      lanes.run(async (lane, turn) => {
        preparing++;
        mostPreparing = Math.max(mostPreparing, preparing);
        await later(ms);
        preparing--;
        await turn();
        serial++;
        mostSerial = Math.max(mostSerial, serial);
        log.push(`${index}@${lane}`);
        await later(2);
        serial--;
      }),
    );
    await Promise.all(jobs);
    expect(log.map((entry) => entry.split('@')[0])).toEqual(['0', '1', '2', '3', '4']);
    expect(mostSerial).toBe(1);
    // Two lanes: two preparations at once, never three.
    expect(mostPreparing).toBe(2);
    expect(new Set(log.map((entry) => entry.split('@')[1]))).toEqual(new Set(['a', 'b']));
  });

  it('does not let a job after a failed preparation take its turn before the jobs ahead of it', async () => {
    const lanes = createOrderedLanes([1, 2]);
    const log: string[] = [];
    const first = lanes.run(async (_lane, turn) => {
      await turn();
      await later(20);
      log.push('first committed');
    });
    const failing = lanes.run(async () => {
      throw new Error('unreadable');
    });
    const third = lanes.run(async (_lane, turn) => {
      await turn();
      log.push('third committed');
    });
    await expect(failing).rejects.toThrow('unreadable');
    await Promise.all([first, third]);
    expect(log).toEqual(['first committed', 'third committed']);
  });

  it('tells when every job submitted so far is prepared, before its serial step ends', async () => {
    const lanes = createOrderedLanes(['a', 'b']);
    const gate = () => {
      let open!: () => void;
      const opened = new Promise<void>((resolve) => {
        open = resolve;
      });
      return { open, opened };
    };
    const staged = gate();
    const committing = gate();
    const steps: string[] = [];
    const job = lanes.run(async (_lane, turn) => {
      await staged.opened;
      await turn();
      await committing.opened;
      steps.push('committed');
    });
    const prepared = lanes.prepared().then(() => steps.push('prepared'));
    await later(5);
    expect(steps).toEqual([]);
    staged.open();
    await prepared;
    expect(steps).toEqual(['prepared']);
    committing.open();
    await job;
    expect(steps).toEqual(['prepared', 'committed']);
  });

  it('keeps jobs that never overlap on one lane', async () => {
    const lanes = createOrderedLanes(['a', 'b']);
    const used: string[] = [];
    for (let job = 0; job < 4; job++) {
      await lanes.run(async (lane, turn) => {
        await turn();
        used.push(lane);
      });
    }
    expect(used).toEqual(['a', 'a', 'a', 'a']);
  });
});
