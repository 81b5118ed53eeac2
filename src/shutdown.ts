// Graceful shutdown as an ordered list of named steps. The server stops accepting and drains its requests first;
// then the steps run in the order they were registered (flush the ingestion queue, stop the outbox worker, …),
// then the adapters close, then the store. Everything shares one deadline: a step that is still running when it
// passes gets an aborted signal, is logged, and the shutdown moves on, so SIGTERM always ends the process.
import type { Logger } from './log.ts';
import { within } from './within.ts';

/** Must finish (or give up) soon after `signal` aborts; throwing is logged and does not stop the others. */
export type ShutdownStep = (signal: AbortSignal) => Promise<void>;

export type ShutdownReport = { completed: string[]; failed: string[]; late: string[] };

export type ShutdownSteps = {
  /** Registers a step; steps run one after another, in registration order. */
  onShutdown(name: string, step: ShutdownStep): void;
  /** Runs every registered step once, each bounded by what is left until `deadline` (epoch ms). */
  run(deadline: number, logger: Logger): Promise<ShutdownReport>;
};

export function createShutdownSteps(): ShutdownSteps {
  const steps: { name: string; step: ShutdownStep }[] = [];
  let ran: Promise<ShutdownReport> | null = null;
  return {
    onShutdown(name, step) {
      steps.push({ name, step });
    },
    run(deadline, logger) {
      ran ??= runSteps(steps, deadline, logger);
      return ran;
    },
  };
}

async function runSteps(
  steps: readonly { name: string; step: ShutdownStep }[],
  deadline: number,
  logger: Logger,
): Promise<ShutdownReport> {
  const report: ShutdownReport = { completed: [], failed: [], late: [] };
  const controller = new AbortController();
  for (const { name, step } of steps) {
    const left = deadline - Date.now();
    if (left <= 0) controller.abort(new Error('shutdown deadline passed'));
    const work = step(controller.signal).then(
      () => 'done' as const,
      (error: unknown) => {
        logger.error({ err: error, step: name }, 'shutdown step failed');
        return 'failed' as const;
      },
    );
    const timed = await within(work, Math.max(0, left));
    if (timed.kind === 'late') {
      controller.abort(new Error('shutdown deadline passed'));
      logger.warn({ step: name }, 'shutdown step still running at the deadline; moving on');
      report.late.push(name);
    } else if (timed.value === 'done') report.completed.push(name);
    else report.failed.push(name);
  }
  return report;
}

/** Resolves when `work` settles or when `deadline` passes, whichever comes first; true when it settled. */
export async function settledBy(work: Promise<unknown>, deadline: number): Promise<boolean> {
  const timed = await within(
    work.then(
      () => undefined,
      () => undefined,
    ),
    Math.max(0, deadline - Date.now()),
  );
  return timed.kind === 'ready';
}
