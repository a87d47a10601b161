import { readdir } from 'node:fs/promises';
import { readManifest } from './archive-manifest.js';
import type { Queryable } from './database.js';
import {
  countRows,
  findLogPartitions,
  monthOfPartition,
  type PartitionState,
  parseMonth,
} from './partition-catalog.js';

export interface PartitionSummary {
  partition: string;
  /** YYYY-MM */
  month: string;
  from: Date;
  to: Date;
  /** In Postgres (attached, or stuck half-way through an archive), or only in the archive folder. */
  state: PartitionState | 'archived';
  /** Rows in Postgres; for an archived month, rows in its archive. */
  rows: number;
  /** Whether `rows` is the planner's estimate rather than a count. */
  estimated: boolean;
  /** Bytes on disk in Postgres (table and indexes); for an archived month, the compressed file. */
  bytes: number;
  /** Whether a manifest for this month exists in the archive folder. */
  archived: boolean;
}

export interface ListOptions {
  /** Archive folder to look in for archived months; omitted, only Postgres is listed. */
  dir?: string;
  /** Use the planner's row estimate instead of count(*), which reads the whole partition. @default false */
  estimate?: boolean;
}

async function archivedPartitionNames(dir: string): Promise<string[]> {
  try {
    const files = await readdir(dir);
    return files
      .map((file) => /^(mission_logs_y\d{4}m\d{2})\.manifest\.json$/.exec(file)?.[1])
      .filter((name): name is string => name !== undefined);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}

/** Every month of mission_logs, in Postgres or archived, oldest first, with its range, rows and size. */
export async function listPartitions(db: Queryable, options: ListOptions = {}): Promise<PartitionSummary[]> {
  const archivedNames = new Set(options.dir ? await archivedPartitionNames(options.dir) : []);
  const summaries: PartitionSummary[] = [];
  for (const partition of await findLogPartitions(db)) {
    const { rows } = await db.query<{ bytes: string; estimate: string }>(
      `SELECT pg_total_relation_size(c.oid)::text AS bytes, greatest(c.reltuples, 0)::bigint::text AS estimate
         FROM pg_class c WHERE c.oid = $1::regclass`,
      [partition.name],
    );
    const estimate = options.estimate ?? false;
    summaries.push({
      partition: partition.name,
      month: partition.month,
      from: partition.from,
      to: partition.to,
      state: partition.state,
      rows: estimate ? Number(rows[0]?.estimate ?? 0) : await countRows(db, partition.name),
      estimated: estimate,
      bytes: Number(rows[0]?.bytes ?? 0),
      archived: archivedNames.delete(partition.name),
    });
  }
  for (const name of archivedNames) {
    // A manifest that cannot be read is skipped here; restore and archive report it in full.
    const manifest = options.dir ? await readManifest(options.dir, name).catch(() => null) : null;
    const month = monthOfPartition(name);
    if (!manifest || !month) continue;
    const range = parseMonth(month);
    summaries.push({
      partition: name,
      month,
      from: range.from,
      to: range.to,
      state: 'archived',
      rows: manifest.rows,
      estimated: false,
      bytes: manifest.bytes,
      archived: true,
    });
  }
  return summaries.sort((a, b) => a.from.getTime() - b.from.getTime());
}
