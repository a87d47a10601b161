import type { Queryable } from '../durable/database.js';
import { compareDurableIds } from '../durable/durable-id.js';
import { countLoggedTicks } from '../durable/mission-logs.js';
import {
  type CompletingMissionRow,
  lockMissionsForCompletion,
  recordMissionResults,
} from '../durable/missions.js';
import { addMissionsLootToStashes } from '../durable/stash.js';
import { writeSurvivorOutcomes } from '../durable/survivor-missions.js';
import { finishMission, type MissionResult, type MissionState } from '../game/index.js';
import { type ActiveMissionRecord, serializeRecord } from './active-mission-record.js';
import { type EngineDeps, now } from './engine-deps.js';
import { recordFromRow } from './mission-rebuild.js';

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

/** Chaos testing only: where a completion waits, so that a test can kill its process right there. */
export interface CompletionPauses {
  /** After the completion's writes, before its commit. */
  inTransaction(missionIds: readonly string[]): Promise<void>;
  /** After the commit, before the Redis half (and before the flusher acknowledges the final rows). */
  afterCommit(missionIds: readonly string[]): Promise<void>;
}

/** A mission that ended: its id and the state its final tick left. */
export interface EndedMission {
  missionId: string;
  finalState: MissionState;
}

/**
 * What a completion did for one mission: `completed` now (fresh), `done` before (only the Redis half
 * was left, or the mission is unknown), or `incomplete` (an earlier tick is not in mission_logs yet;
 * nothing changed).
 */
export type CompletionOutcome =
  | { kind: 'completed'; result: MissionResult }
  | { kind: 'done' }
  | { kind: 'incomplete'; error: MissionLogIncompleteError };

type MissionRow = CompletingMissionRow;

/**
 * The completion transaction of one ended mission (see completeMissions). Returns its result when this
 * call completed it, null when it was completed before; throws MissionLogIncompleteError (changing
 * nothing) unless ticks 1..n are all in mission_logs.
 */
export async function completeMission(
  deps: EngineDeps,
  missionId: string,
  finalState: MissionState,
): Promise<MissionResult | null> {
  const outcome = (await completeMissions(deps, [{ missionId, finalState }])).get(missionId);
  if (outcome?.kind === 'incomplete') throw outcome.error;
  return outcome?.kind === 'completed' ? outcome.result : null;
}

/**
 * Completes ended missions in one Postgres transaction: each one's result, each survivor's XP, level,
 * grown attributes, perk offers, health and next state, and the loot (supplies and items brought home)
 * in every member's stash. A mission completes at most once (guarded by status = 'active' under its
 * row lock, taken in id order); one completed before changes nothing durable. Only a complete log ends
 * a mission: one whose ticks 1..n are not all in mission_logs is left as it is (`incomplete`) while
 * the others complete. Then every completed mission's Redis state is settled (kept briefly with its
 * result, unscheduled) and its viewers' cached rosters dropped. One transaction for many missions is
 * what lets thousands end at once (a channel event's end) without a transaction each.
 */
export async function completeMissions(
  deps: EngineDeps,
  ended: readonly EndedMission[],
  pauses?: CompletionPauses,
): Promise<Map<string, CompletionOutcome>> {
  const outcomes = new Map<string, CompletionOutcome>();
  // One final state per mission (a retried entry may repeat one), in the order rows are locked.
  const finals = new Map(ended.map((e) => [e.missionId, e.finalState]));
  const ids = [...finals.keys()].sort(compareDurableIds);
  if (ids.length === 0) return outcomes;
  const endedAt = now(deps);
  const settled = await deps.db.transaction(async (tx) => {
    outcomes.clear();
    const missions = await lockMissionsForCompletion(tx, ids);
    // Completed before (a retried outbox entry): only the Redis half may be left to do.
    const settle = missions.filter((m) => m.status !== 'active' && m.result);
    const active = missions.filter((m) => m.status === 'active');
    const logged = await countLoggedTicks(
      tx,
      active.map((m) => ({ id: m.id, upTo: finals.get(m.id)!.tick, startedAt: m.started_at })),
    );
    const completing: { mission: MissionRow; result: MissionResult }[] = [];
    for (const mission of active) {
      const finalState = finals.get(mission.id)!;
      const count = logged.get(mission.id) ?? 0;
      if (count < finalState.tick) {
        const error = new MissionLogIncompleteError(mission.id, count, finalState.tick);
        outcomes.set(mission.id, { kind: 'incomplete', error });
        continue;
      }
      const result = finishMission(finalState, mission.start_snapshot.party, deps.content);
      completing.push({ mission, result });
      outcomes.set(mission.id, { kind: 'completed', result });
    }
    if (completing.length === 0) return settle.map((m) => ({ mission: m, result: m.result! }));
    await writeCompletions(tx, completing, endedAt);
    await pauses?.inTransaction(completing.map((c) => c.mission.id));
    return [...settle.map((m) => ({ mission: m, result: m.result! })), ...completing];
  });
  for (const id of ids) if (!outcomes.has(id)) outcomes.set(id, { kind: 'done' });
  for (const outcome of outcomes.values())
    if (outcome.kind === 'completed') deps.metrics?.missionsCompleted.inc({ status: outcome.result.status });
  const fresh = [...outcomes].filter(([, o]) => o.kind === 'completed').map(([id]) => id);
  if (fresh.length > 0) await pauses?.afterCommit(fresh);
  await settleRecords(deps, settled, finals);
  return outcomes;
}

async function writeCompletions(
  tx: Queryable,
  completing: readonly { mission: MissionRow; result: MissionResult }[],
  endedAt: number,
): Promise<void> {
  await recordMissionResults(
    tx,
    completing.map((c) => ({ missionId: c.mission.id, result: c.result })),
    endedAt,
  );
  await writeSurvivorOutcomes(
    tx,
    completing.flatMap((c) => c.result.survivors),
    endedAt,
  );
  // After the survivors: stash rows come last in the lock order (transaction-retry.ts).
  await addMissionsLootToStashes(
    tx,
    completing.map((c) => ({
      userIds: c.mission.start_snapshot.members.map((m) => m.userId),
      loot: c.result,
    })),
  );
}

/** The Redis half: each mission's final record kept briefly with its result, unscheduled, unlocked. */
async function settleRecords(
  deps: EngineDeps,
  settled: readonly { mission: MissionRow; result: MissionResult }[],
  finals: ReadonlyMap<string, MissionState>,
): Promise<void> {
  if (settled.length === 0) return;
  const { store } = deps;
  const previous = await store.getActiveMissions(settled.map((s) => s.mission.id));
  await Promise.all(
    settled.map(({ mission, result }, i) => {
      const finalState = finals.get(mission.id)!;
      const record: ActiveMissionRecord = { ...recordFromRow(mission, finalState), result };
      const json = previous[i];
      if (json) record.recent = (JSON.parse(json) as ActiveMissionRecord).recent ?? [];
      return store.settleActiveMission(mission.id, serializeRecord(record), COMPLETED_RECORD_KEEP_MS);
    }),
  );
  const viewers = new Set(settled.flatMap((s) => s.mission.start_snapshot.members.map((m) => m.userId)));
  await store.deleteKeys([...viewers].map((userId) => store.keys.viewer(userId)));
}
