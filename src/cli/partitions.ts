import { type Command, InvalidArgumentError } from 'commander';
import { type Config, loadConfig } from '../config.js';
import type { Database } from '../durable/database.js';
import { missionLogsExist } from '../durable/migrator.js';
import { openDatabase } from '../durable/open-database.js';
import {
  type ArchivedPartition,
  archiveCutoff,
  archivePartitions,
  PartitionArchiveError,
  partitionsToArchive,
} from '../durable/partition-archive.js';
import { countRows, InvalidMonthError } from '../durable/partition-catalog.js';
import { listPartitions } from '../durable/partition-list.js';
import { PartitionMaintenanceBusyError } from '../durable/partition-maintenance-lock.js';
import {
  ArchiveNotFoundError,
  PartitionRestoreError,
  restorePartition,
} from '../durable/partition-restore.js';
import { ensureMonthlyPartitions } from '../durable/partitions.js';
import { action, EXIT_FAILURE, UsageError } from './command-errors.js';
import { stepProgress } from './progress-bar.js';

function wholeMonths(min: number, max: number) {
  return (value: string): number => {
    const months = Number(value);
    if (!/^\d+$/.test(value) || months < min || months > max) {
      throw new InvalidArgumentError(`expected a whole number of months from ${min} to ${max}`);
    }
    return months;
  };
}

const number = new Intl.NumberFormat('en-US');

/** Sizes as pg_size_pretty shows them (1 kB = 1024 bytes). */
export function formatBytes(bytes: number): string {
  const units = ['bytes', 'kB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 10_240 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${Math.round(value)} ${units[unit]}`;
}

function table(header: string[], rows: string[][], rightAligned: Set<number>): string {
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => row[column]!.length)),
  );
  const line = (cells: string[]) =>
    cells
      .map((cell, column) =>
        rightAligned.has(column) ? cell.padStart(widths[column]!) : cell.padEnd(widths[column]!),
      )
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)].join('\n');
}

const day = (date: Date) => date.toISOString().slice(0, 10);

/** Opens the database for a maintenance command; refuses one that has not been migrated. */
async function withDatabase(config: Config, work: (db: Database) => Promise<void>): Promise<void> {
  const db = await openDatabase(config);
  try {
    if (!(await missionLogsExist(db)))
      throw new UsageError('the database has no mission_logs table yet: run `holdout migrate` first');
    await work(db);
  } catch (error) {
    if (
      error instanceof InvalidMonthError ||
      error instanceof PartitionMaintenanceBusyError ||
      error instanceof ArchiveNotFoundError
    ) {
      throw new UsageError(error.message);
    }
    if (error instanceof PartitionArchiveError || error instanceof PartitionRestoreError) {
      // A known failure with its reason: the message is the whole story, a stack would hide it.
      process.stderr.write(`holdout: ${error.message}\n`);
      process.exitCode = EXIT_FAILURE;
      return;
    }
    throw error;
  } finally {
    await db.close();
  }
}

function describeArchived(done: ArchivedPartition): string {
  const how = done.exported ? 'exported' : 'reused the verified archive of an earlier run:';
  return `${done.partition}: ${how} ${number.format(done.rows)} rows (${formatBytes(done.bytes)}), verified, detached, dropped → ${done.file}`;
}

export function registerPartitionsCommand(program: Command): void {
  const partitions = program
    .command('partitions')
    .description('maintain the monthly partitions of mission_logs: ensure, list, archive, restore');

  partitions
    .command('ensure')
    .description("create this month's mission_logs partition and the coming months'")
    .option(
      '--ahead <months>',
      'months to create beyond the current one (default: PARTITIONS_AHEAD_MONTHS)',
      wholeMonths(0, 24),
    )
    .action(
      action(async (options: { ahead?: number }) => {
        const config = loadConfig();
        await withDatabase(config, async (db) => {
          const created = await ensureMonthlyPartitions(
            db,
            new Date(),
            options.ahead ?? config.PARTITIONS_AHEAD_MONTHS,
          );
          console.log(
            created.length === 0 ? 'partitions: all present' : `partitions created: ${created.join(', ')}`,
          );
        });
      }),
    );

  partitions
    .command('list')
    .description('each month of mission_logs: range, state, rows and size, including archived months')
    .option('--dir <folder>', 'archive folder to include (default: HOLDOUT_ARCHIVE_DIR)')
    .option('--estimate', "use the planner's row estimates instead of counting every row")
    .option('--json', 'print JSON instead of a table')
    .action(
      action(async (options: { dir?: string; estimate?: boolean; json?: boolean }) => {
        const config = loadConfig();
        await withDatabase(config, async (db) => {
          const list = await listPartitions(db, {
            dir: options.dir ?? config.HOLDOUT_ARCHIVE_DIR,
            estimate: options.estimate ?? false,
          });
          if (options.json) {
            console.log(JSON.stringify(list, null, 2));
            return;
          }
          const rows = list.map((p) => [
            p.partition,
            day(p.from),
            day(p.to),
            p.state,
            `${p.estimated ? '~' : ''}${number.format(p.rows)}`,
            formatBytes(p.bytes),
            p.archived ? 'yes' : '-',
          ]);
          console.log(
            table(['partition', 'from', 'to', 'state', 'rows', 'size', 'archived'], rows, new Set([4, 5])),
          );
        });
      }),
    );

  partitions
    .command('archive')
    .description(
      'export months older than N months to gzipped NDJSON with a manifest, verify, then detach and drop them',
    )
    .requiredOption(
      '--older-than <months>',
      'archive months that ended before the start of the month N months ago',
      wholeMonths(1, 1200),
    )
    .option('--dir <folder>', 'where data files and manifests go (default: HOLDOUT_ARCHIVE_DIR)')
    .option('--dry-run', 'list the months that would be archived and change nothing')
    .action(
      action(async (options: { olderThan: number; dir?: string; dryRun?: boolean }) => {
        const config = loadConfig();
        const dir = options.dir ?? config.HOLDOUT_ARCHIVE_DIR;
        const now = new Date();
        const cutoff = day(archiveCutoff(now, options.olderThan));
        await withDatabase(config, async (db) => {
          if (options.dryRun) {
            const candidates = await partitionsToArchive(db, {
              olderThanMonths: options.olderThan,
              dir,
              now,
            });
            console.log(`${candidates.length} month(s) before ${cutoff} would be archived into ${dir}`);
            for (const p of candidates)
              console.log(`  ${p.name} (${p.state}, ${number.format(await countRows(db, p.name))} rows)`);
            return;
          }
          const progress = stepProgress();
          try {
            const done = await archivePartitions(db, {
              olderThanMonths: options.olderThan,
              dir,
              now,
              onProgress: (event) => {
                if (event.step === 'export' && event.rowsTotal !== undefined) {
                  progress.update(`${event.partition} export`, event.rowsDone ?? 0, event.rowsTotal);
                }
              },
            });
            progress.stop();
            if (done.length === 0) console.log(`nothing to archive: no partition ends before ${cutoff}`);
            for (const partition of done) console.log(describeArchived(partition));
            if (done.length > 0) {
              const rows = done.reduce((sum, p) => sum + p.rows, 0);
              console.log(`archived ${done.length} month(s), ${number.format(rows)} rows, into ${dir}`);
            }
          } catch (error) {
            progress.stop();
            if (error instanceof PartitionArchiveError)
              for (const p of error.completed) console.log(describeArchived(p));
            throw error;
          }
        });
      }),
    );

  partitions
    .command('restore')
    .description('load an archived month back into mission_logs, verifying its manifest first')
    .argument('<month>', 'the month to restore, as YYYY-MM')
    .option('--dir <folder>', 'where the archive is (default: HOLDOUT_ARCHIVE_DIR)')
    .action(
      action(async (month: string, options: { dir?: string }) => {
        const config = loadConfig();
        const dir = options.dir ?? config.HOLDOUT_ARCHIVE_DIR;
        await withDatabase(config, async (db) => {
          const progress = stepProgress();
          try {
            const restored = await restorePartition(db, month, {
              dir,
              onProgress: (event) => {
                if (event.step === 'load')
                  progress.update(`${event.partition} load`, event.rowsDone ?? 0, event.rowsTotal ?? 0);
              },
            });
            progress.stop();
            console.log(
              `${restored.partition}: restored from ${dir}, ${number.format(restored.rows)} rows verified (${number.format(restored.inserted)} inserted by this run)`,
            );
          } finally {
            progress.stop();
          }
        });
      }),
    );
}
