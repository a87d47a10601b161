import type { Queryable } from '../durable/database.js';
import { type LoggedTick, loggedTicksOf } from '../durable/mission-logs.js';
import { loadMissionRows, type MissionRow } from '../durable/missions.js';
import {
  applyEffects,
  type Content,
  type MissionState,
  startMission as startGameMission,
} from '../game/index.js';
import type { ActiveMissionRecord } from './active-mission-record.js';

/** The state a mission started from: the game's start on the stored party, seed and length. */
export function initialState(mission: MissionRow, content: Content): MissionState {
  const state = startGameMission(
    {
      party: mission.start_snapshot.party,
      location: mission.location,
      difficulty: mission.difficulty,
      seed: mission.seed,
    },
    content,
  );
  return { ...state, length: mission.length_ticks };
}

/**
 * Folds logged ticks onto the starting state, in order, stopping at the first gap: ticks after a
 * gap are re-run by the engine (deterministically) rather than trusted out of order.
 */
export function foldLoggedTicks(start: MissionState, ticks: readonly LoggedTick[]): MissionState {
  let state = start;
  for (const logged of ticks) {
    if (logged.tick_index !== state.tick + 1 || state.status !== 'active') break;
    state = applyEffects(state, logged.effects);
  }
  return state;
}

/** Missions and their logged effects, loaded in two queries. */
export async function loadMissionsWithTicks(
  db: Queryable,
  missionIds: readonly string[],
): Promise<{ mission: MissionRow; ticks: LoggedTick[] }[]> {
  const missions = await loadMissionRows(db, missionIds);
  const ticks = await loggedTicksOf(db, missionIds);
  return missions.map((mission) => ({ mission, ticks: ticks.get(mission.id) ?? [] }));
}

/**
 * The Redis record of a mission rebuilt from its Postgres row in `state`, with no recent lines and
 * no tick scheduled: the reconciler schedules it, a completion sets its result.
 */
export function recordFromRow(
  mission: Pick<
    MissionRow,
    'id' | 'channel_id' | 'kind' | 'started_at' | 'tick_interval_ms' | 'start_snapshot'
  >,
  state: MissionState,
): ActiveMissionRecord {
  return {
    tick: state.tick,
    id: mission.id,
    channelId: mission.channel_id,
    kind: mission.kind,
    startedAt: mission.started_at.getTime(),
    intervalMs: mission.tick_interval_ms,
    nextTickAt: null,
    members: mission.start_snapshot.members,
    state,
    recent: [],
  };
}
