// How notifications join the incident lifecycle: the outbox jobs are written inside the transaction that
// changes incidents (a change and its deliveries commit together), and the worker, if this process runs one,
// is woken once that transaction has committed (before, it could not see the jobs).
import type { AppOptions } from '../app-factory.ts';
import { enqueueNotifications } from './enqueue.ts';

type Wakeable = { wake(): void };

export type NotificationHooks = Required<Pick<AppOptions, 'changeHooks' | 'afterCommit'>> & {
  /** The worker to wake after commits (serve); without one the jobs wait for the next running server. */
  attach(worker: Wakeable): void;
};

export function notificationHooks(): NotificationHooks {
  let worker: Wakeable | null = null;
  return {
    changeHooks: [
      async (connection, changes) => {
        await enqueueNotifications(connection, changes);
      },
    ],
    afterCommit: () => worker?.wake(),
    attach(next) {
      worker = next;
    },
  };
}
