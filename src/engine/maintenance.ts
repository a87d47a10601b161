import { randomUUID } from 'node:crypto';
import { DEFAULT_PARTITIONS_AHEAD, ensureMonthlyPartitions } from '../durable/partitions.js';
import type { EngineDeps } from './engine-deps.js';

/** How long one maintenance pass may hold its job lock, in ms. */
const MAINTENANCE_LOCK_TTL_MS = 60_000;

/**
 * Periodic upkeep, one instance at a time: keeps this month's and the coming months' mission_logs
 * partitions in place, so that a flusher never meets a month without one. Returns what it created,
 * or null when another instance held the job.
 */
export async function runMaintenance(
  deps: EngineDeps,
  partitionsAhead: number = DEFAULT_PARTITIONS_AHEAD,
): Promise<string[] | null> {
  const key = deps.store.keys.jobLock('maintenance');
  const token = randomUUID();
  if (!(await deps.store.acquireLock(key, token, MAINTENANCE_LOCK_TTL_MS))) return null;
  try {
    const created = await ensureMonthlyPartitions(
      deps.db,
      new Date((deps.clock ?? Date.now)()),
      partitionsAhead,
    );
    if (created.length > 0) deps.logger?.info({ created }, 'mission_logs partitions created');
    return created;
  } finally {
    await deps.store.releaseLock(key, token);
  }
}
