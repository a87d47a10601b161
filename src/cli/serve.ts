import type { Command } from 'commander';
import { buildApp } from '../api/build-app.js';
import { loadConfig } from '../config.js';
import { createLogger } from '../logger.js';
import { openRuntime } from '../runtime.js';
import { action } from './command-errors.js';

/** How long shutdown may take before the process exits anyway, in ms. */
const SHUTDOWN_DEADLINE_MS = 10_000;

export function registerServeCommand(program: Command): void {
  program
    .command('serve')
    .description(
      'run the API, the tick worker and maintenance in one process (embedded stores unless configured)',
    )
    .action(
      action(async () => {
        const config = loadConfig();
        const logger = createLogger(config.LOG_LEVEL);
        const runtime = await openRuntime(config, logger);
        const app = await buildApp(runtime);
        const address = await app.listen({ host: config.HOST, port: config.PORT });
        const stores = `${runtime.db.kind} + ${runtime.store.kind === 'redis' ? 'redis' : 'in-process store'}`;
        process.stdout.write(`Holdout is serving on ${address} (${stores})\n`);

        let stopping = false;
        const stop = async (signal: string) => {
          if (stopping) return;
          stopping = true;
          logger.info({ signal }, 'shutting down');
          setTimeout(() => process.exit(1), SHUTDOWN_DEADLINE_MS).unref();
          await app.close();
          await runtime.close();
          process.exit(0);
        };
        process.once('SIGTERM', () => void stop('SIGTERM'));
        process.once('SIGINT', () => void stop('SIGINT'));
      }),
    );
}
