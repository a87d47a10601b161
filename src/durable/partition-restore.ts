import { createReadStream } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { createGunzip } from 'node:zlib';
import { ArchiveVerificationError, readManifest, verifyArchive } from './archive-manifest.js';
import type { Database, Session } from './database.js';
import { countRows, findLogPartitions, parseMonth, partitionBoundsSql } from './partition-catalog.js';
import { withMaintenanceLock } from './partition-maintenance-lock.js';

/** Rows per INSERT while restoring. @default 2000 */
export const DEFAULT_RESTORE_BATCH_SIZE = 2_000;

export type RestoreStep = 'verify' | 'attach' | 'load' | 'count';

export interface RestoreProgress {
  partition: string;
  step: RestoreStep;
  rowsDone?: number;
  rowsTotal?: number;
}

export interface RestoreOptions {
  /** Folder of the data files and manifests. */
  dir: string;
  /** Rows per INSERT. @default 2000 */
  batchSize?: number;
  onProgress?: (progress: RestoreProgress) => void;
}

export interface RestoredPartition {
  partition: string;
  month: string;
  rows: number;
  /** Rows this run inserted; 0 when the month was already fully restored. */
  inserted: number;
}

/** A month that cannot be restored, with the reason; nothing was changed unless the message says so. */
export class PartitionRestoreError extends Error {
  override readonly name: string = 'PartitionRestoreError';
}

/** The archive folder holds no manifest for that month: a wrong month or folder, not a broken archive. */
export class ArchiveNotFoundError extends PartitionRestoreError {
  override readonly name = 'ArchiveNotFoundError';
}

/**
 * Brings an archived month back into mission_logs: verifies the manifest's checksum and count first,
 * recreates (or re-attaches) the partition, loads the rows with ON CONFLICT DO NOTHING, so an
 * interrupted restore can simply be run again, and checks the final count against the manifest.
 */
export async function restorePartition(
  db: Database,
  month: string,
  options: RestoreOptions,
): Promise<RestoredPartition> {
  const range = parseMonth(month);
  const manifest = await readManifest(options.dir, range.name);
  if (!manifest)
    throw new ArchiveNotFoundError(`no archive of ${month} in ${options.dir} (${range.name}.manifest.json)`);
  if (manifest.range.from !== range.from.toISOString() || manifest.range.to !== range.to.toISOString()) {
    throw new PartitionRestoreError(`${range.name}: the manifest's range does not match the month ${month}`);
  }
  const progress = (step: RestoreStep, rowsDone?: number) =>
    options.onProgress?.({
      partition: range.name,
      step,
      rowsTotal: manifest.rows,
      ...(rowsDone === undefined ? {} : { rowsDone }),
    });

  progress('verify');
  try {
    await verifyArchive(options.dir, manifest);
  } catch (error) {
    if (error instanceof ArchiveVerificationError)
      throw new PartitionRestoreError(`${error.message}; nothing was restored`);
    throw error;
  }

  return withMaintenanceLock(db, async (session) => {
    progress('attach');
    const existing = (await findLogPartitions(session)).find((partition) => partition.name === range.name);
    if (!existing) {
      await session.exec(`CREATE TABLE ${range.name} PARTITION OF mission_logs ${partitionBoundsSql(range)}`);
    } else if (existing.state === 'detach_pending') {
      await session.exec(`ALTER TABLE mission_logs DETACH PARTITION ${range.name} FINALIZE`);
    }
    if (existing && existing.state !== 'attached') {
      // The leftover of an interrupted archive: still holds its rows, put it back as it was.
      await session.exec(
        `ALTER TABLE mission_logs ATTACH PARTITION ${range.name} ${partitionBoundsSql(range)}`,
      );
    }

    progress('load', 0);
    const inserted = await loadRows(
      session,
      join(options.dir, manifest.file),
      options.batchSize,
      (rowsDone) => progress('load', rowsDone),
    );

    progress('count');
    const rows = await countRows(session, range.name);
    if (rows !== manifest.rows) {
      throw new PartitionRestoreError(
        `${range.name} holds ${rows} rows after the restore, the manifest says ${manifest.rows}; the partition is attached, inspect it before archiving it again`,
      );
    }
    return { partition: range.name, month, rows, inserted };
  });
}

/**
 * The archive's columns, checked against mission_logs: a column the table no longer has is refused,
 * and a column added since the archive was written takes its default instead of NULL.
 */
async function columnsOf(session: Session, firstLine: string): Promise<string> {
  const archived = Object.keys(JSON.parse(firstLine) as Record<string, unknown>);
  const { rows } = await session.query<{ name: string }>(
    `SELECT attname AS name FROM pg_attribute
      WHERE attrelid = 'mission_logs'::regclass AND attnum > 0 AND NOT attisdropped`,
  );
  const known = new Set(rows.map((row) => row.name));
  const unknown = archived.filter((column) => !known.has(column));
  if (unknown.length > 0) {
    throw new PartitionRestoreError(`the archive has columns mission_logs does not: ${unknown.join(', ')}`);
  }
  return archived.map((column) => `"${column}"`).join(', ');
}

async function loadRows(
  session: Session,
  path: string,
  batchSize = DEFAULT_RESTORE_BATCH_SIZE,
  onRows: (rowsDone: number) => void,
): Promise<number> {
  const lines = createInterface({ input: createReadStream(path).pipe(createGunzip()), crlfDelay: Infinity });
  let columns: string | undefined;
  let batch: string[] = [];
  let read = 0;
  let inserted = 0;
  const flush = async () => {
    if (batch.length === 0) return;
    columns ??= await columnsOf(session, batch[0]!);
    // The lines go back to Postgres as they were written: parsing them in JavaScript would round
    // bigints and microseconds. json_populate_recordset maps them by column name.
    const result = await session.query(
      `INSERT INTO mission_logs (${columns})
       SELECT ${columns} FROM json_populate_recordset(NULL::mission_logs, $1::json)
       ON CONFLICT DO NOTHING`,
      [`[${batch.join(',')}]`],
    );
    inserted += result.rowCount;
    read += batch.length;
    batch = [];
    onRows(read);
  };
  for await (const line of lines) {
    if (line.length === 0) continue;
    batch.push(line);
    if (batch.length >= batchSize) await flush();
  }
  await flush();
  return inserted;
}
