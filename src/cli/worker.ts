import type { Command } from 'commander';
import { listenForMetrics } from '../api/metrics-listener.js';
import { loadConfig } from '../config.js';
import { startEngine } from '../engine/engine.js';
import { engineDepsFor, engineOptionsFor } from '../engine/engine-from-runtime.js';
import { createLogger } from '../logger.js';
import { openRuntime } from '../runtime.js';
import { startTwitchServices } from '../twitch/twitch-services.js';
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
        // Up even while a store is down: migrations (and, in production, the check that Redis requires a
        // password) retry in the background, /readyz says what is missing.
        const runtime = await openRuntime(config, logger, {
          prepareDatabase: 'retry-in-background',
          onLateRefusal: exitRefused,
        });
        const engine = await startEngine(engineDepsFor(runtime), engineOptionsFor(config));
        logger.info({ token: engine.worker.token }, 'worker started');
        const twitch = startTwitchServices(runtime);
        // Workers serve no API; with WORKER_METRICS_PORT they still show Prometheus their series.
        const metrics =
          config.WORKER_METRICS_PORT === undefined
            ? null
            : await listenForMetrics(runtime, config.WORKER_METRICS_PORT, {
                health: true,
                portVariable: 'WORKER_METRICS_PORT',
              });
        if (metrics) logger.info({ address: metrics.address }, 'worker metrics listening');
        process.stdout.write(
          `Holdout worker ${engine.worker.token} started (${runtime.db.kind} + ${runtime.store.kind})\n`,
        );
        exitOnSignal(logger, async () => {
          await engine.stop();
          await twitch.stop();
          await metrics?.app.close();
          await runtime.close();
        });
      }),
    );
}
