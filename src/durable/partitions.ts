import type { Session } from './database.js';

// Serializes partition creation across instances: two concurrent CREATE ... PARTITION OF can collide.
const PARTITION_LOCK_KEY = 7_346_102_932;

/** Months of mission_logs partitions kept ready beyond the current one. @default 3 */
export const DEFAULT_PARTITIONS_AHEAD = 3;

export interface MonthRange {
  /** Partition table name, e.g. mission_logs_y2026m11. */
  name: string;
  /** First instant of the month, UTC. */
  from: Date;
  /** First instant of the next month, UTC. */
  to: Date;
}

export function monthRange(year: number, monthIndex: number): MonthRange {
  const from = new Date(Date.UTC(year, monthIndex, 1));
  const to = new Date(Date.UTC(year, monthIndex + 1, 1));
  const month = String(from.getUTCMonth() + 1).padStart(2, '0');
  return { name: `mission_logs_y${from.getUTCFullYear()}m${month}`, from, to };
}

/** The month of `at` and the `ahead` months after it. */
export function monthsFrom(at: Date, ahead: number): MonthRange[] {
  return Array.from({ length: ahead + 1 }, (_, offset) =>
    monthRange(at.getUTCFullYear(), at.getUTCMonth() + offset),
  );
}

/** Creates any missing monthly partitions of mission_logs, from `at`'s month to `ahead` months later. */
export async function ensureMonthlyPartitions(
  db: Session,
  at: Date = new Date(),
  ahead: number = DEFAULT_PARTITIONS_AHEAD,
): Promise<string[]> {
  return db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [PARTITION_LOCK_KEY]);
    const created: string[] = [];
    for (const month of monthsFrom(at, ahead)) {
      const { rows } = await tx.query<{ exists: boolean }>('SELECT to_regclass($1) IS NOT NULL AS exists', [
        month.name,
      ]);
      if (rows[0]?.exists) continue;
      // Names and bounds come from our own date arithmetic, never from input: safe to inline.
      await tx.exec(
        `CREATE TABLE ${month.name} PARTITION OF mission_logs
           FOR VALUES FROM ('${month.from.toISOString()}') TO ('${month.to.toISOString()}')`,
      );
      created.push(month.name);
    }
    return created;
  });
}
