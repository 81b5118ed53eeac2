// Deadlines on a fake clock: only setTimeout/clearTimeout (and AbortSignal.timeout, built on them) are faked,
// so loopback HTTP, DuckDB and setImmediate keep running for real while the test decides how much time passed.
import { vi } from 'vitest';
import type { QueryBackend } from '../../src/query/backend.ts';

export function useFakeDeadlineClock(): void {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
  // AbortSignal.timeout runs on Node's internal timers, which fake timers do not reach.
  vi.spyOn(AbortSignal, 'timeout').mockImplementation((ms: number) => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(new DOMException('The operation timed out.', 'TimeoutError')), ms);
    return controller.signal;
  });
}

export function useRealClock(): void {
  vi.restoreAllMocks();
  vi.useRealTimers();
}

/**
 * Real I/O turns until `done()` holds (at most `realMs` of wall-clock time, generous so a loaded machine
 * never fails a test). Unlike vi.waitFor it never moves the fake clock.
 */
export async function untilReal(done: () => boolean, realMs = 15_000): Promise<void> {
  const started = performance.now();
  while (!done()) {
    if (performance.now() - started > realMs) throw new Error(`condition not reached within ${realMs} ms`);
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/** A few real I/O turns: lets anything already sent arrive before the test looks. */
export async function settleIo(turns = 50): Promise<void> {
  for (let i = 0; i < turns; i++) await new Promise((resolve) => setImmediate(resolve));
}

export type GatedBackend = QueryBackend & { calls(): number; release(): void; hold(): void };

/** Wraps a real backend: metric batches wait while the gate is held (it starts held), then run for real. */
export function gatedBackend(backend: QueryBackend): GatedBackend {
  let calls = 0;
  let open!: () => void;
  let released!: Promise<void>;
  const hold = () => {
    released = new Promise<void>((resolve) => {
      open = resolve;
    });
  };
  hold();
  return Object.assign(Object.create(backend) as QueryBackend, {
    calls: () => calls,
    release: () => open(),
    hold,
    async runMetrics(...args: Parameters<QueryBackend['runMetrics']>) {
      calls++;
      await released;
      return backend.runMetrics(...args);
    },
  });
}
