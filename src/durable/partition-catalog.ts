import type { Queryable } from './database.js';
import { type MonthRange, monthRange } from './partitions.js';

/**
 * Where a monthly log table stands: attached to mission_logs, caught half-way through a
 * `DETACH … CONCURRENTLY` that was interrupted, or detached (an archive run stopped before DROP).
 */
export type PartitionState = 'attached' | 'detach_pending' | 'detached';

export interface LogPartition extends MonthRange {
  /** The month as YYYY-MM. */
  month: string;
  state: PartitionState;
}

/** A month named on the command line or in a manifest that is not YYYY-MM. */
export class InvalidMonthError extends Error {
  override readonly name = 'InvalidMonthError';
}

const PARTITION_NAME = /^mission_logs_y(\d{4})m(\d{2})$/;
const MONTH = /^(\d{4})-(\d{2})$/;

function checkedRange(year: number, month: number, shown: string): MonthRange {
  if (month < 1 || month > 12) throw new InvalidMonthError(`${shown}: expected a month 01–12`);
  return monthRange(year, month - 1);
}

/** `2026-07` → the July 2026 partition's name and bounds. */
export function parseMonth(text: string): MonthRange & { month: string } {
  const match = MONTH.exec(text);
  if (!match)
    throw new InvalidMonthError(`${JSON.stringify(text)}: expected a month as YYYY-MM, e.g. 2026-07`);
  return { ...checkedRange(Number(match[1]), Number(match[2]), text), month: text };
}

/** The month (YYYY-MM) of a partition named by monthRange, or null for any other table name. */
export function monthOfPartition(name: string): string | null {
  const match = PARTITION_NAME.exec(name);
  return match ? `${match[1]}-${match[2]}` : null;
}

/**
 * Every monthly log table in the current schema, oldest first: the partitions of mission_logs and
 * any detached leftover of an interrupted archive. Only tables named as monthRange names them are
 * managed here; a partition someone created by hand under another name is left alone.
 */
export async function findLogPartitions(db: Queryable): Promise<LogPartition[]> {
  const { rows } = await db.query<{ name: string; parent: string | null; pending: boolean | null }>(
    `SELECT c.relname AS name, parent.relname AS parent, i.inhdetachpending AS pending
       FROM pg_class c
       LEFT JOIN pg_inherits i ON i.inhrelid = c.oid
       LEFT JOIN pg_class parent ON parent.oid = i.inhparent
      WHERE c.relnamespace = current_schema()::regnamespace
        AND c.relkind = 'r'
        AND c.relname ~ '^mission_logs_y[0-9]{4}m[0-9]{2}$'
      ORDER BY c.relname`,
  );
  const partitions: LogPartition[] = [];
  for (const row of rows) {
    const month = monthOfPartition(row.name);
    if (!month || (row.parent !== null && row.parent !== 'mission_logs')) continue;
    const state: PartitionState =
      row.parent === null ? 'detached' : row.pending ? 'detach_pending' : 'attached';
    partitions.push({ ...parseMonth(month), state });
  }
  return partitions;
}

/** Exact number of rows in one log table. The name must come from findLogPartitions or parseMonth. */
export async function countRows(db: Queryable, table: string): Promise<number> {
  assertPartitionName(table);
  const { rows } = await db.query<{ count: string }>(`SELECT count(*)::text AS count FROM ${table}`);
  return Number(rows[0]?.count ?? 0);
}

/** Names are inlined in DDL (identifiers cannot be parameters): only our own pattern gets through. */
export function assertPartitionName(name: string): void {
  if (!PARTITION_NAME.test(name)) throw new Error(`not a mission_logs partition name: ${name}`);
}

/** Attaches or creates the partition of one month; the bounds come from monthRange, never from input. */
export function partitionBoundsSql(range: MonthRange): string {
  return `FOR VALUES FROM ('${range.from.toISOString()}') TO ('${range.to.toISOString()}')`;
}
