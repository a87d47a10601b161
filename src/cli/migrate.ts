import type { Command } from 'commander';
import { loadConfig } from '../config.js';
import { migrate } from '../durable/migrator.js';
import { openDatabase } from '../durable/open-database.js';
import { ensureMonthlyPartitions } from '../durable/partitions.js';
import { action } from './command-errors.js';

export function registerMigrateCommand(program: Command): void {
  program
    .command('migrate')
    .description('apply pending database migrations and create upcoming mission_logs partitions')
    .action(
      action(async () => {
        const config = loadConfig();
        const db = await openDatabase(config);
        try {
          const applied = await migrate(db);
          const created = await ensureMonthlyPartitions(db, new Date(), config.PARTITIONS_AHEAD_MONTHS);
          console.log(
            applied.length === 0 ? 'migrations: up to date' : `migrations applied: ${applied.join(', ')}`,
          );
          if (created.length > 0) console.log(`partitions created: ${created.join(', ')}`);
        } finally {
          await db.close();
        }
      }),
    );
}
