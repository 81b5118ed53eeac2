// The order `serve` winds down in, through the real shutdown steps: each part starts only once the one before
// it has finished, and a part that fails does not keep the later ones from stopping.
import { describe, expect, it } from 'vitest';
import { registerServeShutdown, SERVE_SHUTDOWN_STEPS } from '../../src/cli/serve-shutdown.ts';
import { createLogger } from '../../src/log.ts';
import { createShutdownSteps } from '../../src/shutdown.ts';

const logger = createLogger('silent');
const later = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('serve shutdown steps', () => {
  it('flushes ingestion first, then stops the outbox worker, then the evaluator, each after the last ended', async () => {
    const events: string[] = [];
    const part = (name: string, ms: number) => async () => {
      events.push(`${name} start`);
      await later(ms);
      events.push(`${name} end`);
    };
    const steps = createShutdownSteps();
    registerServeShutdown(steps, {
      ingestion: { flush: part('ingestion', 30) },
      notifications: { stop: part('outbox', 10) },
      alerting: { stop: part('evaluator', 0) },
    });
    const report = await steps.run(Date.now() + 5_000, logger);
    expect(events).toEqual([
      'ingestion start',
      'ingestion end',
      'outbox start',
      'outbox end',
      'evaluator start',
      'evaluator end',
    ]);
    expect(report).toEqual({ completed: [...SERVE_SHUTDOWN_STEPS], failed: [], late: [] });
  });

  it('still stops the outbox and the evaluator when the flush fails', async () => {
    const stopped: string[] = [];
    const steps = createShutdownSteps();
    registerServeShutdown(steps, {
      ingestion: { flush: () => Promise.reject(new Error('store gone')) },
      notifications: { stop: async () => void stopped.push('outbox') },
      alerting: { stop: async () => void stopped.push('evaluator') },
    });
    const report = await steps.run(Date.now() + 5_000, logger);
    expect(stopped).toEqual(['outbox', 'evaluator']);
    expect(report.failed).toEqual([SERVE_SHUTDOWN_STEPS[0]]);
  });
});
