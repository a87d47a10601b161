import { compareDurableIds } from '../durable/durable-id.js';
import { addLootToStashes } from '../durable/stash.js';
import { finishMission, type MissionResult, type MissionState, type Survivor } from '../game/index.js';
import { type ActiveMissionRecord, type MissionMember, serializeRecord } from './active-mission-record.js';
import { type EngineDeps, now } from './engine-deps.js';

/** How long a completed mission's record stays in Redis so that panels can show its result, in ms. */
export const COMPLETED_RECORD_KEEP_MS = 120_000;

/**
 * The mission's final row is durable but an earlier tick is not (yet): completing now would end a
 * mission with a gap in its log. The caller retries once the missing tick lands (the flusher keeps
 * the final entry; the reconciler repairs the log from the seed if the tick was lost for good).
 */
export class MissionLogIncompleteError extends Error {
  override readonly name = 'MissionLogIncompleteError';
  constructor(
    readonly missionId: string,
    readonly logged: number,
    readonly needed: number,
  ) {
    super(`mission ${missionId} has ${logged} of ticks 1..${needed} in mission_logs: not completed yet`);
  }
}

// Counts ticks 1..n of one mission; scheduled_at >= started_at lets Postgres skip older partitions.
const COUNT_LOGGED_TICKS = `
  SELECT count(DISTINCT tick_index)::int AS logged FROM mission_logs
   WHERE mission_id = $1 AND tick_index BETWEEN 1 AND $2 AND scheduled_at >= $3`;

interface StartSnapshot {
  party: Survivor[];
  members: MissionMember[];
}

/**
 * The completion transaction of an ended mission: its result, each survivor's XP, level, grown
 * attributes, perk offers, health and next state, and the loot (supplies and items brought home) in
 * every member's stash. Runs at most once per mission (guarded by status = 'active'); a
 * second call changes nothing durable and returns null. Either way the mission's Redis state is then
 * settled (kept briefly with its result, unscheduled) and its viewers' cached rosters dropped.
 * Only a complete log ends a mission: unless ticks 1..n are all in mission_logs, it throws
 * MissionLogIncompleteError and changes nothing.
 */
export async function completeMission(
  deps: EngineDeps,
  missionId: string,
  finalState: MissionState,
): Promise<MissionResult | null> {
  const endedAt = now(deps);
  const completed = await deps.db.transaction(async (tx) => {
    const { rows } = await tx.query<{
      result: MissionResult | null;
      status: string;
      start_snapshot: StartSnapshot;
      channel_id: string;
      kind: 'solo' | 'group';
      started_at: Date;
      tick_interval_ms: number;
    }>(
      `SELECT status, result, start_snapshot, channel_id, kind, started_at, tick_interval_ms
         FROM missions WHERE id = $1 FOR UPDATE`,
      [missionId],
    );
    const mission = rows[0];
    if (!mission) return null;
    // Completed before (a retried outbox entry): only the Redis half may be left to do.
    if (mission.status !== 'active')
      return mission.result ? { result: mission.result, mission, fresh: false } : null;
    const { rows: counted } = await tx.query<{ logged: number }>(COUNT_LOGGED_TICKS, [
      missionId,
      finalState.tick,
      mission.started_at,
    ]);
    const logged = counted[0]?.logged ?? 0;
    if (logged < finalState.tick) throw new MissionLogIncompleteError(missionId, logged, finalState.tick);
    const result = finishMission(finalState, mission.start_snapshot.party, deps.content);
    await tx.query(`UPDATE missions SET status = $2, result = $3, ended_at = $4 WHERE id = $1`, [
      missionId,
      result.status,
      JSON.stringify(result),
      new Date(endedAt),
    ]);
    // Survivors in id order, the one order every transaction locks them in (see durable/transaction-retry.ts).
    const byId = [...result.survivors].sort((a, b) => compareDurableIds(a.survivorId, b.survivorId));
    for (const outcome of byId) {
      const state = outcome.dead ? 'dead' : outcome.recoveryMs > 0 ? 'recovering' : 'idle';
      // Guarded by on_mission: a survivor is only ever changed by the mission it is on.
      await tx.query(
        `UPDATE survivors
            SET xp = $2, level = $3, perk_slots = $4,
                perk_offers = CASE WHEN cardinality($5::text[]) > 0 THEN $5::text[] ELSE perk_offers END,
                health = $6, stamina = $7, state = $8, state_until = $9,
                died_at = CASE WHEN $8 = 'dead' THEN $10::timestamptz ELSE died_at END,
                attributes = $11, max_health = $12, max_stamina = $13
          WHERE id = $1 AND state = 'on_mission'`,
        [
          outcome.survivorId,
          outcome.xp,
          outcome.level,
          outcome.perkSlots,
          outcome.perkOffers,
          outcome.health,
          outcome.stamina,
          state,
          state === 'recovering' ? new Date(endedAt + outcome.recoveryMs) : null,
          new Date(endedAt),
          JSON.stringify(outcome.attributes),
          outcome.maxHealth,
          outcome.maxStamina,
        ],
      );
    }
    // After the survivors: stash rows come last in the lock order (transaction-retry.ts).
    await addLootToStashes(
      tx,
      mission.start_snapshot.members.map((m) => m.userId),
      result,
    );
    return { result, mission, fresh: true };
  });
  if (!completed) return null;

  const { result, mission, fresh } = completed;
  if (fresh) deps.metrics?.missionsCompleted.inc({ status: result.status });
  const members = mission.start_snapshot.members;
  const record: ActiveMissionRecord = {
    tick: finalState.tick,
    id: missionId,
    channelId: mission.channel_id,
    kind: mission.kind,
    startedAt: mission.started_at.getTime(),
    intervalMs: mission.tick_interval_ms,
    nextTickAt: null,
    members,
    state: finalState,
    recent: [],
    result,
  };
  const previous = await deps.store.getActiveMission(missionId);
  if (previous) record.recent = (JSON.parse(previous) as ActiveMissionRecord).recent ?? [];
  await deps.store.settleActiveMission(missionId, serializeRecord(record), COMPLETED_RECORD_KEEP_MS);
  await deps.store.deleteKeys(members.map((m) => deps.store.keys.viewer(m.userId)));
  return fresh ? result : null;
}
