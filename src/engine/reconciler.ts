import { randomUUID } from 'node:crypto';
import { isDurableId } from '../durable/durable-id.js';
import { activeMissionIds, whichMissionsActive } from '../durable/missions.js';
import { scheduledAt, serializeRecord } from './active-mission-record.js';
import { completeMission } from './complete-mission.js';
import type { EngineDeps } from './engine-deps.js';
import { rebuildEventBoards } from './event-board-rebuild.js';
import { eventOf } from './launch-channel-event.js';
import {
  type LogRepairReport,
  REPAIR_LIMIT,
  REPAIR_LOOKBACK_MS,
  REPAIR_SETTLE_MS,
  repairMissionLogs,
} from './mission-log-repair.js';
import { foldLoggedTicks, initialState, loadMissionsWithTicks, recordFromRow } from './mission-rebuild.js';

/** Missions checked or rebuilt per round trip. */
const CHUNK = 500;
/** How long one reconciliation may hold the job lock, in ms; it is extended while it runs. */
const RECONCILE_LOCK_TTL_MS = 30_000;

export interface ReconcileReport {
  /** Another instance held the reconciler's lock. */
  skipped: boolean;
  /** Missions whose durable log had a gap: the missing ticks, re-derived from the seed and written. */
  repaired: LogRepairReport['repaired'];
  /** Missions whose log contradicts its replay: left alone, logged as errors. */
  unrepairable: LogRepairReport['unrepairable'];
  /** Active in Postgres, missing in Redis: rebuilt from the snapshot and logged effects. */
  rebuilt: string[];
  /** Their logs showed them ended, but the completion had not run: completed now. */
  completed: string[];
  /** In Redis but ended (or unknown) in Postgres: removed. */
  removed: string[];
  /** Running channel events whose live meter Redis lacked: rebuilt from their logged contributions. */
  eventBoards: string[];
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

export interface ReconcileOptions {
  /** Ended missions are checked for log gaps if they ended within this many ms. @default 3600000 (1 h) */
  repairEndedWithinMs: number;
  /** An active mission's gap counts once the rows after it are this old, in ms. @default 30000 */
  repairSettleMs: number;
}

export const DEFAULT_RECONCILE_OPTIONS: ReconcileOptions = {
  repairEndedWithinMs: REPAIR_LOOKBACK_MS,
  repairSettleMs: REPAIR_SETTLE_MS,
};

/**
 * Makes Redis agree with Postgres, which is authoritative (ADR-0006): first repairs durable logs
 * with a gap (and completes the missions they show ended), then rebuilds every active mission Redis
 * lacks — including one whose start died between its Postgres and Redis halves — and removes Redis
 * state of missions Postgres has ended. One instance at a time, under a job lock.
 */
export async function reconcile(
  deps: EngineDeps,
  options: ReconcileOptions = DEFAULT_RECONCILE_OPTIONS,
): Promise<ReconcileReport> {
  const { store, db } = deps;
  const report: ReconcileReport = {
    skipped: false,
    repaired: [],
    unrepairable: [],
    rebuilt: [],
    completed: [],
    removed: [],
    eventBoards: [],
  };
  const lockKey = store.keys.jobLock('reconciler');
  const token = randomUUID();
  if (!(await store.acquireLock(lockKey, token, RECONCILE_LOCK_TTL_MS))) return { ...report, skipped: true };
  try {
    // Meters first: an event mission put back below must find its event's meter (or it waits for it).
    report.eventBoards = await rebuildEventBoards(deps);
    const repair = await repairMissionLogs(deps, {
      endedWithinMs: options.repairEndedWithinMs,
      settleMs: options.repairSettleMs,
      limit: REPAIR_LIMIT,
      keepAlive: async () => {
        await store.extendLock(lockKey, token, RECONCILE_LOCK_TTL_MS);
      },
    });
    report.repaired = repair.repaired;
    report.unrepairable = repair.unrepairable;
    report.completed.push(...repair.completed);
    const active = await activeMissionIds(db);
    for (const ids of chunks(active, CHUNK)) {
      const present = await store.activeMissionsExist(ids);
      const missing = ids.filter((_, i) => !present[i]);
      if (missing.length > 0) await rebuild(deps, missing, report);
      await store.extendLock(lockKey, token, RECONCILE_LOCK_TTL_MS);
    }
    await removeOrphans(deps, new Set(active), report);
    await store.setValue(store.keys.reconcileMarker, String(Date.now()));
  } finally {
    await store.releaseLock(lockKey, token);
  }
  const metrics = deps.metrics?.reconciledMissions;
  metrics?.inc({ action: 'repaired' }, report.repaired.length);
  metrics?.inc({ action: 'rebuilt' }, report.rebuilt.length);
  metrics?.inc({ action: 'completed' }, report.completed.length);
  metrics?.inc({ action: 'removed' }, report.removed.length);
  if (report.repaired.length + report.rebuilt.length + report.completed.length + report.removed.length > 0) {
    deps.logger?.info(
      {
        repaired: report.repaired.length,
        rebuilt: report.rebuilt.length,
        completed: report.completed.length,
        removed: report.removed.length,
      },
      'reconciled missions',
    );
  }
  return report;
}

async function rebuild(deps: EngineDeps, missionIds: string[], report: ReconcileReport): Promise<void> {
  for (const { mission, ticks } of await loadMissionsWithTicks(deps.db, missionIds)) {
    if (mission.content_version !== deps.content.version) {
      deps.logger?.warn(
        { missionId: mission.id, recorded: mission.content_version, loaded: deps.content.version },
        'rebuilding a mission on content other than it started on',
      );
    }
    const state = foldLoggedTicks(initialState(mission, deps.content), ticks);
    if (state.status !== 'active') {
      if (await completeMission(deps, mission.id, state)) report.completed.push(mission.id);
      continue;
    }
    const record = recordFromRow(mission, state);
    const event = eventOf(mission.event_id, mission.event_kind, mission.start_snapshot.members);
    if (event) record.event = event;
    // Overdue ticks come due at once: the mission catches up on its fixed schedule (ADR-0009).
    record.nextTickAt = scheduledAt(record, state.tick + 1);
    if (await deps.store.restoreActiveMission(mission.id, serializeRecord(record), record.nextTickAt)) {
      report.rebuilt.push(mission.id);
    }
  }
}

async function removeOrphans(deps: EngineDeps, active: Set<string>, report: ReconcileReport): Promise<void> {
  const { store, db } = deps;
  const candidates = (await store.scheduledMissionIds()).filter((id) => !active.has(id));
  for (const ids of chunks(candidates, CHUNK)) {
    // Asked again: a mission started after the first query is active now, not an orphan.
    const numeric = ids.filter(isDurableId);
    const stillActive = await whichMissionsActive(db, numeric);
    for (const id of ids) {
      if (stillActive.has(id)) continue;
      await store.unscheduleMission(id);
      await store.deleteActiveMission(id);
      report.removed.push(id);
    }
  }
}
