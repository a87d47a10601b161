import type { Command } from 'commander';
import type { MetricsListener } from '../api/metrics-listener.js';
import { loadConfig } from '../config.js';
import { createLogger } from '../logger.js';
import { openRuntime } from '../runtime.js';
import { action, exitRefused, UsageError } from './command-errors.js';
import { exitOnSignal } from './shutdown.js';

export function registerApiCommand(program: Command): void {
  program
    .command('api')
    .description('run the HTTP API alone (scale out behind a load balancer; ticks run in holdout worker)')
    .action(
      action(async () => {
        const config = loadConfig();
        if (!config.REDIS_URL) {
          throw new UsageError(
            'holdout api needs REDIS_URL: without it nothing ticks missions (use holdout serve)',
          );
        }
        const logger = createLogger(config.LOG_LEVEL);
        // Postgres and Redis are connected to (and the migrations checked) while the HTTP modules load:
        // their round trips overlap with compiling Fastify and the routes. Up even while a store is down:
        // migrations (and, in production, the check that Redis requires a password) retry in the
        // background, /readyz says what is missing.
        const [runtime, { buildApp }, { listenForApiMetrics }, { startTwitchServices }] = await Promise.all([
          openRuntime(config, logger, { prepareDatabase: 'retry-in-background', onLateRefusal: exitRefused }),
          import('../api/build-app.js'),
          import('../api/metrics-listener.js'),
          import('../twitch/twitch-services.js'),
        ]);
        const app = await buildApp(runtime);
        const twitch = startTwitchServices(runtime);
        let metrics: MetricsListener | null = null;
        // Before the ports open: a stop sent the moment the API is ready must be a clean one.
        exitOnSignal(logger, async () => {
          await app.close();
          await metrics?.app.close();
          await twitch.stop();
          await runtime.close();
        });
        const address = await app.listen({ host: config.HOST, port: config.PORT });
        metrics = await listenForApiMetrics(runtime);
        process.stdout.write(
          `Holdout API is serving on ${address} (${runtime.db.kind} + ${runtime.store.kind})\n`,
        );
        if (metrics) process.stdout.write(`Metrics on ${metrics.address}/metrics\n`);
      }),
    );
}
