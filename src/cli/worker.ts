import type { Command } from 'commander';
import { loadConfig } from '../config.js';
import { createLogger } from '../logger.js';
import { openRuntime } from '../runtime.js';
import { action, exitRefused, UsageError } from './command-errors.js';
import { exitOnSignal } from './shutdown.js';

export function registerWorkerCommand(program: Command): void {
  program
    .command('worker')
    .description('run the tick engine (tick worker, outbox flusher, reconciler) without the API')
    .action(
      action(async () => {
        const config = loadConfig();
        if (!config.REDIS_URL) {
          throw new UsageError(
            'holdout worker needs REDIS_URL: the in-process store is private to one process (use holdout serve)',
          );
        }
        const logger = createLogger(config.LOG_LEVEL);
        // Postgres and Redis are connected to (and the migrations checked) while the engine's modules
        // load: their round trips overlap with compiling them. Up even while a store is down: migrations
        // (and, in production, the check that Redis requires a password) retry in the background,
        // /readyz says what is missing.
        const [runtime, { startWorkerProcess }] = await Promise.all([
          openRuntime(config, logger, { prepareDatabase: 'retry-in-background', onLateRefusal: exitRefused }),
          import('./worker-process.js'),
        ]);
        // Signals are handled from the start: a stop sent the moment the worker is ready must be a
        // clean one, and one sent while it starts waits for the start (a start that failed has exited).
        const starting = startWorkerProcess(runtime);
        exitOnSignal(logger, async () => {
          const stop = await starting.catch(() => null);
          await stop?.();
          await runtime.close();
        });
        await starting;
      }),
    );
}
