import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { within } from '../src/within.ts';

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('within', () => {
  it('gives the value when the work finishes in time', async () => {
    const timed = within(new Promise<string>((resolve) => setTimeout(resolve, 999, 'done')), 1_000);
    await vi.advanceTimersByTimeAsync(999);
    await expect(timed).resolves.toEqual({ kind: 'ready', value: 'done' });
  });

  it('says late at the limit, and the work still finishes afterwards', async () => {
    const timed = within(new Promise<string>((resolve) => setTimeout(resolve, 1_500, 'done')), 1_000);
    await vi.advanceTimersByTimeAsync(1_000);
    const result = await timed;
    expect(result.kind).toBe('late');
    await vi.advanceTimersByTimeAsync(500);
    if (result.kind === 'late') await expect(result.later).resolves.toBe('done');
  });

  it('passes a failure that comes in time on to the caller', async () => {
    await expect(within(Promise.reject(new Error('down')), 1_000)).rejects.toThrow('down');
  });
});
