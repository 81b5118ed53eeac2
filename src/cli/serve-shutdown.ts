// The order in which `serve` winds down what runs beside the HTTP server, after the server has stopped accepting
// and finished its requests in flight (shutdown.ts runs the steps one after another, within SHUTDOWN_GRACE_MS).
import type { ShutdownSteps } from '../shutdown.ts';

export type ServeParts = {
  /** The ingestion write queue: rows already answered 200 must reach the store before it closes. */
  ingestion: { flush(): Promise<void> };
  /** The outbox worker: finishes the delivery it is sending; the rest stays in the outbox for the next start. */
  notifications: { stop(): Promise<void> };
  /** The alert evaluator (and the live demo traffic): a tick that commits now enqueues into the durable outbox. */
  alerting: { stop(): Promise<void> };
};

export const SERVE_SHUTDOWN_STEPS = ['ingestion flush', 'notification outbox', 'alert evaluator'] as const;

export function registerServeShutdown(steps: Pick<ShutdownSteps, 'onShutdown'>, parts: ServeParts): void {
  // Accepted data first (losing it is the only irreversible loss), then the outbox, then the evaluator: an
  // incident change committed after the worker stopped waits in the outbox table and is sent on the next start.
  steps.onShutdown(SERVE_SHUTDOWN_STEPS[0], () => parts.ingestion.flush());
  steps.onShutdown(SERVE_SHUTDOWN_STEPS[1], () => parts.notifications.stop());
  steps.onShutdown(SERVE_SHUTDOWN_STEPS[2], () => parts.alerting.stop());
}
