import type { Database, Session } from './database.js';

// One archive or restore at a time across every instance: two of them on one month would race.
const PARTITION_MAINTENANCE_LOCK_KEY = 7_346_102_933;

/** Another archive or restore holds the lock; waiting for it would only repeat its work. */
export class PartitionMaintenanceBusyError extends Error {
  override readonly name = 'PartitionMaintenanceBusyError';
  constructor() {
    super(
      'another partitions archive or restore is running against this database; try again when it is done',
    );
  }
}

/** Runs `work` on one connection while holding the partition-maintenance advisory lock. */
export async function withMaintenanceLock<T>(
  db: Database,
  work: (session: Session) => Promise<T>,
): Promise<T> {
  return db.session(async (session) => {
    const { rows } = await session.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1) AS locked', [
      PARTITION_MAINTENANCE_LOCK_KEY,
    ]);
    if (!rows[0]?.locked) throw new PartitionMaintenanceBusyError();
    try {
      return await work(session);
    } finally {
      await session.query('SELECT pg_advisory_unlock($1)', [PARTITION_MAINTENANCE_LOCK_KEY]);
    }
  });
}
