import { rm } from 'node:fs/promises';
import {
  type ArchiveManifest,
  ArchiveVerificationError,
  archivePaths,
  newManifest,
  readManifest,
  verifyArchive,
  writeManifest,
} from './archive-manifest.js';
import type { Database, Queryable, Session } from './database.js';
import { countRows, findLogPartitions, type LogPartition, partitionBoundsSql } from './partition-catalog.js';
import { exportPartition } from './partition-export.js';
import { withMaintenanceLock } from './partition-maintenance-lock.js';
import { monthRange } from './partitions.js';

/** The steps of archiving one month, in order. A failure in any of them leaves the rows in Postgres. */
export type ArchiveStep = 'export' | 'verify' | 'detach' | 'drop';

export interface ArchiveProgress {
  partition: string;
  step: ArchiveStep;
  /** Rows exported so far (export step). */
  rowsDone?: number;
  rowsTotal?: number;
}

export interface ArchiveOptions {
  /** Archive every month that ended before the start of the month this many months ago (≥ 1). */
  olderThanMonths: number;
  /** Folder of the data files and manifests. */
  dir: string;
  /** The current time. @default new Date() */
  now?: Date;
  /** Rows per export query. @default 5000 */
  batchSize?: number;
  onProgress?: (progress: ArchiveProgress) => void;
  /** Called before each step; throwing stops the run there, as a crash would (tests use it). */
  beforeStep?: (step: ArchiveStep, partition: string) => void | Promise<void>;
}

export interface ArchivedPartition {
  partition: string;
  month: string;
  rows: number;
  bytes: number;
  file: string;
  /** False when a verified archive from an earlier, interrupted run was reused. */
  exported: boolean;
}

/** One month could not be archived; its partition is still in place (or was put back). */
export class PartitionArchiveError extends Error {
  override readonly name = 'PartitionArchiveError';
  constructor(
    readonly partition: string,
    readonly step: ArchiveStep,
    readonly reason: string,
    /** The months archived before this one failed. */
    readonly completed: ArchivedPartition[],
  ) {
    super(
      `${partition}: ${step} failed: ${reason}; its rows are still in mission_logs. Run archive again to resume.`,
    );
  }
}

/** The first instant that is kept: months ending at or before it are archived. */
export function archiveCutoff(now: Date, olderThanMonths: number): Date {
  return monthRange(now.getUTCFullYear(), now.getUTCMonth() - olderThanMonths).from;
}

/** The months `archivePartitions` would archive now. */
export async function partitionsToArchive(db: Queryable, options: ArchiveOptions): Promise<LogPartition[]> {
  if (!Number.isInteger(options.olderThanMonths) || options.olderThanMonths < 1) {
    // The current month still receives ticks: it is never a candidate.
    throw new RangeError('olderThanMonths must be a whole number of at least 1');
  }
  const cutoff = archiveCutoff(options.now ?? new Date(), options.olderThanMonths);
  return (await findLogPartitions(db)).filter((partition) => partition.to <= cutoff);
}

/**
 * Archives every month older than `olderThanMonths`: export to gzipped NDJSON, write the manifest,
 * read the file back and verify it, detach the partition, check that the detached table holds exactly
 * the archived rows, then drop it. Stops at the first failure. Running it again resumes: a verified
 * archive that still matches the partition's row count is reused instead of exported again.
 */
export async function archivePartitions(db: Database, options: ArchiveOptions): Promise<ArchivedPartition[]> {
  return withMaintenanceLock(db, async (session) => {
    const candidates = await partitionsToArchive(session, options);
    const done: ArchivedPartition[] = [];
    for (const partition of candidates) {
      done.push(await archiveOne(session, partition, options, done));
    }
    return done;
  });
}

async function archiveOne(
  session: Session,
  partition: LogPartition,
  options: ArchiveOptions,
  completed: ArchivedPartition[],
): Promise<ArchivedPartition> {
  const { name } = partition;
  let step: ArchiveStep = 'export';
  const enter = async (next: ArchiveStep) => {
    step = next;
    options.onProgress?.({ partition: name, step });
    await options.beforeStep?.(step, name);
  };
  try {
    if (partition.state === 'detach_pending') {
      await enter('detach');
      // An interrupted DETACH … CONCURRENTLY leaves the partition half-detached until finalized.
      await session.exec(`ALTER TABLE mission_logs DETACH PARTITION ${name} FINALIZE`);
    }
    const liveRows = await countRows(session, name);
    let manifest = await reusableManifest(options.dir, name, liveRows);
    const exported = manifest === null;
    if (manifest === null) {
      await enter('export');
      const paths = archivePaths(options.dir, name);
      const digest = await exportPartition(session, name, paths.data, paths.partial, {
        ...(options.batchSize === undefined ? {} : { batchSize: options.batchSize }),
        onRows: (rowsDone) => options.onProgress?.({ partition: name, step, rowsDone, rowsTotal: liveRows }),
      });
      manifest = newManifest(name, partition.month, partition, digest);
      await writeManifest(options.dir, manifest);
    }
    await enter('verify');
    await verifyArchive(options.dir, manifest);
    if (manifest.rows !== liveRows) {
      throw new ArchiveVerificationError(`the file holds ${manifest.rows} rows, the partition ${liveRows}`);
    }
    if (!manifest.verifiedAt) {
      manifest = { ...manifest, verifiedAt: new Date().toISOString() };
      await writeManifest(options.dir, manifest);
    }
    if (partition.state === 'attached') {
      await enter('detach');
      await detachPartition(session, name);
    }
    // Detached, the table can no longer receive rows: this count is final.
    const frozenRows = await countRows(session, name);
    if (frozenRows !== manifest.rows) {
      await session.exec(
        `ALTER TABLE mission_logs ATTACH PARTITION ${name} ${partitionBoundsSql(partition)}`,
      );
      throw new ArchiveVerificationError(
        `rows arrived during the export (${frozenRows} now, ${manifest.rows} archived); the partition was attached again`,
      );
    }
    await enter('drop');
    await session.exec(`DROP TABLE ${name}`);
    return {
      partition: name,
      month: partition.month,
      rows: manifest.rows,
      bytes: manifest.bytes,
      file: archivePaths(options.dir, name).data,
      exported,
    };
  } catch (error) {
    throw new PartitionArchiveError(name, step, (error as Error).message, [...completed]);
  }
}

/**
 * A manifest from an earlier run whose file still verifies and whose count still matches the
 * partition, or null when the month must be exported (again). A file without a manifest is an
 * interrupted export: it is simply overwritten.
 */
async function reusableManifest(
  dir: string,
  partition: string,
  liveRows: number,
): Promise<ArchiveManifest | null> {
  let manifest: ArchiveManifest | null;
  try {
    manifest = await readManifest(dir, partition);
  } catch (error) {
    if (error instanceof ArchiveVerificationError) return null;
    throw error;
  }
  if (manifest === null || manifest.rows !== liveRows) return null;
  try {
    await verifyArchive(dir, manifest);
    return manifest;
  } catch (error) {
    if (!(error instanceof ArchiveVerificationError)) throw error;
    await rm(archivePaths(dir, partition).data, { force: true });
    return null;
  }
}

/**
 * DETACH … CONCURRENTLY takes only a SHARE UPDATE EXCLUSIVE lock, so the flusher keeps writing
 * the current month meanwhile. It cannot run inside a transaction block; where the server refuses it
 * for that reason, a plain DETACH (a short ACCESS EXCLUSIVE lock) does the same job.
 */
async function detachPartition(session: Session, name: string): Promise<void> {
  try {
    await session.exec(`ALTER TABLE mission_logs DETACH PARTITION ${name} CONCURRENTLY`);
  } catch (error) {
    const message = (error as Error).message;
    // "already pending detach … FINALIZE" is a real state to resolve, not a refusal of CONCURRENTLY.
    if (!/CONCURRENTLY|transaction block/i.test(message) || /FINALIZE/.test(message)) throw error;
    await session.exec(`ALTER TABLE mission_logs DETACH PARTITION ${name}`);
  }
}
