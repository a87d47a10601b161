import type { EngineDeps } from './engine-deps.js';

/** How long a quarantined record is kept for a post-mortem, in ms. @default 7 days */
export const QUARANTINE_KEEP_MS = 7 * 24 * 3_600_000;

/**
 * Moves aside the Redis record of a mission that cannot be parsed (not JSON, or not a mission
 * record), instead of failing on it at every claim forever. The caller holds the mission's tick
 * lock. The record is copied to `quarantined_mission:{id}`, the mission leaves `missions_due`, then
 * its record is deleted, in that order: a reconciliation in between still sees the record and leaves
 * it, and the next one finds it missing and rebuilds it from Postgres (snapshot plus logged ticks).
 */
export async function quarantineMission(
  deps: EngineDeps,
  missionId: string,
  json: string,
  lockToken: string,
  reason: unknown,
): Promise<void> {
  const { store } = deps;
  await store.setValue(store.keys.quarantinedMission(missionId), json, QUARANTINE_KEEP_MS);
  await store.unscheduleMission(missionId);
  await store.deleteActiveMission(missionId);
  await store.releaseLock(store.keys.tickLock(missionId), lockToken);
  deps.metrics?.quarantinedMissions.inc();
  deps.logger?.error(
    { err: reason, missionId },
    'quarantined a corrupt mission record; the reconciler rebuilds the mission from Postgres',
  );
}
