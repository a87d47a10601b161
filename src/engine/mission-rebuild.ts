import type { Queryable } from '../durable/database.js';
import type { ChannelEventKind } from '../game/channel-event.js';
import {
  applyEffects,
  type Content,
  type MissionState,
  type Survivor,
  startMission as startGameMission,
  type TickEffect,
} from '../game/index.js';
import type { MissionMember } from './active-mission-record.js';

/** A missions row as rebuilding and replay need it. */
export interface MissionRow {
  id: string;
  channel_id: string;
  kind: 'solo' | 'group';
  location: string;
  difficulty: number;
  seed: string;
  content_version: string;
  status: string;
  length_ticks: number;
  tick_interval_ms: number;
  start_snapshot: { party: Survivor[]; members: MissionMember[] };
  started_at: Date;
  /** A channel event's mission: the event, its kind and its shared seed; null otherwise. */
  event_id: string | null;
  event_kind: ChannelEventKind | null;
  event_seed: string | null;
}

// Selected FROM missions without an alias: the event's columns are read through missions.event_id.
export const MISSION_COLUMNS = `id, channel_id, kind, location, difficulty, seed, content_version, status, length_ticks,
  tick_interval_ms, start_snapshot, started_at, event_id::text,
  (SELECT e.kind FROM channel_events e WHERE e.id = missions.event_id) AS event_kind,
  (SELECT e.seed FROM channel_events e WHERE e.id = missions.event_id) AS event_seed`;

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

export interface LoggedTick {
  tick_index: number;
  effects: TickEffect[];
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
  if (missionIds.length === 0) return [];
  const { rows: missions } = await db.query<MissionRow>(
    `SELECT ${MISSION_COLUMNS} FROM missions WHERE id = ANY($1::bigint[]) ORDER BY id`,
    [missionIds],
  );
  const { rows: ticks } = await db.query<LoggedTick & { mission_id: string }>(
    `SELECT mission_id, tick_index, effects FROM mission_logs
      WHERE mission_id = ANY($1::bigint[]) ORDER BY mission_id, tick_index`,
    [missionIds],
  );
  const byMission = new Map<string, LoggedTick[]>();
  for (const tick of ticks) {
    const list = byMission.get(tick.mission_id) ?? [];
    list.push(tick);
    byMission.set(tick.mission_id, list);
  }
  return missions.map((mission) => ({ mission, ticks: byMission.get(mission.id) ?? [] }));
}
