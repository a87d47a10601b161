import type { Logger } from '../logger.js';

/** How long shutdown may take before the process exits anyway, in ms. */
const SHUTDOWN_DEADLINE_MS = 15_000;

/** Runs `stop` once on SIGTERM or SIGINT, then exits 0 (or 1 if stopping failed or overran). */
export function exitOnSignal(logger: Logger, stop: () => Promise<void>): void {
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    setTimeout(() => {
      logger.error('shutdown overran its deadline; exiting');
      process.exit(1);
    }, SHUTDOWN_DEADLINE_MS).unref();
    stop().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', onSignal);
  process.once('SIGINT', onSignal);
}
