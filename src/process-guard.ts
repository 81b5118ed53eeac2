// The last line of defence of a long-running process: an error nothing caught is logged once, with its stack,
// and the process exits non-zero so that its supervisor (systemd, Docker, Kubernetes) restarts it in a known
// state. Carrying on after an unknown failure would serve from state nobody can reason about.
import type { Logger } from './log.ts';

export const CRASH_EXIT_CODE = 1;

/** Installs the handlers; returns a function that removes them (tests, and a clean `serve` exit). */
export function exitOnUnhandledErrors(
  logger: Logger,
  exit: (code: number) => void = process.exit,
): () => void {
  const onException = (error: Error) => {
    logger.fatal({ err: error }, 'uncaught exception: exiting so that the supervisor restarts the process');
    exit(CRASH_EXIT_CODE);
  };
  const onRejection = (reason: unknown) => {
    logger.fatal(
      { err: reason },
      'unhandled promise rejection: exiting so that the supervisor restarts the process',
    );
    exit(CRASH_EXIT_CODE);
  };
  process.on('uncaughtException', onException);
  process.on('unhandledRejection', onRejection);
  return () => {
    process.off('uncaughtException', onException);
    process.off('unhandledRejection', onRejection);
  };
}
