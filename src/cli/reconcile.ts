import type { Command } from 'commander';
import { loadConfig } from '../config.js';
import { engineDepsFor } from '../engine/engine-from-runtime.js';
import { reconcile } from '../engine/reconciler.js';
import { createLogger } from '../logger.js';
import { openRuntime } from '../runtime.js';
import { action, UsageError } from './command-errors.js';

export function registerReconcileCommand(program: Command): void {
  program
    .command('reconcile')
    .description('make Redis agree with Postgres once: rebuild lost active missions, remove ended ones')
    .option('--json', 'print the report as JSON')
    .action(
      action(async (options: { json?: boolean }) => {
        const config = loadConfig();
        if (!config.REDIS_URL)
          throw new UsageError(
            'holdout reconcile needs REDIS_URL (the in-process store lives inside holdout serve)',
          );
        const runtime = await openRuntime(config, createLogger('warn'));
        try {
          const report = await reconcile(engineDepsFor(runtime));
          if (options.json) {
            console.log(JSON.stringify(report));
          } else if (report.skipped) {
            console.log('another instance is reconciling right now; nothing done');
          } else {
            console.log(
              `rebuilt ${report.rebuilt.length} active mission(s) from Postgres${list(report.rebuilt)}`,
            );
            console.log(`completed ${report.completed.length} ended mission(s)${list(report.completed)}`);
            console.log(
              `removed ${report.removed.length} mission(s) Postgres has ended${list(report.removed)}`,
            );
          }
        } finally {
          await runtime.close();
        }
      }),
    );
}

function list(ids: string[]): string {
  if (ids.length === 0) return '';
  const shown = ids.slice(0, 20).join(', ');
  return `: ${shown}${ids.length > 20 ? `, … (${ids.length - 20} more)` : ''}`;
}
