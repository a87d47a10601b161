import type { Command } from 'commander';
import { buildApp } from '../api/build-app.js';
import { listenForApiMetrics, type MetricsListener } from '../api/metrics-listener.js';
import { loadConfig } from '../config.js';
import { startEngine } from '../engine/engine.js';
import { engineDepsFor, engineOptionsFor } from '../engine/engine-from-runtime.js';
import { createLogger } from '../logger.js';
import { openRuntime } from '../runtime.js';
import { startTwitchServices } from '../twitch/twitch-services.js';
import { action, exitRefused } from './command-errors.js';
import { exitOnSignal } from './shutdown.js';

export function registerServeCommand(program: Command): void {
  program
    .command('serve')
    .description(
      'run the API, the tick engine and maintenance in one process (embedded stores unless configured)',
    )
    .action(
      action(async () => {
        const config = loadConfig();
        const logger = createLogger(config.LOG_LEVEL);
        // Up even while a store is down: migrations (and, in production, the check that Redis requires a
        // password) retry in the background, /readyz says what is missing.
        const runtime = await openRuntime(config, logger, {
          prepareDatabase: 'retry-in-background',
          onLateRefusal: exitRefused,
        });
        const engine = await startEngine(engineDepsFor(runtime), engineOptionsFor(config));
        const app = await buildApp(runtime);
        const twitch = startTwitchServices(runtime);
        let metrics: MetricsListener | null = null;
        // Before the ports open: a stop sent the moment the process is ready must be a clean one.
        exitOnSignal(logger, async () => {
          await app.close();
          await metrics?.app.close();
          await twitch.stop();
          await engine.stop();
          await runtime.close();
        });
        const address = await app.listen({ host: config.HOST, port: config.PORT });
        metrics = await listenForApiMetrics(runtime);
        const stores = `${runtime.db.kind} + ${runtime.store.kind === 'redis' ? 'redis' : 'in-process store'}`;
        process.stdout.write(`Holdout is serving on ${address} (${stores})\n`);
        if (metrics) process.stdout.write(`Metrics on ${metrics.address}/metrics\n`);
        if (config.HOLDOUT_DEV_TOKENS) process.stdout.write(`Play it locally: ${address}/dev\n`);
      }),
    );
}
