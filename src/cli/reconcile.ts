import type { Command } from 'commander';
import { loadConfig } from '../config.js';
import { engineDepsFor } from '../engine/engine-from-runtime.js';
import { REPAIR_LOOKBACK_MS } from '../engine/mission-log-repair.js';
import { reconcile } from '../engine/reconciler.js';
import { createLogger } from '../logger.js';
import { openRuntime } from '../runtime.js';
import { action, EXIT_FAILURE, UsageError } from './command-errors.js';

export function registerReconcileCommand(program: Command): void {
  program
    .command('reconcile')
    .description(
      'make Redis agree with Postgres once: repair logs with a gap, rebuild lost active missions, remove ended ones',
    )
    .option(
      '--lookback-hours <hours>',
      `also repair the logs of missions that ended in the last N hours (default ${REPAIR_LOOKBACK_MS / 3_600_000})`,
    )
    .option('--json', 'print the report as JSON')
    .action(
      action(async (options: { json?: boolean; lookbackHours?: string }) => {
        const hours =
          options.lookbackHours === undefined
            ? REPAIR_LOOKBACK_MS / 3_600_000
            : Number(options.lookbackHours);
        if (!Number.isFinite(hours) || hours < 0)
          throw new UsageError(`--lookback-hours expects a number of hours, got "${options.lookbackHours}"`);
        const config = loadConfig();
        if (!config.REDIS_URL)
          throw new UsageError(
            'holdout reconcile needs REDIS_URL (the in-process store lives inside holdout serve)',
          );
        const runtime = await openRuntime(config, createLogger('warn'));
        try {
          // An operator asks now: every gap counts, even one a flusher may still be about to fill (the
          // repair writes the same row it would, so nothing is written twice).
          const report = await reconcile(engineDepsFor(runtime), {
            repairEndedWithinMs: hours * 3_600_000,
            repairSettleMs: 0,
          });
          // A log that contradicts its replay needs a person: say so in the exit code too.
          if (report.unrepairable.length > 0) process.exitCode = EXIT_FAILURE;
          if (options.json) {
            console.log(JSON.stringify(report));
          } else if (report.skipped) {
            console.log('another instance is reconciling right now; nothing done');
          } else {
            const rows = report.repaired.reduce((sum, r) => sum + r.ticks.length, 0);
            console.log(
              `repaired ${report.repaired.length} mission log(s) with a gap, ${rows} tick(s) re-derived${list(report.repaired.map((r) => r.missionId))}`,
            );
            if (report.unrepairable.length > 0) {
              console.log(`could not repair ${report.unrepairable.length} mission log(s):`);
              for (const { missionId, reason } of report.unrepairable)
                console.log(`  mission ${missionId}: ${reason}`);
            }
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
