import { type KeyMoment, keyMoment, shownTags, type TickEffect, tickInputOf } from '../game/index.js';
import type { Queryable } from './database.js';
import type { PlayerName } from './player-names.js';

export type MissionStatusName = 'active' | 'succeeded' | 'failed' | 'retreated';

export interface MissionParticipant extends PlayerName {
  survivorId: string;
  userId: string;
  name: string;
  slot: number;
}

export interface MissionSummary {
  id: string;
  channelId: string;
  kind: 'solo' | 'group';
  location: string;
  difficulty: number;
  status: MissionStatusName;
  lengthTicks: number;
  startedAt: number;
  endedAt: number | null;
  /** The engine's result (see game finishMission); null while active. */
  result: unknown;
  participants: MissionParticipant[];
}

const ms = (column: string) => `(floor(extract(epoch FROM ${column}) * 1000))::float8`;

const MISSION_COLUMNS = `
  m.id::text, m.channel_id, m.kind, m.location, m.difficulty, m.status, m.length_ticks,
  ${ms('m.started_at')} AS started_at, ${ms('m.ended_at')} AS ended_at, m.result,
  (SELECT coalesce(json_agg(json_build_object('survivorId', p.survivor_id::text, 'userId', p.user_id::text,
                                              'name', s.name, 'slot', p.slot, 'player', u.display_name,
                                              'playerTitle', u.title) ORDER BY p.slot), '[]'::json)
   FROM mission_participants p JOIN survivors s ON s.id = p.survivor_id JOIN users u ON u.id = p.user_id
   WHERE p.mission_id = m.id) AS participants`;

interface RawMission {
  id: string;
  channel_id: string;
  kind: 'solo' | 'group';
  location: string;
  difficulty: number;
  status: MissionStatusName;
  length_ticks: number;
  started_at: number;
  ended_at: number | null;
  result: unknown;
  participants: MissionParticipant[];
}

const toSummary = (row: RawMission): MissionSummary => ({
  id: row.id,
  channelId: row.channel_id,
  kind: row.kind,
  location: row.location,
  difficulty: row.difficulty,
  status: row.status,
  lengthTicks: row.length_ticks,
  startedAt: row.started_at,
  endedAt: row.ended_at,
  result: row.result ?? null,
  participants: row.participants,
});

export async function getMission(db: Queryable, missionId: string): Promise<MissionSummary | null> {
  const result = await db.query<RawMission>(`SELECT ${MISSION_COLUMNS} FROM missions m WHERE m.id = $1`, [
    missionId,
  ]);
  return result.rows[0] ? toSummary(result.rows[0]) : null;
}

/** A survivor's missions, newest first; `before` is the id of the last mission of the previous page. */
export async function survivorHistory(
  db: Queryable,
  survivorId: string,
  page: { before: string | null; limit: number },
): Promise<MissionSummary[]> {
  const result = await db.query<RawMission>(
    `SELECT ${MISSION_COLUMNS} FROM missions m
     WHERE m.id IN (SELECT mission_id FROM mission_participants WHERE survivor_id = $1)
       AND ($2::bigint IS NULL OR m.id < $2::bigint)
     ORDER BY m.id DESC LIMIT $3`,
    [survivorId, page.before, page.limit],
  );
  return result.rows.map(toSummary);
}

export interface MissionLogLine {
  tick: number;
  encounterId: string;
  text: string;
  scheduledAt: number;
  /** Perks, statuses, weather and time of day that acted on this line. */
  tags?: string[];
  /** A death, a down, a revive or a big find. */
  mark?: KeyMoment;
  /** The stance this tick applied, at a choice point (its logged input). */
  choice?: string;
}

/** A mission's log in tick order, the lines after tick `after`. */
export async function missionLog(
  db: Queryable,
  missionId: string,
  page: { after: number; limit: number },
): Promise<MissionLogLine[]> {
  const result = await db.query<{
    tick_index: number;
    encounter_id: string;
    text: string;
    scheduled_at: number;
    modifiers: string[] | null;
    effects: TickEffect[] | null;
  }>(
    `SELECT tick_index, encounter_id, text, ${ms('scheduled_at')} AS scheduled_at, modifiers, effects FROM mission_logs
     WHERE mission_id = $1 AND tick_index > $2 ORDER BY tick_index LIMIT $3`,
    [missionId, page.after, page.limit],
  );
  return result.rows.map((r) => {
    const line: MissionLogLine = {
      tick: r.tick_index,
      encounterId: r.encounter_id,
      text: r.text,
      scheduledAt: r.scheduled_at,
    };
    const tags = shownTags(r.modifiers ?? []);
    if (tags.length > 0) line.tags = tags;
    const mark = keyMoment(r.effects ?? []);
    if (mark) line.mark = mark;
    const { stance } = tickInputOf(r.effects ?? []);
    if (stance) line.choice = stance;
    return line;
  });
}

export interface LeaderboardEntry extends PlayerName {
  survivorId: string;
  name: string;
  level: number;
  dead: boolean;
  missions: number;
  succeeded: number;
  /** XP earned on this channel's missions. */
  xp: number;
  /** Supplies brought home from this channel's missions, solo and group alike. */
  supplies: number;
  /** Supplies plus the value of the items brought home (each result's lootValue). */
  loot: number;
}

/**
 * The channel's survivors ranked by what they achieved there: XP earned on its finished missions,
 * then missions survived. Reads each mission's result (the engine's finishMission output). A group's
 * loot counts in full for every member, as it goes in full into every member's stash.
 */
export async function channelLeaderboard(
  db: Queryable,
  channelId: string,
  limit: number,
): Promise<LeaderboardEntry[]> {
  const result = await db.query<{
    survivor_id: string;
    name: string;
    level: number;
    dead: boolean;
    missions: number;
    succeeded: number;
    xp: number;
    supplies: number;
    loot: number;
    display_name: string | null;
    title: string | null;
  }>(
    `SELECT s.id::text AS survivor_id, s.name, s.level, s.state = 'dead' AS dead,
            u.display_name, u.title,
            count(*)::int AS missions,
            count(*) FILTER (WHERE m.status = 'succeeded')::int AS succeeded,
            coalesce(sum((o.outcome ->> 'xpGained')::int), 0)::int AS xp,
            coalesce(sum((m.result ->> 'supplies')::int), 0)::int AS supplies,
            -- Results from before items existed have no lootValue: their loot was their supplies.
            coalesce(sum(coalesce((m.result ->> 'lootValue')::int, (m.result ->> 'supplies')::int)), 0)::int AS loot
     FROM missions m
     JOIN mission_participants p ON p.mission_id = m.id
     JOIN survivors s ON s.id = p.survivor_id
     JOIN users u ON u.id = s.user_id
     LEFT JOIN LATERAL (
       SELECT e AS outcome FROM jsonb_array_elements(coalesce(m.result -> 'survivors', '[]'::jsonb)) e
       WHERE e ->> 'survivorId' = p.survivor_id::text LIMIT 1
     ) o ON true
     WHERE m.channel_id = $1 AND m.status <> 'active'
     GROUP BY s.id, u.id
     ORDER BY xp DESC, succeeded DESC, s.id
     LIMIT $2`,
    [channelId, limit],
  );
  return result.rows.map((r) => ({
    survivorId: r.survivor_id,
    name: r.name,
    level: r.level,
    dead: r.dead,
    missions: r.missions,
    succeeded: r.succeeded,
    xp: r.xp,
    supplies: r.supplies,
    loot: r.loot,
    player: r.display_name,
    playerTitle: r.title,
  }));
}
